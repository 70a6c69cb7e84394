package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
)

// TestNotifier, on every backend (a MinIO webhook target, SeaweedFS's
// filer webhook, the directory's polling): a write under a watched prefix is told, with the key relative
// to the store's root where the backend knows it; a write elsewhere is
// not. (MinIO's listen API delivered no event to this test server; the
// webhook is what aceo watch's MinIO test relies on too.)
func TestNotifier(t *testing.T) {
	srv := miniotest.Shared(t)
	sw := seaweedtest.Shared(t)
	opts := map[string]store.NotifyOptions{
		"dir":       {Interval: 50 * time.Millisecond},
		"minio":     {WebhookListen: srv.WebhookAddr, WebhookARN: srv.WebhookARN},
		"seaweedfs": {WebhookListen: sw.WebhookAddr},
	}
	backends := map[string]func(t *testing.T) store.Store{
		"dir": func(t *testing.T) store.Store {
			s, err := store.OpenDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, srv := range s3test.Servers(t) {
		backends[name] = func(t *testing.T) store.Store {
			srv.Env(t)
			s, err := store.Open(context.Background(), srv.URL(srv.NewBucket(t), "tenant"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ch, err := s.(store.Notifier).Changes(ctx, []string{"drafts/p/"}, opts[name])
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // listening
			put := func(key string) {
				if _, err := s.Put(ctx, key, strings.NewReader("x"), 1, store.PutOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			put("drafts/other/a.md")
			select {
			case c := <-ch:
				t.Fatalf("a write elsewhere was told: %+v", c)
			case <-time.After(500 * time.Millisecond):
			}
			put("drafts/p/chapters/c/en/a.md")
			select {
			case c := <-ch:
				// the servers name the key; the directory's polling does not
				if c.Source == "" || c.Key != "" && c.Key != "drafts/p/chapters/c/en/a.md" || name != "dir" && c.Key == "" {
					t.Errorf("change %+v", c)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("a write under the watched prefix was not told")
			}
		})
	}
}
