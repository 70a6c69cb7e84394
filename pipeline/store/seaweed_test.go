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
	"github.com/aceo-project/aceo/pipeline/store/storetest"
)

// TestSeaweedFSConformance runs the store conformance suite against a
// real SeaweedFS (its S3 gateway), as TestS3Conformance does against
// MinIO: conditional writes (create-only, If-Match) included.
func TestSeaweedFSConformance(t *testing.T) {
	srv := seaweedtest.Shared(t)
	for _, prefix := range []string{"", "tenant/aceo"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) storetest.Harness {
				srv.Env(t)
				bucket := srv.NewBucket(t)
				s, err := store.Open(context.Background(), srv.URL(bucket, prefix))
				if err != nil {
					t.Fatal(err)
				}
				p := ""
				if prefix != "" {
					p = prefix + "/"
				}
				return &s3Harness{client: srv.Client(), bucket: bucket, prefix: p, s: s}
			})
		})
	}
}

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
