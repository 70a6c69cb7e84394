package store

import (
	"net/url"
	"strings"
	"testing"
)

// TestEventKeys: a MinIO bucket notification and a SeaweedFS filer event
// give the object's key; the filer's directory events and events of
// other buckets give none.
func TestEventKeys(t *testing.T) {
	s := &S3{bucket: "aceo", prefix: "t/"}
	cases := []struct {
		body string
		want []string
	}{
		{`{"Records":[{"s3":{"object":{"key":"t/drafts/p/a%20b.md"}}}]}`, []string{"t/drafts/p/a%20b.md"}},
		{`{"key":"/buckets/aceo/t/drafts/p/a b+c.md","event_type":"create","message":{"new_entry":{"name":"a b+c.md"}}}`, []string{url.QueryEscape("t/drafts/p/a b+c.md")}},
		{`{"key":"/buckets/aceo/t/drafts/p","event_type":"create","message":{"new_entry":{"name":"p","is_directory":true}}}`, nil},
		{`{"key":"/buckets/other/t/drafts/p/a.md","event_type":"create","message":{}}`, nil},
		{`{"key":"buckets/aceo/x","message":{}}`, nil},
		{`not json`, nil},
	}
	for _, c := range cases {
		got := s.eventKeys([]byte(c.body))
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: %q, want %q", c.body, got, c.want)
		}
	}
}

// FuzzEventKeys: any body a webhook posts ends in keys or none, never a
// panic, and no key it gives is longer than the body.
func FuzzEventKeys(f *testing.F) {
	f.Add([]byte(`{"Records":[{"s3":{"object":{"key":"t/drafts/p/a.md"}}}]}`))
	f.Add([]byte(`{"key":"/buckets/aceo/t/drafts/p/a.md","event_type":"delete","message":{"old_entry":{"name":"a.md"}}}`))
	f.Add([]byte(`{"key":"/aceo/","message":{"new_entry":{"is_directory":false}}}`))
	s := &S3{bucket: "aceo", prefix: "t/"}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, k := range s.eventKeys(body) {
			// MinIO's keys come as sent (escaped or not), the filer's
			// escaped by aceo
			u := k
			if v, err := url.QueryUnescape(k); err == nil {
				u = v
			}
			if len(u) > len(body) {
				t.Fatalf("key %q from %q", k, body)
			}
		}
	})
}
