package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/storetest"
)

type dirHarness struct {
	root string
	s    *store.Dir
}

func (h *dirHarness) Store() store.Store { return h.s }

func (h *dirHarness) Corrupt(t *testing.T, key string) {
	p := filepath.Join(h.root, filepath.FromSlash(key))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[0] ^= 0xff
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDirConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		root := t.TempDir()
		s, err := store.Open(t.Context(), "file://"+root)
		if err != nil {
			t.Fatal(err)
		}
		return &dirHarness{root: root, s: s.(*store.Dir)}
	})
}
