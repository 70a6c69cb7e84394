package store_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/storetest"
)

func TestMain(m *testing.M) { s3test.Main(m) }

// s3Harness is a bucket (and prefix) of a real S3 server: MinIO or
// SeaweedFS.
type s3Harness struct {
	client *minio.Client // with the server's root credentials
	bucket string
	prefix string
	s      store.Store
}

func (h *s3Harness) Store() store.Store { return h.s }

// Corrupt replaces the object's bytes but keeps the old checksum metadata.
func (h *s3Harness) Corrupt(t *testing.T, key string) {
	c := h.client
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

// TestS3Conformance runs the store conformance suite against a real
// MinIO and a real SeaweedFS (its S3 gateway), with and without a key
// prefix: conditional writes (create-only, If-Match) included.
func TestS3Conformance(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		for _, prefix := range []string{"", "tenant/aceo"} {
			t.Run(name+"/prefix="+prefix, func(t *testing.T) {
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
}

// TestS3Faults, on MinIO and SeaweedFS: wrong credentials, a missing
// bucket and an unreachable endpoint each give one clear line.
func TestS3Faults(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			bucket := srv.NewBucket(t)

			t.Setenv("AWS_ACCESS_KEY_ID", "nobody")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
			s, _ := store.Open(ctx, srv.URL(bucket, ""))
			_, err := s.Put(ctx, "x", strings.NewReader("x"), 1, store.PutOptions{})
			if err == nil || !strings.Contains(err.Error(), "refused the credentials") || strings.Contains(err.Error(), "\n") {
				t.Errorf("wrong credentials: %v", err)
			}

			srv.Env(t)
			s, _ = store.Open(ctx, srv.URL("no-such-bucket", ""))
			_, err = s.Stat(ctx, "x")
			if err == nil || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) {
				t.Errorf("missing bucket: %v", err)
			}

			s, _ = store.Open(ctx, "s3://bucket?endpoint=127.0.0.1:1&tls=false")
			_, err = s.Stat(ctx, "x")
			if err == nil || !strings.Contains(err.Error(), "cannot reach 127.0.0.1:1") {
				t.Errorf("unreachable: %v", err)
			}
			if errors.Is(err, store.ErrNotExist) {
				t.Error("an unreachable store is not a missing object")
			}
		})
	}
}

// TestS3Anonymous, on MinIO and SeaweedFS: without credentials the client
// is anonymous and a private bucket refuses it.
func TestS3Anonymous(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv.Env(t)
			bucket := srv.NewBucket(t)
			root, _ := store.Open(ctx, srv.URL(bucket, ""))
			if _, err := root.Put(ctx, "published/x", strings.NewReader("x"), 1, store.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_ACCESS_KEY_ID", "")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "")
			t.Setenv("HOME", t.TempDir())
			anon, _ := store.Open(ctx, srv.URL(bucket, ""))
			rc, _, err := anon.Get(ctx, "published/x")
			if err == nil {
				io.Copy(io.Discard, rc)
				rc.Close()
				t.Fatal("anonymous read of a private bucket succeeded")
			}
			if !strings.Contains(err.Error(), "access denied") {
				t.Errorf("anonymous: %v", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for u, want := range map[string]string{
		"ftp://x/y":              "unknown scheme",
		"file://host/dir":        "a file URL has no host",
		"s3:///prefix":           "no bucket",
		"s3://b/..?endpoint=x:1": "prefix",
	} {
		if _, err := store.Open(ctx, u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", u, err, want)
		}
	}
}

// TestS3Profile, on MinIO and SeaweedFS: credentials from a named profile
// of the shared credentials file.
func TestS3Profile(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv.Env(t)
			bucket := srv.NewBucket(t)
			home := t.TempDir()
			os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
			os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[aceo]\naws_access_key_id = "+srv.AccessKey+"\naws_secret_access_key = "+srv.SecretKey+"\n"), 0o600)
			t.Setenv("HOME", home)
			t.Setenv("AWS_ACCESS_KEY_ID", "")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "")
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
			s, err := store.Open(ctx, srv.URL(bucket, "")+"&profile=aceo")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Put(ctx, "x", strings.NewReader("x"), 1, store.PutOptions{}); err != nil {
				t.Fatalf("with profile aceo: %v", err)
			}
			s, _ = store.Open(ctx, srv.URL(bucket, ""))
			if _, err := s.Put(ctx, "y", strings.NewReader("y"), 1, store.PutOptions{}); err == nil {
				t.Fatal("the default profile's wrong keys were accepted")
			}
		})
	}
}

// TestMissingProfile: a profile the shared credentials file lacks is said
// when the store is opened, naming the profile and the file.
func TestMissingProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(file, []byte("[aceo]\naws_access_key_id = k\naws_secret_access_key = s\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", file)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_PROFILE", "")
	for u, profile := range map[string]string{"s3://b?endpoint=127.0.0.1:1&profile=nope": "nope", "s3://b?endpoint=127.0.0.1:1": "default"} {
		_, err := store.Open(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), `no credentials for profile "`+profile+`" in `+file) {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := store.Open(context.Background(), "s3://b?endpoint=127.0.0.1:1&profile=aceo"); err != nil {
		t.Errorf("a profile the file has: %v", err)
	}
}
