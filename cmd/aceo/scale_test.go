//go:build scale

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/portal"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// The scale test's shape: as the issue asks, 40 authors, 3 editors and
// 2 catalogue replicas on a SeaweedFS cluster of 3 volume servers.
const (
	scaleAuthors     = 40
	scaleChapters    = 3 // chapter revisions each author submits
	scaleDatasets    = 1 // dataset revisions each author submits
	scaleEditors     = 3
	scaleRounds      = 2 // review, build and publish rounds per editor
	scaleReaders     = 8 // clients reading the catalogue meanwhile
	scaleRefresh     = 2 * time.Second
	scaleRetryWindow = 60 * time.Second // how long a writer keeps retrying
)

// submitted is one file an author was told was stored, with its bytes.
type submitted struct {
	rev  drafts.Revision
	data []byte
}

// TestScale: a distributed SeaweedFS (1 master, 3 volume servers keeping
// every volume twice, replication 001, a filer, the S3 gateway), 2
// `aceo serve` replicas reading anonymously, 40 authors submitting
// chapters and datasets and 3 editors reviewing, building and publishing,
// all at once, each with the temporary credentials of their role (STS); one volume
// server is killed while they work. Then: every revision an author was
// told was stored reads back byte for byte, no object in the store is
// partial, every release an editor was told was published is in the
// catalogue and complete, every file of catalog.json matches its hash,
// no release's files are outside the catalogue, and both replicas serve
// the last release within their refresh interval. It reports
// submissions/s, builds per minute and catalogue requests/s.
//
// Run by `make test-scale` (part of `make test`): go test -tags scale.
func TestScale(t *testing.T) {
	ctx := context.Background()
	t0 := time.Now()
	cl, err := seaweedtest.StartCluster(t.TempDir(), 3, "001")
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Stop()
	t.Logf("cluster up in %v", time.Since(t0).Round(time.Millisecond))
	cl.Env(t)
	url := cl.URL(cl.NewBucket(t), "")
	if out, err := aceo(t, url, "store", "setup"); err != nil {
		t.Fatalf("setup: %v\n%s\nmaster: %s\nfiler: %s\ngateway: %s", err, out, cl.Log("master", 3000), cl.Log("filer", 3000), cl.Log("s3", 3000))
	}
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, url, dir)
	must(t)(aceo(t, url, "publication", "push", "../../chapters/aceo-sample/publication.yaml"))
	originals, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, originals...)...))

	// from here on everyone works with the credentials of their role, as
	// aceo credentials issues them (the gateway's STS with session
	// policies), each a profile of a shared credentials file; the
	// catalogue replicas read anonymously
	as := roleProfiles(t, url)
	r0, pid0 := serveReplica(t, url+"&anonymous=true")
	r1, pid1 := serveReplica(t, url+"&anonymous=true")
	replicas := []string{r0, r1}

	var (
		mu        sync.Mutex
		stored    []submitted // what authors were told was stored
		published []string    // releases editors were told were published
		retries   atomic.Int64
		subs      atomic.Int64 // files stored
		builds    atomic.Int64
		reads     atomic.Int64 // catalogue requests answered 200
		readFails atomic.Int64
	)
	stop := make(chan struct{})

	// readers: the public, on both replicas, all along
	var readers sync.WaitGroup
	paths := []string{"/en/", "/zh/", "/catalog.json", "/en/feed.atom"}
	for i := 0; i < scaleReaders; i++ {
		readers.Add(1)
		go func(i int) {
			defer readers.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := c.Get(replicas[(i+n)%2] + paths[n%len(paths)])
				if err != nil {
					readFails.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					reads.Add(1)
				} else {
					readFails.Add(1)
				}
			}
		}(i)
	}

	// retry runs a writer's command until it succeeds or the window
	// closes, as a person would press again after an error
	retry := func(what string, f func() error) error {
		deadline := time.Now().Add(scaleRetryWindow)
		for {
			err := f()
			if err == nil || time.Now().After(deadline) {
				return err
			}
			retries.Add(1)
			t.Logf("%s failed, trying again: %v", what, oneLine(err))
			time.Sleep(500 * time.Millisecond)
		}
	}

	// authors
	total := scaleAuthors * (scaleChapters + scaleDatasets)
	killAt := int64(total / 3)
	killed := make(chan time.Time, 1)
	var work sync.WaitGroup
	tWork := time.Now()
	var authorsDone time.Duration
	var authors sync.WaitGroup
	for a := 0; a < scaleAuthors; a++ {
		authors.Add(1)
		go func(a int) {
			defer authors.Done()
			own := t.TempDir()
			submit := func(profile string, args []string, files map[string][]byte) {
				var res []submission
				err := retry(fmt.Sprintf("author %d: %s", a, strings.Join(args, " ")), func() error {
					out, err := aceo(t, as(profile), append(args, "--json")...)
					if err != nil {
						return err
					}
					res = nil
					return json.Unmarshal([]byte(out), &res)
				})
				if err != nil {
					t.Errorf("author %d: %v", a, err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, s := range res {
					for _, rv := range s.Results {
						if data, ok := files[rv.File]; ok {
							stored = append(stored, submitted{rv.Revision, data})
						}
					}
				}
				subs.Add(1)
				if subs.Load() == killAt {
					select {
					case killed <- time.Now():
					default:
					}
				}
			}
			for k := 0; k < scaleChapters; k++ {
				src := originals[(a+k)%len(originals)]
				data, err := os.ReadFile(src)
				if err != nil {
					t.Error(err)
					return
				}
				data = append(data, fmt.Sprintf("\nScale test: author %d, revision %d.\n", a, k)...)
				name := filepath.Base(src)
				f := filepath.Join(own, fmt.Sprintf("%d", k), filepath.Base(filepath.Dir(src)), name)
				os.MkdirAll(filepath.Dir(f), 0o755)
				if err := os.WriteFile(f, data, 0o644); err != nil {
					t.Error(err)
					return
				}
				submit(fmt.Sprintf("author-%d-policy-study-sample", a), []string{"submit", "chapter", f}, map[string][]byte{name: data})
			}
			for k := 0; k < scaleDatasets; k++ {
				files := map[string][]byte{}
				d := filepath.Join(own, fmt.Sprintf("data%d", k))
				os.MkdirAll(d, 0o755)
				var args []string
				for _, n := range []string{"air-quality.csv", "air-quality.indicators.csv"} {
					data, err := os.ReadFile("../../datasets/aceo-sample/" + n)
					if err != nil {
						t.Error(err)
						return
					}
					if n == "air-quality.csv" { // a note of the author's on the second row
						lines := strings.SplitN(string(data), "\n", 3)
						lines[1] = strings.TrimSuffix(lines[1], ",,,") + fmt.Sprintf(",,author %d revision %d,", a, k)
						data = []byte(strings.Join(lines, "\n"))
					}
					files[n] = data
					os.WriteFile(filepath.Join(d, n), data, 0o644)
					args = append(args, filepath.Join(d, n))
				}
				submit(fmt.Sprintf("author-%d-aceo-sample", a), append([]string{"submit", "dataset", "--pub", "aceo-sample"}, args...), files)
			}
		}(a)
	}
	work.Add(1)
	go func() {
		defer work.Done()
		authors.Wait()
		authorsDone = time.Since(tWork)
	}()

	// the volume server's death, a third of the way through
	var killTime time.Time
	work.Add(1)
	go func() {
		defer work.Done()
		select {
		case killTime = <-killed:
		case <-time.After(2 * time.Minute):
			t.Error("the authors never got a third of the way")
			return
		}
		if err := cl.Kill("volume1"); err != nil {
			t.Error(err)
		}
		t.Logf("killed volume1 after %d submissions, at %v", killAt, killTime.Sub(tWork).Round(time.Millisecond))
	}()

	// editors
	var lastPublish time.Time
	var lastRelease string
	for e := 0; e < scaleEditors; e++ {
		work.Add(1)
		go func(e int) {
			defer work.Done()
			editor := fmt.Sprintf("editor-%d", e)
			for k := 0; k < scaleRounds; k++ {
				for _, ch := range []string{"introduction", "schemes", "recommendations"} {
					for _, lang := range []string{"en", "zh"} {
						if err := retry("review", func() error {
							_, err := aceo(t, as(editor), "review", "accept", "--lang", lang, "--editor", fmt.Sprintf("Editor %d", e), "policy-study-sample", ch, "latest")
							return err
						}); err != nil {
							t.Errorf("editor %d: review: %v", e, err)
							return
						}
					}
				}
				var id string
				if err := retry("build", func() error {
					out, err := aceo(t, as(editor), "build", "--out", t.TempDir(), "policy-study-sample")
					if err != nil {
						return err
					}
					_, rest, _ := strings.Cut(out, "build ")
					id, _, _ = strings.Cut(rest, " ")
					return nil
				}); err != nil {
					t.Errorf("editor %d: build: %v", e, err)
					return
				}
				builds.Add(1)
				name := fmt.Sprintf("scale-e%d-r%d", e, k)
				if err := retry("publish", func() error {
					_, err := aceo(t, as(editor), "publish", "policy-study-sample", id, "--release", name, "--by", fmt.Sprintf("Editor %d", e))
					return err
				}); err != nil {
					t.Errorf("editor %d: publish: %v", e, err)
					return
				}
				mu.Lock()
				published = append(published, name)
				lastPublish, lastRelease = time.Now(), name
				mu.Unlock()
			}
		}(e)
	}
	work.Wait()
	elapsed := time.Since(tWork)
	cpu := cl.CPUTime()
	for i, pid := range []int{pid0, pid1} {
		cpu[fmt.Sprintf("replica%d", i)], _ = testbin.CPUTime(pid)
	}
	cpu["aceo (authors, editors, readers)"], _ = testbin.CPUTime(os.Getpid())
	cl.Env(t) // the checks read everything, as the administrator
	if t.Failed() {
		t.Fatalf("the work failed; the cluster's S3 gateway said: %s", cl.Log("s3", 2000))
	}

	// both replicas serve the last release within their refresh interval
	mu.Lock()
	since, last := lastPublish, lastRelease
	mu.Unlock()
	c, _, err := release.ReadCatalog(ctx, openStore(t, url))
	if err != nil {
		t.Fatal(err)
	}
	rel := c.Find("policy-study-sample", last)
	if rel == nil {
		t.Fatalf("the last release %s is not in the catalogue", last)
	}
	var seen []time.Duration
	for _, r := range replicas {
		u := r + portal.FileURL("policy-study-sample", last, rel.Files[0].Name)
		for {
			resp, err := http.Head(u)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					seen = append(seen, time.Since(since))
					break
				}
			}
			if time.Since(since) > 3*scaleRefresh {
				t.Fatalf("replica %s does not serve release %s %v after it was published (refresh every %v)", r, last, time.Since(since), scaleRefresh)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for i, d := range seen {
		// the refresh interval, and the time to read the catalogue
		if d > scaleRefresh+time.Second {
			t.Errorf("replica %d served the new release %v after it was published; its refresh interval is %v", i, d, scaleRefresh)
		}
	}
	close(stop)
	readers.Wait()

	s := openStore(t, url)
	r := &drafts.Repo{Store: s}
	// every revision an author was told was stored reads back as sent
	for _, sub := range stored {
		got, err := r.Read(ctx, sub.rev)
		if err != nil {
			t.Errorf("revision %s: %v", sub.rev.Key, err)
			continue
		}
		if !bytes.Equal(got, sub.data) {
			t.Errorf("revision %s reads back %d bytes, not the %d submitted", sub.rev.Key, len(got), len(sub.data))
		}
	}
	if want := scaleAuthors * (scaleChapters + 2*scaleDatasets); len(stored) != want {
		t.Errorf("%d revisions stored, want %d", len(stored), want)
	}
	// no object anywhere is partial: each reads whole, its SHA-256 checked
	objects := 0
	err = store.ListAll(ctx, s, "", func(in store.Info) error {
		objects++
		rc, _, err := s.Get(ctx, in.Key)
		if err != nil {
			t.Errorf("%s: %v", in.Key, err)
			return nil
		}
		defer rc.Close()
		n, err := io.Copy(io.Discard, rc)
		if err != nil || n != in.Size {
			t.Errorf("%s: %d of %d bytes: %v", in.Key, n, in.Size, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// the catalogue: every release published is there, complete, with
	// every file's hash right, and no release's files outside it
	c, _, err = release.ReadCatalog(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	inCat := map[string]bool{}
	for _, rel := range c.Releases {
		inCat[rel.Name] = true
		kinds := map[string]bool{}
		for _, f := range rel.Files {
			kinds[f.Kind] = true
			data, err := release.Fetch(ctx, s, f)
			if err != nil {
				t.Errorf("release %s: %v", rel.Name, err)
				continue
			}
			h := sha256.Sum256(data)
			if hex.EncodeToString(h[:]) != f.SHA256 || len(data) != f.Size {
				t.Errorf("release %s: %s does not match the catalogue", rel.Name, f.Name)
			}
		}
		for _, k := range []string{"pdf", "manifest"} {
			if !kinds[k] {
				t.Errorf("release %s has no %s", rel.Name, k)
			}
		}
	}
	for _, name := range published {
		if !inCat[name] {
			t.Errorf("release %s was published but is not in the catalogue", name)
		}
	}
	if len(c.Releases) != scaleEditors*scaleRounds {
		t.Errorf("%d releases in the catalogue, want %d", len(c.Releases), scaleEditors*scaleRounds)
	}
	dirs := map[string]bool{}
	store.ListAll(ctx, s, layout.Published+"policy-study-sample/", func(in store.Info) error {
		rest := strings.TrimPrefix(in.Key, layout.Published+"policy-study-sample/")
		if name, _, ok := strings.Cut(rest, "/"); ok {
			dirs[name] = true
		}
		return nil
	})
	for name := range dirs {
		if !inCat[name] {
			t.Errorf("release files of %s are in the store but not in the catalogue", name)
		}
	}

	sort.Slice(seen, func(i, j int) bool { return seen[i] < seen[j] })
	t.Logf("SCALE %d authors, %d editors, 2 replicas, 3 volume servers (replication 001), volume1 killed at %v",
		scaleAuthors, scaleEditors, killTime.Sub(tWork).Round(time.Millisecond))
	t.Logf("SCALE submissions: %d (aceo submit calls, %d files) in %v: %.1f submissions/s (%d retries of any command)",
		subs.Load(), len(stored), authorsDone.Round(time.Millisecond), float64(subs.Load())/authorsDone.Seconds(), retries.Load())
	t.Logf("SCALE builds: %d release builds published in %v: %.1f builds/min", builds.Load(), elapsed.Round(time.Millisecond), float64(builds.Load())/elapsed.Minutes())
	t.Logf("SCALE catalogue: %d requests answered in %v across both replicas: %.0f requests/s (%d failed)",
		reads.Load(), elapsed.Round(time.Millisecond), float64(reads.Load())/elapsed.Seconds(), readFails.Load())
	var parts []string
	for name, d := range cpu {
		parts = append(parts, fmt.Sprintf("%s %.1f s", name, d.Seconds()))
	}
	sort.Strings(parts)
	t.Logf("SCALE processor time by process (2 cores, %v of work): %s", elapsed.Round(time.Millisecond), strings.Join(parts, ", "))
	t.Logf("SCALE store: %d objects, every one read whole and its SHA-256 checked; %d revisions read back as submitted; new release served by the replicas after %v", objects, len(stored), seen)
}

// roleProfiles issues temporary credentials for every author (one per
// publication they write for) and editor of the test, writes them as
// profiles of a shared credentials file that the environment then names
// (clearing the administrator's keys), and returns the store URL with a
// profile.
func roleProfiles(t *testing.T, url string) func(profile string) string {
	t.Helper()
	ctx := context.Background()
	roles := openStore(t, url).(store.Roles)
	var b strings.Builder
	issue := func(profile, role, pub string) {
		w, r, err := layout.Grant(role, pub)
		if err != nil {
			t.Fatal(err)
		}
		v, err := roles.Credentials(ctx, store.Grant{Write: w, Read: r}, time.Hour)
		if err != nil {
			t.Fatalf("credentials for %s: %v", profile, err)
		}
		fmt.Fprintf(&b, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n\n", profile, v.AccessKeyID, v.SecretAccessKey, v.SessionToken)
	}
	for a := 0; a < scaleAuthors; a++ {
		for _, pub := range []string{"policy-study-sample", "aceo-sample"} {
			issue(fmt.Sprintf("author-%d-%s", a, pub), layout.RoleAuthor, pub)
		}
	}
	for e := 0; e < scaleEditors; e++ {
		issue(fmt.Sprintf("editor-%d", e), layout.RoleEditor, "")
	}
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", file)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	return func(profile string) string { return url + "&profile=" + profile }
}

// serveReplica starts `aceo serve` (this test binary acting as aceo) on
// a free loopback port and returns its base URL once it answers, and its
// process id.
func serveReplica(t *testing.T, url string) (string, int) {
	t.Helper()
	port, err := testbin.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "--store", url, "serve", "--listen", addr, "--refresh", scaleRefresh.String(), "--access-log", "")
	cmd.Env = append(os.Environ(), "ACEO_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	for i := 0; i < 200; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, cmd.Process.Pid
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("aceo serve did not answer on %s: %s", addr, stderr.String())
	return "", 0
}
