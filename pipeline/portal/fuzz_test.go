package portal

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"
)

var fuzzKey = []byte("0123456789abcdef0123456789abcdef-fuzz")

// FuzzVerifyInvite: any token is refused or accepted without a panic, and
// an accepted token is exactly the one SignInvite makes of its terms: no
// other spelling, no forged terms.
func FuzzVerifyInvite(f *testing.F) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, inv := range []Invite{
		{Pub: "aceo-sample", Kind: InviteChapter, Item: "forests", Lang: "zh", Author: "Lin Wei", Expires: now.Add(time.Hour), Nonce: "abc"},
		{Pub: "aceo-sample", Kind: InviteDataset, Item: "forests", Author: "A", Expires: now.Add(-time.Hour), Nonce: "x"},
	} {
		tok, err := SignInvite(fuzzKey, inv)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
		f.Add(tok[:len(tok)-1] + "A")
		f.Add(strings.Replace(tok, ".", "..", 1))
	}
	f.Add("")
	f.Add(".")
	f.Add(strings.Repeat("A", 5000))
	f.Fuzz(func(t *testing.T, token string) {
		inv, err := VerifyInvite(fuzzKey, token, now)
		if err != nil && err != ErrInviteInvalid && err != ErrInviteExpired {
			t.Fatalf("unexpected error %v", err)
		}
		if err == ErrInviteInvalid {
			return
		}
		again, serr := SignInvite(fuzzKey, inv)
		if serr != nil || again != token {
			t.Fatalf("accepted %q, which is not what its terms sign to (%q, %v)", token, again, serr)
		}
	})
}

// FuzzInviteRoundTrip: terms that can be signed verify to the same terms,
// and a token changed in any one character is refused.
func FuzzInviteRoundTrip(f *testing.F) {
	f.Add("aceo-sample", "chapter", "forests", "en", "Lin Wei", int64(3600), 5)
	f.Add("p", "figure", "map", "", "\x1b[31mX", int64(60), 0)
	f.Add("p", "dataset", "..", "", "A", int64(60), 1)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, pub, kind, item, lang, author string, secs int64, at int) {
		inv := Invite{Pub: pub, Kind: kind, Item: item, Lang: lang, Author: author, Expires: now.Add(time.Duration(secs%1e9) * time.Second), Nonce: "n"}
		tok, err := SignInvite(fuzzKey, inv)
		if err != nil {
			if inv.Check() == nil {
				t.Fatalf("valid terms not signed: %v", err)
			}
			return
		}
		got, err := VerifyInvite(fuzzKey, tok, now)
		if secs%1e9 <= 0 {
			if err != ErrInviteExpired {
				t.Fatalf("expired invitation: %v", err)
			}
			return
		}
		if err != nil || got.Pub != pub || got.Kind != kind || got.Item != item || got.Lang != lang || got.Author != author {
			t.Fatalf("round trip: %+v %v, signed %+v", got, err, inv)
		}
		if at < 0 {
			at = -at
		}
		i := at % len(tok)
		for _, c := range []byte("A_-.x0") {
			if c == tok[i] {
				continue
			}
			bad := tok[:i] + string(c) + tok[i+1:]
			if _, err := VerifyInvite(fuzzKey, bad, now); err == nil {
				t.Fatalf("changed token %q accepted", bad)
			}
		}
	})
}

// FuzzRange: whatever the Range header, tameRange leaves ranges that are
// sorted, apart, inside the file and at most MaxRanges, covering the same
// bytes as the satisfiable ranges asked for; and the answer is never much
// larger than the file.
func FuzzRange(f *testing.F) {
	for _, s := range []string{"bytes=0-0,-1", "bytes=-0,-0,-0", "bytes=0-0,,0-0,,0-0", "bytes=0-0,\u00a00-0", "bytes=" + strings.Repeat("-1,", 100) + "-1", "bytes=0-10,5-20,30-", "bytes=5-1", "bytes=,", "bytes=99999-", "bytes=-0", "bytes=1-2,4-5,7-8,10-11,13-14,16-17,19-20,22-23,25-26,28-29,31-32,34-35,37-38,40-41,43-44,46-47,49-50"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, header string, size int64) {
		if size <= 0 || size > 4096 || len(header) > 2000 {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/f", nil)
		r.Header.Set("Range", header)
		tameRange(r, size)
		got := r.Header.Get("Range")
		if got != header && got != "" && got != "bytes="+strconv.FormatInt(size, 10)+"-" {
			spec, ok := strings.CutPrefix(got, "bytes=")
			if !ok {
				t.Fatalf("rewritten to %q", got)
			}
			parts := strings.Split(spec, ",")
			if len(parts) > MaxRanges {
				t.Fatalf("%d ranges left", len(parts))
			}
			prev := int64(-2)
			covered := make([]bool, size)
			for _, p := range parts {
				a, b, _ := strings.Cut(p, "-")
				x, err1 := strconv.ParseInt(a, 10, 64)
				y, err2 := strconv.ParseInt(b, 10, 64)
				if err1 != nil || err2 != nil || x > y || x <= prev+1 || y >= size {
					t.Fatalf("range %q of %q is out of order, touching or outside %d", p, got, size)
				}
				prev = y
				for i := x; i <= y; i++ {
					covered[i] = true
				}
			}
			// the same bytes as asked for (the satisfiable ranges)
			want := make([]bool, size)
			for _, p := range strings.Split(strings.TrimPrefix(header, "bytes="), ",") {
				a, b, _ := strings.Cut(textproto.TrimString(p), "-")
				a, b = textproto.TrimString(a), textproto.TrimString(b)
				if a == "" && b == "" {
					continue
				}
				if a == "" {
					n, _ := strconv.ParseInt(b, 10, 64)
					for i := max(size-n, 0); i < size; i++ {
						want[i] = true
					}
					continue
				}
				x, _ := strconv.ParseInt(a, 10, 64)
				y := size - 1
				if b != "" {
					y, _ = strconv.ParseInt(b, 10, 64)
					y = min(y, size-1)
				}
				for i := x; i <= y && i < size; i++ {
					want[i] = true
				}
			}
			for i := range want {
				if want[i] != covered[i] {
					t.Fatalf("byte %d: asked %v, served %v (%q -> %q)", i, want[i], covered[i], header, got)
				}
			}
		}
		// what the server then sends stays within the file and the
		// multipart headers of MaxRanges parts
		w := httptest.NewRecorder()
		http.ServeContent(w, r, "f.pdf", time.Time{}, bytes.NewReader(make([]byte, size)))
		n, _ := io.Copy(io.Discard, w.Result().Body)
		if n > size+int64(MaxRanges)*200+200 {
			t.Fatalf("%q on %d bytes sent %d bytes", header, size, n)
		}
	})
}
