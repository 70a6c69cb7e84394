package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/tmpfiles"
)

func init() {
	Register("file", func(ctx context.Context, u *url.URL) (Store, error) {
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("store URL %q: a file URL has no host; write file:///absolute/path", u.String())
		}
		if u.Path == "" {
			return nil, fmt.Errorf("store URL %q: no directory; write file:///absolute/path", u.String())
		}
		return OpenDir(u.Path)
	})
}

// internal is the directory, under the root, that holds metadata and
// temporary files; keys may not start with it.
const internal = ".aceo-store"

// Dir is the local-directory backend: the embedded default for one user.
// Object <key> is the file <root>/<key>, so the store can be browsed; its
// metadata (SHA-256, size, time, user metadata) is a JSON file under
// <root>/.aceo-store/meta/. Writes go through a temporary file and are
// serialised by a lock file, so that several aceo processes can share a
// directory.
type Dir struct {
	root string
	mu   sync.Mutex // serialises writers within the process
}

var _ Store = (*Dir)(nil)

// OpenDir opens a directory store. Nothing is created until the first
// write: a command that only reads (validate, status, history) leaves no
// directory behind, and reads of a store that does not exist find
// nothing.
func OpenDir(root string) (*Dir, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("store directory %s: %w", root, err)
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("store directory %s is a file; name a directory", root)
	}
	return &Dir{root: abs}, nil
}

// create makes the store's directories, before a write.
func (d *Dir) create() error {
	for _, p := range []string{d.root, filepath.Join(d.root, internal, "meta"), filepath.Join(d.root, internal, "tmp")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return fmt.Errorf("store directory %s: %w", d.root, err)
		}
	}
	return nil
}

// String is the store's URL.
func (d *Dir) String() string { return "file://" + filepath.ToSlash(d.root) }

// Close does nothing.
func (d *Dir) Close() error { return nil }

type fileMeta struct {
	Size        int64             `json:"size"`
	SHA256      string            `json:"sha256"`
	Modified    time.Time         `json:"modified"`
	ContentType string            `json:"content_type,omitempty"`
	Meta        map[string]string `json:"meta,omitempty"`
}

func (d *Dir) check(key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if key == internal || strings.HasPrefix(key, internal+"/") {
		return fmt.Errorf("%w %q: %s/ is reserved for the store's own files", ErrInvalidKey, key, internal)
	}
	return nil
}

func (d *Dir) dataPath(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }
func (d *Dir) metaPath(key string) string {
	return filepath.Join(d.root, internal, "meta", filepath.FromSlash(key)+".json")
}

// Put writes the object through a temporary file: the metadata first,
// then the data, which is the commit. A create-only write claims the key
// with a hard link, which fails if the name exists.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, opt PutOptions) (Info, error) {
	if err := d.check(key); err != nil {
		return Info{}, err
	}
	if err := d.create(); err != nil {
		return Info{}, err
	}
	tmp, err := os.CreateTemp(filepath.Join(d.root, internal, "tmp"), "put-*")
	if err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	tmpfiles.Track(tmp.Name()) // removed on an interruption too
	defer tmpfiles.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), contextReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return Info{}, fmt.Errorf("store %s: read %d bytes, expected %d", key, n, size)
	}
	info := Info{Key: key, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Modified: time.Now().UTC(), Meta: opt.Meta}
	info.ETag = info.SHA256
	meta, _ := json.Marshal(fileMeta{Size: n, SHA256: info.SHA256, Modified: info.Modified, ContentType: opt.ContentType, Meta: opt.Meta})

	unlock, err := d.lock()
	if err != nil {
		return Info{}, err
	}
	defer unlock()
	final := d.dataPath(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	if opt.CreateOnly {
		if _, err := os.Lstat(final); err == nil {
			return Info{}, fmt.Errorf("%w: %s", ErrExist, key)
		}
	}
	if opt.IfMatch != "" {
		m, err := d.readMeta(key)
		if _, serr := os.Lstat(final); serr != nil || err != nil || m.SHA256 != opt.IfMatch {
			return Info{}, fmt.Errorf("%w: %s", ErrConflict, key)
		}
	}
	if err := writeFileAtomic(d.metaPath(key), meta); err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	if opt.CreateOnly {
		if err := os.Link(tmp.Name(), final); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return Info{}, fmt.Errorf("%w: %s", ErrExist, key)
			}
			return Info{}, fmt.Errorf("store %s: %w", key, err)
		}
	} else if err := os.Rename(tmp.Name(), final); err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	return info, nil
}

