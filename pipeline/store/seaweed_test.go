package store_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
)

// ignoring stands for a server that ignores conditional writes: it drops
// the conditions of every write.
type ignoring struct{ store.Store }

func (s ignoring) Put(ctx context.Context, key string, r io.Reader, size int64, opt store.PutOptions) (store.Info, error) {
	opt.CreateOnly, opt.IfMatch = false, ""
	return s.Store.Put(ctx, key, r, size, opt)
}

// TestConditionalWritesProbe: the local store, MinIO and SeaweedFS honour
// create-only and If-Match writes; a store that ignores them is found
// out, with the condition it ignored.
func TestConditionalWritesProbe(t *testing.T) {
	ctx := context.Background()
	dir, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stores := map[string]store.Store{"dir": dir}
	m := miniotest.Shared(t)
	m.Env(t)
	if stores["minio"], err = store.Open(ctx, m.URL(m.NewBucket(t), "")); err != nil {
		t.Fatal(err)
	}
	sw := seaweedtest.Shared(t)
	t.Setenv("AWS_ACCESS_KEY_ID", sw.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", sw.SecretKey)
	if stores["seaweedfs"], err = store.Open(ctx, sw.URL(sw.NewBucket(t), "")); err != nil {
		t.Fatal(err)
	}
	for name, s := range stores {
		for i := 0; i < 2; i++ { // again: the probe object exists now
			if err := store.CheckConditionalWrites(ctx, s); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	err = store.CheckConditionalWrites(ctx, ignoring{dir})
	if !errors.Is(err, store.ErrNoConditionalWrites) || !strings.Contains(err.Error(), "If-None-Match") {
		t.Errorf("a store that ignores conditions: %v", err)
	}
}
