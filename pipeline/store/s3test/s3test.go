// Package s3test gives tests every real S3 server aceo is tested on —
// MinIO (miniotest) and SeaweedFS (seaweedtest) — by name, started once
// per test process and stopped by Main.
package s3test

import (
	"context"
	"os"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// Servers are the shared test servers by name ("minio", "seaweedfs"),
// started on first use. A missing server program fails the test.
func Servers(t testing.TB) map[string]*testbin.S3 {
	return map[string]*testbin.S3{"minio": &miniotest.Shared(t).S3, "seaweedfs": &seaweedtest.Shared(t).S3}
}

// Product is the name a server gives itself in its Server header.
func Product(name string) string {
	return map[string]string{"minio": "MinIO", "seaweedfs": "SeaweedFS"}[name]
}

// Backends runs fn against the directory store and a new bucket of each
// real S3 server, as subtests named "dir", "minio" and "seaweedfs".
func Backends(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Run("dir", func(t *testing.T) {
		s, err := store.OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
	for name, srv := range Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			s, err := store.Open(context.Background(), srv.URL(srv.NewBucket(t), ""))
			if err != nil {
				t.Fatal(err)
			}
			fn(t, s)
		})
	}
}

// Main runs the tests, then stops the servers that were started, and
// exits (for TestMain).
func Main(m interface{ Run() int }) {
	code := m.Run()
	miniotest.StopShared()
	seaweedtest.StopShared()
	os.Exit(code)
}
