// Package store is aceo's object storage: a small interface with a local
// directory backend (the embedded default, no server needed) and an S3
// backend through minio-go (MinIO, AWS S3, Ceph...). Backends are chosen
// by URL: file:///path or s3://bucket/prefix?endpoint=host:port.
//
// Every backend keeps a SHA-256 of each object and checks it on read,
// supports create-only writes (the basis of immutable revisions), and
// refuses keys that could escape the store's prefix.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Errors every backend maps its own to, for errors.Is.
var (
	// ErrNotExist: no object has that key.
	ErrNotExist = errors.New("object does not exist")
	// ErrExist: a create-only write found the key taken.
	ErrExist = errors.New("object already exists")
	// ErrConflict: a conditional write (PutOptions.IfMatch) found the
	// object changed or gone since it was read.
	ErrConflict = errors.New("object changed since it was read")
	// ErrChecksum: the content read does not match the SHA-256 stored
	// with it.
	ErrChecksum = errors.New("object content does not match its checksum")
	// ErrInvalidKey: the key is not one the store accepts.
	ErrInvalidKey = errors.New("invalid key")
	// ErrUnreachable: the store could not be reached, or the connection
	// was lost before its answer came; a write may or may not have been
	// applied.
	ErrUnreachable = errors.New("store unreachable")
	// ErrDenied: the server refused the credentials this operation.
	ErrDenied = errors.New("access denied")
)

// unreachable is an error of ErrUnreachable with its own message.
type unreachable struct {
	msg string
	err error
}

func (e *unreachable) Error() string        { return e.msg }
func (e *unreachable) Unwrap() error        { return e.err }
func (e *unreachable) Is(target error) bool { return target == ErrUnreachable }

// Info describes a stored object.
type Info struct {
	Key      string
	Size     int64
	SHA256   string // hex
	Modified time.Time
	Meta     map[string]string // user metadata, lower-case keys
	// ETag identifies this version of the object for conditional writes
	// (PutOptions.IfMatch): the S3 ETag, or the content's SHA-256 on the
	// local store.
	ETag string
}

// PutOptions control a write.
type PutOptions struct {
	// CreateOnly refuses to replace an existing object: the write fails
	// with ErrExist. Revisions are written this way.
	CreateOnly bool
	// IfMatch replaces the object only if it is still the version with
	// this ETag (read with Stat or Get); otherwise the write fails with
	// ErrConflict. Read-modify-write updates (the release catalogue) use
	// it so that no concurrent update is lost.
	IfMatch     string
	ContentType string
	Meta        map[string]string // lower-case keys, ASCII values
}

// ListOptions select a page of a listing.
type ListOptions struct {
	Prefix     string
	StartAfter string // list keys after this one
	Limit      int    // at most this many; 0 means 1000
}

// Store is what every backend provides. Keys are slash-separated paths
// relative to the store's root; see ValidKey.
type Store interface {
	// Put stores the size bytes of r under key. Size -1 means unknown.
	// The object becomes visible whole or not at all.
	Put(ctx context.Context, key string, r io.Reader, size int64, opt PutOptions) (Info, error)
	// Get opens the object. Reading it to the end verifies its checksum:
	// the last Read returns ErrChecksum instead of io.EOF on a mismatch.
	// A missing key gives ErrNotExist.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Stat describes the object, or returns ErrNotExist.
	Stat(ctx context.Context, key string) (Info, error)
	// List returns up to Limit objects whose keys start with Prefix, in
	// key order after StartAfter, and whether more follow.
	List(ctx context.Context, opt ListOptions) ([]Info, bool, error)
	// Close releases the backend.
	Close() error
	// String names the store for messages (its URL without secrets).
	String() string
}

// ListAll calls fn for every object under prefix, page by page.
func ListAll(ctx context.Context, s Store, prefix string, fn func(Info) error) error {
	after := ""
	for {
		page, more, err := s.List(ctx, ListOptions{Prefix: prefix, StartAfter: after})
		if err != nil {
			return err
		}
		for _, in := range page {
			if err := fn(in); err != nil {
				return err
			}
		}
		if !more || len(page) == 0 {
			return nil
		}
		after = page[len(page)-1].Key
	}
}

// ValidKey checks a key: non-empty UTF-8 of at most 1024 bytes, relative,
// slash-separated, without empty, "." or ".." segments, NUL, backslashes
// or control characters. Unicode letters and spaces are fine.
func ValidKey(key string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrInvalidKey, key, why) }
	switch {
	case key == "":
		return bad("empty")
	case len(key) > 1024:
		return bad("longer than 1024 bytes")
	case !utf8.ValidString(key):
		return bad("not UTF-8")
	case strings.HasPrefix(key, "/"):
		return bad("absolute path")
	case strings.ContainsRune(key, '\\'):
		return bad("backslash")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return bad("control character or NUL")
		}
	}
	for _, seg := range strings.Split(key, "/") {
		switch seg {
		case "":
			return bad("empty path segment")
		case ".", "..":
			return bad("'.' or '..' segment")
		}
	}
	return nil
}

// Opener opens a store from a parsed URL.
type Opener func(ctx context.Context, u *url.URL) (Store, error)

var (
	mu      sync.Mutex
	openers = map[string]Opener{}
)

// Register makes a backend available for URLs with scheme.
func Register(scheme string, o Opener) {
	mu.Lock()
	defer mu.Unlock()
	openers[scheme] = o
}

// Open opens the store a URL names: file:///path/to/dir or
// s3://bucket[/prefix]?endpoint=host:port&tls=false&region=...
func Open(ctx context.Context, rawURL string) (Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store URL %q: %w", rawURL, err)
	}
	mu.Lock()
	o, ok := openers[u.Scheme]
	var schemes []string
	for s := range openers {
		schemes = append(schemes, s+"://")
	}
	mu.Unlock()
	if !ok {
		sort.Strings(schemes)
		return nil, fmt.Errorf("store URL %q: unknown scheme; use %s", rawURL, strings.Join(schemes, " or "))
	}
	return o(ctx, u)
}
