package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/portal"
)

// TestServeAndInvite: an editor publishes the policy study and invites an
// author; aceo serve shows the release, takes the author's draft through
// the link, logs the requests without the link's token, and stops
// gracefully on cancel.
func TestServeAndInvite(t *testing.T) {
	url := "file://" + t.TempDir()
	id := releaseBuild(t, url)
	must(t)(aceo(t, url, "publish", "policy-study-sample", id, "--release", "2013"))

	t.Setenv("ACEO_INVITE_KEY", "")
	if _, err := aceo(t, url, "invite", "policy-study-sample", "--chapter", "schemes", "--lang", "zh", "--author", "Li"); err == nil || !strings.Contains(err.Error(), "ACEO_INVITE_KEY") {
		t.Fatalf("invite without a key: %v", err)
	}
	key := "0123456789abcdef0123456789abcdef-test"
	t.Setenv("ACEO_INVITE_KEY", key)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--chapter", "nothing", "--lang", "zh"}, `has no chapter "nothing"`},
		{[]string{"--chapter", "schemes"}, "need --lang"},
		{[]string{"--chapter", "schemes", "--lang", "zh", "--figure", "map"}, "exactly one of"},
		{[]string{"--chapter", "schemes", "--lang", "zh", "--expires", "soon"}, "--expires"},
	} {
		args := append([]string{"invite", "policy-study-sample", "--author", "Li"}, c.args...)
		if _, err := aceo(t, url, args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	out := must(t)(aceo(t, url, "invite", "policy-study-sample", "--chapter", "schemes", "--lang", "zh", "--author", "Li Hua", "--expires", "2d", "--base-url", "http://portal.example"))
	link := strings.TrimSpace(out)
	token, ok := strings.CutPrefix(link, "http://portal.example/zh/upload/")
	if !ok {
		t.Fatalf("link %q", link)
	}
	inv, err := portal.VerifyInvite([]byte(key), token, time.Now())
	if err != nil || inv.Item != "schemes" || inv.Lang != "zh" || inv.Author != "Li Hua" || inv.Expires.Sub(time.Now()) < 47*time.Hour {
		t.Fatalf("invitation %+v: %v", inv, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runContext(ctx, []string{"aceo", "--store", url, "serve", "--listen", "127.0.0.1:0", "--refresh", "100ms"}, io.Discard, &stderr)
	}()
	var base string
	re := regexp.MustCompile(`on (http://[0-9.:]+)/`)
	for i := 0; i < 200 && base == ""; i++ {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("aceo serve did not start: %s", stderr.String())
	}
	resp, err := http.Get(base + "/en/publications/policy-study-sample/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Eco-labelling in ASEAN and China") {
		t.Fatalf("publication page: %d", resp.StatusCode)
	}
	// the author's draft through the link
	zh, _ := os.ReadFile("../../chapters/policy-study-sample/zh/schemes.md")
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "schemes.md")
	fw.Write(append(zh, []byte("\n作者补充的一句。\n")...))
	mw.Close()
	resp, err = http.Post(base+"/zh/upload/"+token, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "已接受") {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	log := stderr.String()
	if !strings.Contains(log, `"GET /en/publications/policy-study-sample/" 200`) || !strings.Contains(log, `"POST /zh/upload/[token]" 200`) || strings.Contains(log, token) {
		t.Errorf("access log:\n%s", log)
	}
	// the revision is in the store, under the invited author
	hist := must(t)(aceo(t, url, "history", "policy-study-sample", "schemes", "--lang", "zh"))
	if !strings.Contains(hist, "Li Hua") {
		t.Errorf("history:\n%s", hist)
	}
}

// TestServeErrors: a store that cannot be reached, a short invitation
// key and --presign on a local store stop aceo serve at once, saying why.
func TestServeErrors(t *testing.T) {
	t.Setenv("ACEO_INVITE_KEY", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "x")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "y")
	if _, err := aceo(t, "s3://bucket?endpoint=127.0.0.1:1&tls=false", "serve", "--listen", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "cannot reach 127.0.0.1:1") {
		t.Errorf("dead server: %v", err)
	}
	url := "file://" + t.TempDir()
	if _, err := aceo(t, url, "serve", "--listen", "127.0.0.1:0", "--presign", "5m"); err == nil || !strings.Contains(err.Error(), "--presign needs an S3 store") {
		t.Errorf("--presign on a local store: %v", err)
	}
	t.Setenv("ACEO_INVITE_KEY", "short")
	if _, err := aceo(t, url, "serve", "--listen", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("short key: %v", err)
	}
	t.Setenv("ACEO_INVITE_KEY", "")
	if _, err := aceo(t, url, "serve", "--listen", "256.0.0.1:99999"); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("bad address: %v", err)
	}
}
