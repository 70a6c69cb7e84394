package manifest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/store"
)

// TestStoreReadList: manifests are stored create-only beside a build's
// files, read by id or by a unique prefix of the id or of its hash, and
// listed oldest first; an ambiguous prefix names the builds it fits.
func TestStoreReadList(t *testing.T) {
	ctx := context.Background()
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2013, 11, 20, 9, 0, 0, 0, time.UTC)
	var ids []string
	for i, body := range []string{"one", "two", "three"} {
		files := []File{{Name: "demo-en.pdf", Lang: "en", Pages: 3, Data: []byte(body)}}
		id := ID(t0.Add(time.Duration(i)*time.Hour), "release", files)
		keys, err := StoreFiles(ctx, s, "demo", id, files, nil)
		if err != nil || len(keys) != 1 || keys[0] != Prefix("demo", id)+"demo-en.pdf" {
			t.Fatalf("store files: %v %v", keys, err)
		}
		m := &Manifest{Build: id, Publication: "demo", Mode: "release", Time: t0, Outputs: []OutputFile{{Name: "demo-en.pdf", Size: len(body), SHA256: SHA256([]byte(body))}}}
		if _, err := Store(ctx, s, m); err != nil {
			t.Fatal(err)
		}
		// the same build stored again (the same second): kept, no error
		if _, err := Store(ctx, s, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	list, err := List(ctx, s, "demo")
	if err != nil || len(list) != 3 || list[0].Build != ids[0] || list[2].Build != ids[2] {
		t.Fatalf("list: %v %v", list, err)
	}
	_, hash, _ := strings.Cut(ids[1], "-")
	for _, id := range []string{ids[1], ids[1][:18], hash[:8]} {
		m, err := Read(ctx, s, "demo", id)
		if err != nil || m.Build != ids[1] {
			t.Errorf("read %q: %v %v", id, m, err)
		}
	}
	if _, err := Read(ctx, s, "", "2013"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if _, err := Read(ctx, s, "demo", "nope"); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("unknown build: %v", err)
	}
	if _, err := Read(ctx, s, "demo", "../x"); err == nil || !strings.Contains(err.Error(), "not valid") {
		t.Errorf("invalid id: %v", err)
	}
	if _, err := List(ctx, s, "Bad Id"); err == nil {
		t.Error("an invalid publication id is listed")
	}
}

// TestCompare: an output whose bytes differ, one missing and one new are
// reported, and so are the changes that may explain them.
func TestCompare(t *testing.T) {
	was := &Manifest{Tool: Tool{Version: "v1", Revision: "aaaaaaaaaaaaaaaa"}, Template: FileHash{"outlook.yaml", "t1"},
		Fonts:   []FileHash{{"A.ttf", "1"}, {"B.ttf", "2"}},
		Outputs: []OutputFile{{Name: "a.pdf", SHA256: strings.Repeat("1", 64), Size: 1}, {Name: "b.pdf", SHA256: strings.Repeat("2", 64)}}}
	now := &Manifest{Tool: Tool{Version: "v1", Revision: "aaaaaaaaaaaaaaaa"}, Template: FileHash{"outlook.yaml", "t2"},
		Fonts:   []FileHash{{"A.ttf", "9"}},
		Outputs: []OutputFile{{Name: "a.pdf", SHA256: strings.Repeat("3", 64), Size: 2}, {Name: "c.xlsx", SHA256: strings.Repeat("4", 64)}}}
	d := Compare(was, now)
	got := strings.Join(d.Outputs, "\n")
	for _, want := range []string{"a.pdf: SHA-256 3333", "b.pdf: not produced by the rebuild", "c.xlsx: produced by the rebuild only"} {
		if !strings.Contains(got, want) {
			t.Errorf("outputs lack %q:\n%s", want, got)
		}
	}
	ctx := strings.Join(d.Context, "\n")
	for _, want := range []string{"template outlook.yaml has changed", "font A.ttf has changed", "font B.ttf is not used now"} {
		if !strings.Contains(ctx, want) {
			t.Errorf("context lacks %q:\n%s", want, ctx)
		}
	}
	if d := Compare(was, was); len(d.Outputs)+len(d.Context) != 0 {
		t.Errorf("a manifest differs from itself: %v", d)
	}
}