func writeFileAtomic(path string, data []byte) error {
	return tmpfiles.WriteFile(path, data, 0o644)
}

func (d *Dir) readMeta(key string) (fileMeta, error) {
	var m fileMeta
	data, err := os.ReadFile(d.metaPath(key))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("store %s: metadata: %w", key, err)
	}
	return m, nil
}

// Stat describes an object.
func (d *Dir) Stat(ctx context.Context, key string) (Info, error) {
	if err := d.check(key); err != nil {
		return Info{}, err
	}
	fi, err := os.Stat(d.dataPath(key))
	if err != nil || fi.IsDir() {
		return Info{}, fmt.Errorf("%w: %s", ErrNotExist, key)
	}
	m, err := d.readMeta(key)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// written before metadata existed, or by hand: describe what is there
			return Info{Key: key, Size: fi.Size(), Modified: fi.ModTime().UTC()}, nil
		}
		return Info{}, err
	}
	return Info{Key: key, Size: m.Size, SHA256: m.SHA256, Modified: m.Modified, Meta: m.Meta, ETag: m.SHA256}, nil
}

// Get opens an object; reading it to the end checks its SHA-256.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	f, info, err := d.open(ctx, key)
	if err != nil {
		return nil, Info{}, err
	}
	return newVerifyReader(f, key, info.SHA256), info, nil
}

// open describes an object and opens its file. The metadata and the data
// are read under the write lock, so that an object being replaced is read
// whole, old or new; the open file stays the version opened.
func (d *Dir) open(ctx context.Context, key string) (*os.File, Info, error) {
	if err := d.check(key); err != nil {
		return nil, Info{}, err
	}
	unlock, err := d.lock()
	if err != nil {
		return nil, Info{}, err
	}
	defer unlock()
	info, err := d.Stat(ctx, key)
	if err != nil {
		return nil, Info{}, err
	}
	f, err := os.Open(d.dataPath(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Info{}, fmt.Errorf("%w: %s", ErrNotExist, key)
		}
		return nil, Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	return f, info, nil
}

// List walks the directory; the local store is for one user's drafts, so
// a walk per page is cheap enough.
func (d *Dir) List(ctx context.Context, opt ListOptions) ([]Info, bool, error) {
	limit := opt.Limit
	if limit <= 0 {
		limit = 1000
	}
	var keys []string
	start := d.root
	if i := strings.LastIndex(opt.Prefix, "/"); i >= 0 {
		start = filepath.Join(d.root, filepath.FromSlash(opt.Prefix[:i]))
	}
	err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		rel, _ := filepath.Rel(d.root, p)
		key := filepath.ToSlash(rel)
		if e.IsDir() {
			if key == internal {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(key, opt.Prefix) && key > opt.StartAfter {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("list %s: %w", opt.Prefix, err)
	}
	sort.Strings(keys)
	more := len(keys) > limit
	if more {
		keys = keys[:limit]
	}
	out := make([]Info, 0, len(keys))
	for _, k := range keys {
		in, err := d.Stat(ctx, k)
		if err != nil {
			if errors.Is(err, ErrNotExist) {
				continue
			}
			return nil, false, err
		}
		out = append(out, in)
	}
	return out, more, nil
}

// contextReader stops a copy when the context is done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
