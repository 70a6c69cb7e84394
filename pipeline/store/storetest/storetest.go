// Package storetest is the conformance suite every store backend passes:
// a backend supplies a small harness, the suite supplies the cases.
//
//	storetest.Run(t, func(t *testing.T) storetest.Harness { ... })
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store"
)

// Harness gives the suite a fresh, empty store and a way to damage an
// object behind the store's back.
type Harness interface {
	Store() store.Store
	// Corrupt changes the stored bytes of key without updating the
	// checksum kept with them.
	Corrupt(t *testing.T, key string)
}

// Run runs every case, each on a fresh store from newHarness.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	cases := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"PutGetStat", testPutGetStat},
		{"NotExist", testNotExist},
		{"CreateOnly", testCreateOnly},
		{"Overwrite", testOverwrite},
		{"ListPrefixesAndPages", testList},
		{"ListMoreThanAPage", testListLarge},
		{"ChecksumOnRead", testChecksum},
		{"LargeObject", testLarge},
		{"ConcurrentWriters", testConcurrent},
		{"UnicodeAndSpaces", testUnicode},
		{"RefusesEscapingKeys", testBadKeys},
		{"SizeMismatch", testSizeMismatch},
		{"ConditionalWrite", testIfMatch},
		{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
		{"RandomAccess", testRandomAccess},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newHarness(t)) })
	}
}

var ctx = context.Background()

func put(t *testing.T, s store.Store, key, content string, opt store.PutOptions) store.Info {
	t.Helper()
	in, err := s.Put(ctx, key, strings.NewReader(content), int64(len(content)), opt)
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
	return in
}

func get(t *testing.T, s store.Store, key string) (string, store.Info) {
	t.Helper()
	rc, in, err := s.Get(ctx, key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b), in
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func testPutGetStat(t *testing.T, h Harness) {
	s := h.Store()
	content := "---\ntitle: x\n---\nHello\n"
	in := put(t, s, "drafts/p/chapters/c/en/r1.md", content, store.PutOptions{Meta: map[string]string{"author": "Lin Wei"}, ContentType: "text/markdown"})
	if in.SHA256 != sum(content) || in.Size != int64(len(content)) {
		t.Fatalf("put info %+v", in)
	}
	got, gi := get(t, s, "drafts/p/chapters/c/en/r1.md")
	if got != content || gi.SHA256 != sum(content) || gi.Size != int64(len(content)) {
		t.Fatalf("get: %q %+v", got, gi)
	}
	st, err := s.Stat(ctx, "drafts/p/chapters/c/en/r1.md")
	if err != nil || st.SHA256 != sum(content) || st.Size != int64(len(content)) || st.Meta["author"] != "Lin Wei" || st.Modified.IsZero() {
		t.Fatalf("stat: %+v %v", st, err)
	}
}

func testNotExist(t *testing.T, h Harness) {
	s := h.Store()
	if _, _, err := s.Get(ctx, "nope/missing.md"); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("get: %v", err)
	}
	if _, err := s.Stat(ctx, "nope/missing.md"); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("stat: %v", err)
	}
	put(t, s, "dir/file", "x", store.PutOptions{})
	if _, err := s.Stat(ctx, "dir"); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("a prefix is not an object: %v", err)
	}
	page, more, err := s.List(ctx, store.ListOptions{Prefix: "nope/"})
	if err != nil || len(page) != 0 || more {
		t.Errorf("list of nothing: %v %v %v", page, more, err)
	}
}

func testCreateOnly(t *testing.T, h Harness) {
	s := h.Store()
	put(t, s, "rev/1", "first", store.PutOptions{CreateOnly: true})
	_, err := s.Put(ctx, "rev/1", strings.NewReader("second"), 6, store.PutOptions{CreateOnly: true})
	if !errors.Is(err, store.ErrExist) {
		t.Fatalf("second create-only write: %v", err)
	}
	if got, _ := get(t, s, "rev/1"); got != "first" {
		t.Fatalf("content replaced: %q", got)
	}
}

func testOverwrite(t *testing.T, h Harness) {
	s := h.Store()
	put(t, s, "config/p/publication.yaml", "one", store.PutOptions{})
	put(t, s, "config/p/publication.yaml", "two, longer", store.PutOptions{})
	if got, in := get(t, s, "config/p/publication.yaml"); got != "two, longer" || in.SHA256 != sum("two, longer") {
		t.Fatalf("%q %+v", got, in)
	}
}

