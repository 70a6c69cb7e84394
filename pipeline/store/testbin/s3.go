package testbin

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is what the test S3 servers (miniotest, seaweedtest) share: the
// gateway's address and root credentials, and the buckets tests make.
type S3 struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	mu        sync.Mutex
	buckets   int
}

// Client is a minio-go client with the root credentials.
func (s *S3) Client() *minio.Client {
	c, err := minio.New(s.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Secure: false, Region: "us-east-1"})
	if err != nil {
		panic(err) // only on a malformed endpoint, which the harnesses never make
	}
	return c
}

// NewBucket creates a fresh bucket and returns its name.
func (s *S3) NewBucket(t testing.TB) string {
	t.Helper()
	s.mu.Lock()
	s.buckets++
	name := strings.ToLower(fmt.Sprintf("aceo-test-%d-%d", os.Getpid(), s.buckets))
	s.mu.Unlock()
	if err := s.Client().MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	return name
}

// URL is the aceo store URL of bucket (and prefix) on this server.
func (s *S3) URL(bucket, prefix string) string {
	u := "s3://" + bucket
	if prefix != "" {
		u += "/" + prefix
	}
	return u + "?endpoint=" + s.Endpoint + "&tls=false&region=us-east-1"
}

// Env sets the root credentials in the environment for the test.
func (s *S3) Env(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", s.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
}

// Ready waits, up to limit, until the server stores an object (in the
// bucket aceo-ready, made once: on SeaweedFS every bucket takes volume
// slots, so a bucket per try would fill the servers).
func (s *S3) Ready(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := s.Client()
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var ok bool
		if ok, err = c.BucketExists(ctx, "aceo-ready"); err == nil && !ok {
			err = c.MakeBucket(ctx, "aceo-ready", minio.MakeBucketOptions{})
		}
		if err == nil {
			_, err = c.PutObject(ctx, "aceo-ready", "ready", strings.NewReader("ready"), 5, minio.PutObjectOptions{})
		}
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}
