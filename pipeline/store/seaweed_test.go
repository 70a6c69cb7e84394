package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/storetest"
	"github.com/minio/minio-go/v7"
)

type seaweedHarness struct {
	srv    *seaweedtest.Server
	bucket string
	prefix string
	s      store.Store
}

func (h *seaweedHarness) Store() store.Store { return h.s }

// Corrupt replaces the object's bytes but keeps the old checksum metadata.
func (h *seaweedHarness) Corrupt(t *testing.T, key string) {
	c := h.srv.Client()
	ctx := context.Background()
	oi, err := c.StatObject(ctx, h.bucket, h.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bad := "tampered bytes"
	_, err = c.PutObject(ctx, h.bucket, h.prefix+key, strings.NewReader(bad), int64(len(bad)),
		minio.PutObjectOptions{UserMetadata: map[string]string{"sha256": oi.UserMetadata["Sha256"]}})
	if err != nil {
		t.Fatal(err)
	}
}

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
				return &seaweedHarness{srv: srv, bucket: bucket, prefix: p, s: s}
			})
		})
	}
}