func testList(t *testing.T, h Harness) {
	s := h.Store()
	var want []string
	for i := 0; i < 25; i++ {
		k := fmt.Sprintf("a/x/%02d", i)
		want = append(want, k)
		put(t, s, k, k, store.PutOptions{})
	}
	put(t, s, "a/xy", "sibling", store.PutOptions{})
	put(t, s, "b/1", "other", store.PutOptions{})
	var got []string
	after, pages := "", 0
	for {
		page, more, err := s.List(ctx, store.ListOptions{Prefix: "a/x/", StartAfter: after, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, in := range page {
			got = append(got, in.Key)
			if in.Size != int64(len(in.Key)) {
				t.Errorf("%s: size %d", in.Key, in.Size)
			}
		}
		if !more {
			break
		}
		after = page[len(page)-1].Key
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Fatalf("%d pages: %v", pages, got)
	}
	var all []string
	if err := store.ListAll(ctx, s, "a/", func(in store.Info) error { all = append(all, in.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) != 26 || all[25] != "a/xy" {
		t.Fatalf("prefix a/: %v", all)
	}
}

func testListLarge(t *testing.T, h Harness) {
	s := h.Store()
	const n = 1010
	keys := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range keys {
				k := fmt.Sprintf("many/%04d", i)
				if _, err := s.Put(ctx, k, strings.NewReader("x"), 1, store.PutOptions{}); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		keys <- i
	}
	close(keys)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	var got []string
	if err := store.ListAll(ctx, s, "many/", func(in store.Info) error { got = append(got, in.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != n || !sort.StringsAreSorted(got) || got[n-1] != fmt.Sprintf("many/%04d", n-1) {
		t.Fatalf("listed %d keys", len(got))
	}
}

func testChecksum(t *testing.T, h Harness) {
	s := h.Store()
	put(t, s, "drafts/x.md", "the original text", store.PutOptions{})
	h.Corrupt(t, "drafts/x.md")
	rc, _, err := s.Get(ctx, "drafts/x.md")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, err = io.ReadAll(rc)
	if !errors.Is(err, store.ErrChecksum) {
		t.Fatalf("reading a corrupted object: %v", err)
	}
}

// prng is a deterministic stream of bytes.
func prng(seed int64, n int64) io.Reader { return io.LimitReader(rand.New(rand.NewSource(seed)), n) }

func testLarge(t *testing.T, h Harness) {
	s := h.Store()
	const size = 100 << 20
	want := sha256.New()
	io.Copy(want, prng(7, size))
	in, err := s.Put(ctx, "builds/p/big.bin", prng(7, size), size, store.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Size != size || in.SHA256 != hex.EncodeToString(want.Sum(nil)) {
		t.Fatalf("%+v", in)
	}
	rc, _, err := s.Get(ctx, "builds/p/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got := sha256.New()
	n, err := io.Copy(got, rc)
	if err != nil || n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatalf("read back %d bytes: %v", n, err)
	}
}

func testConcurrent(t *testing.T, h Harness) {
	s := h.Store()
	const writers = 16
	var wg sync.WaitGroup
	results := make([]error, writers)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := fmt.Sprintf("writer %d", i)
			_, results[i] = s.Put(ctx, "race/one", strings.NewReader(c), int64(len(c)), store.PutOptions{CreateOnly: true})
			// and one key of its own
			k := fmt.Sprintf("race/own/%d", i)
			if _, err := s.Put(ctx, k, strings.NewReader(c), int64(len(c)), store.PutOptions{CreateOnly: true}); err != nil {
				t.Errorf("own key %s: %v", k, err)
			}
		}(i)
	}
	wg.Wait()
	winners := 0
	winner := -1
	for i, err := range results {
		switch {
		case err == nil:
			winners++
			winner = i
		case !errors.Is(err, store.ErrExist):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d writers created the same key", winners)
	}
	if got, _ := get(t, s, "race/one"); got != fmt.Sprintf("writer %d", winner) {
		t.Fatalf("stored %q, winner was %d", got, winner)
	}
	for i := 0; i < writers; i++ {
		if got, _ := get(t, s, fmt.Sprintf("race/own/%d", i)); got != fmt.Sprintf("writer %d", i) {
			t.Errorf("own key %d: %q", i, got)
		}
	}
}

func testUnicode(t *testing.T, h Harness) {
	s := h.Store()
	keys := []string{"drafts/Hà Nội/第 1 章 draft.md", "drafts/Hà Nội/µg per m³.csv", "drafts/space at end /x"}
	for _, k := range keys {
		put(t, s, k, k, store.PutOptions{})
	}
	for _, k := range keys {
		if got, _ := get(t, s, k); got != k {
			t.Errorf("%q: %q", k, got)
		}
	}
	page, _, err := s.List(ctx, store.ListOptions{Prefix: "drafts/Hà Nội/"})
	if err != nil || len(page) != 2 {
		t.Fatalf("%v %v", page, err)
	}
}

func testBadKeys(t *testing.T, h Harness) {
	s := h.Store()
	for _, k := range []string{"", "../escape", "a/../../b", "/etc/passwd", "a/./b", "a//b", "nul\x00byte", "back\\slash", "a/..", "..", "tab\there"} {
		if _, err := s.Put(ctx, k, strings.NewReader("x"), 1, store.PutOptions{}); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("put %q: %v", k, err)
		}
		if _, _, err := s.Get(ctx, k); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("get %q: %v", k, err)
		}
		if _, err := s.Stat(ctx, k); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("stat %q: %v", k, err)
		}
	}
}

func testSizeMismatch(t *testing.T, h Harness) {
	s := h.Store()
	if _, err := s.Put(ctx, "short", strings.NewReader("abc"), 10, store.PutOptions{}); err == nil {
		t.Fatal("a short body was stored")
	}
	if _, err := s.Stat(ctx, "short"); !errors.Is(err, store.ErrNotExist) {
		t.Fatalf("a failed write left an object: %v", err)
	}
}

// testIfMatch: a write conditional on a version succeeds while the object
// is that version and fails with ErrConflict once it changed or is gone.
func testIfMatch(t *testing.T, h Harness) {
	s := h.Store()
	v1 := put(t, s, "cat.json", "one", store.PutOptions{})
	if v1.ETag == "" {
		t.Fatal("Put returned no ETag")
	}
	_, st := get(t, s, "cat.json")
	if st.ETag != v1.ETag {
		t.Fatalf("Get ETag %q, Put gave %q", st.ETag, v1.ETag)
	}
	v2, err := s.Put(ctx, "cat.json", strings.NewReader("two"), 3, store.PutOptions{IfMatch: v1.ETag})
	if err != nil {
		t.Fatalf("write on the version read: %v", err)
	}
	if _, err := s.Put(ctx, "cat.json", strings.NewReader("three"), 5, store.PutOptions{IfMatch: v1.ETag}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("write on a stale version: %v, want ErrConflict", err)
	}
	if got, _ := get(t, s, "cat.json"); got != "two" {
		t.Fatalf("content %q after a refused write", got)
	}
	if in, err := s.Stat(ctx, "cat.json"); err != nil || in.ETag != v2.ETag {
		t.Fatalf("Stat ETag %q, want %q (%v)", in.ETag, v2.ETag, err)
	}
	if _, err := s.Put(ctx, "absent.json", strings.NewReader("x"), 1, store.PutOptions{IfMatch: v1.ETag}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("conditional write of a missing object: %v, want ErrConflict", err)
	}
}

// testConcurrentUpdates: 8 writers each append their number 5 times to
// one object by read, modify, conditional write and retry; no update is
// lost.
func testConcurrentUpdates(t *testing.T, h Harness) {
	s := h.Store()
	put(t, s, "counter", "", store.PutOptions{})
	const writers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				for try := 0; ; try++ {
					rc, in, err := s.Get(ctx, "counter")
					if err != nil {
						errs <- fmt.Errorf("get: %w", err)
						return
					}
					b, err := io.ReadAll(rc)
					rc.Close()
					if err != nil {
						errs <- fmt.Errorf("read: %w", err)
						return
					}
					next := string(b) + fmt.Sprintf("%d.%d ", w, i)
					_, err = s.Put(ctx, "counter", strings.NewReader(next), int64(len(next)), store.PutOptions{IfMatch: in.ETag})
					if err == nil {
						break
					}
					if !errors.Is(err, store.ErrConflict) || try > 200 {
						errs <- fmt.Errorf("put: %w", err)
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, _ := get(t, s, "counter")
	if n := len(strings.Fields(got)); n != writers*each {
		t.Fatalf("%d updates kept of %d: %q", n, writers*each, got)
	}
}

// testRandomAccess opens an object for ranged reads (what a web server
// needs for HTTP Range), when the backend offers it: every backend of
// aceo does, so its absence fails.
func testRandomAccess(t *testing.T, h Harness) {
	s := h.Store()
	ra, ok := s.(store.RandomAccess)
	if !ok {
		t.Fatalf("%T does not implement store.RandomAccess", s)
	}
	data, err := io.ReadAll(prng(7, 3<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "published/p/r/big.pdf", bytes.NewReader(data), int64(len(data)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	f, in, err := ra.Open(ctx, "published/p/r/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if in.Size != int64(len(data)) || in.SHA256 != sum(string(data)) {
		t.Errorf("info %d bytes %s, want %d %s", in.Size, in.SHA256, len(data), sum(string(data)))
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil || end != int64(len(data)) {
		t.Fatalf("seek to end: %d, %v", end, err)
	}
	for _, r := range [][2]int64{{0, 10}, {2<<20 + 5, 1000}, {int64(len(data)) - 7, 7}, {123456, 1 << 20}} {
		if _, err := f.Seek(r[0], io.SeekStart); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, r[1])
		if _, err := io.ReadFull(f, buf); err != nil {
			t.Fatalf("read %d bytes at %d: %v", r[1], r[0], err)
		}
		if !bytes.Equal(buf, data[r[0]:r[0]+r[1]]) {
			t.Errorf("bytes at %d differ", r[0])
		}
	}
	if _, _, err := ra.Open(ctx, "published/p/r/none.pdf"); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("open a missing key: %v, want ErrNotExist", err)
	}
	if _, _, err := ra.Open(ctx, "published/../config/x"); !errors.Is(err, store.ErrInvalidKey) {
		t.Errorf("open an escaping key: %v, want ErrInvalidKey", err)
	}
}
