package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
)

// syncBuffer is a buffer two goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWatch: aceo watch builds the preview, then rebuilds it once when an
// author submits a new revision, on the local store, on MinIO and on
// SeaweedFS (under a prefix), by listing every interval and by the
// server's events through a webhook (MinIO's target, SeaweedFS's filer),
// and stops cleanly when its context ends. (The watcher also uses MinIO's
// listen API, but the pinned server does not flush its answers: its
// trackingResponseWriter has no Flush, so events wait in a buffer until
// the connection closes.)
func TestWatch(t *testing.T) {
	t.Run("dir", func(t *testing.T) { watchFlow(t, "file://"+t.TempDir(), "100ms") })
	m, sw := miniotest.Shared(t), seaweedtest.Shared(t)
	hooks := map[string][]string{
		"minio":     {"--webhook-listen", m.WebhookAddr, "--webhook-arn", m.WebhookARN},
		"seaweedfs": {"--webhook-listen", sw.WebhookAddr}, // notification.toml names it
	}
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			watchFlow(t, srv.URL(srv.NewBucket(t), "tenant"), "200ms")
		})
		t.Run(name+"-notifications", func(t *testing.T) {
			// polling slowed to an hour: only the events the server posts
			// to the webhook can make it rebuild in time
			srv.Env(t)
			watchFlow(t, srv.URL(srv.NewBucket(t), "tenant"), "1h", hooks[name]...)
		})
	}
}

func watchFlow(t *testing.T, url, interval string, extra ...string) {
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, url, dir)
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, drafts...)...))
	out := t.TempDir()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		args := append([]string{"aceo", "--store", url, "watch", "--interval", interval, "--debounce", "100ms", "--out", out}, extra...)
		done <- runContext(ctx, append(args, "policy-study-sample"), &stdout, &stderr)
	}()
	waitFor := func(n int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for strings.Count(stdout.String(), "rebuilt policy-study-sample") < n {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("no rebuild %d after 30 s\nstdout:\n%s\nstderr:\n%s", n, stdout.String(), stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor(1)
	for _, f := range []string{"policy-study-sample-zh.pdf", "policy-study-sample-en.pdf", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("no preview written: %v", err)
		}
	}
	text, _ := os.ReadFile(dir + "/en/introduction.md")
	changed := filepath.Join(t.TempDir(), "introduction.md")
	os.WriteFile(changed, []byte(strings.Replace(string(text), "# Approach", "A sentence the watcher must pick up.\n\n# Approach", 1)), 0o644)
	must(t)(aceo(t, url, "submit", "chapter", changed))
	waitFor(2)
	pdf, err := exec.Command("pdftotext", filepath.Join(out, "policy-study-sample-en.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.NewReplacer(" ", "", "\n", "", "-", "", "\f", "").Replace(string(pdf))
	if !strings.Contains(flat, "Asentencethewatchermustpickup.") {
		t.Errorf("the rebuilt preview lacks the new revision:\n%s", stdout.String())
	}
	if len(extra) > 0 && !strings.Contains(stderr.String(), "change notified") {
		t.Errorf("no notification seen:\n%s", stderr.String())
	}
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(stdout.String(), "rebuilt policy-study-sample"); n != 2 {
		t.Errorf("%d rebuilds for one change, want 2 builds in all", n)
	}
	// an author submits three chapters at once: one rebuild
	var three []string
	for _, f := range []string{"en/schemes.md", "en/recommendations.md", "zh/schemes.md"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		p := filepath.Join(t.TempDir(), filepath.Base(f))
		os.WriteFile(p, append(b, []byte("\nOne more line, submitted with two other files.\n")...), 0o644)
		three = append(three, p)
	}
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, three...)...))
	waitFor(3)
	time.Sleep(500 * time.Millisecond)
	if n := strings.Count(stdout.String(), "rebuilt policy-study-sample"); n != 3 {
		t.Errorf("%d builds after one submission of three files, want 3 in all (debounced):\n%s", n, stdout.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop")
	}
}

// TestWatchSurvivesInternalError: a build that meets a bug (a figure whose
// header claims 50,000 × 50,000 pixels makes the PDF writer panic, as
// long as figures are checked by their header alone) is reported as an
// internal error naming what was being built, and watch goes on: the
// next revision builds.
func TestWatchSurvivesInternalError(t *testing.T) {
	url := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, url, dir)
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, drafts...)...))
	// the first build meets a bug (a panic, as a nil map or an index out
	// of range would); the builds after it are sound
	var calls atomic.Int32
	watchBuild = func(ctx context.Context, req build.Request) (*build.Result, error) {
		if calls.Add(1) == 1 {
			var m map[string]int
			m["boom"]++
		}
		return build.Run(ctx, req)
	}
	defer func() { watchBuild = build.Run }()

	out := t.TempDir()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- runContext(ctx, []string{"aceo", "--store", url, "watch", "--interval", "100ms", "--debounce", "100ms", "--out", out, "policy-study-sample"}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "build failed: internal error") {
		if time.Now().After(deadline) {
			t.Fatalf("no internal error reported\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "while processing") || !strings.Contains(stderr.String(), "please report it") {
		t.Errorf("the internal error does not say what it was processing:\n%s", stderr.String())
	}
	// a new draft: watch is still there and builds it
	text, _ := os.ReadFile(dir + "/en/introduction.md")
	changed := filepath.Join(t.TempDir(), "introduction.md")
	os.WriteFile(changed, append(text, "\nOne more sentence.\n"...), 0o644)
	must(t)(aceo(t, url, "submit", "chapter", changed))
	for !strings.Contains(stdout.String(), "rebuilt policy-study-sample") {
		if time.Now().After(deadline) {
			t.Fatalf("watch did not rebuild after the internal error\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop")
	}
}
