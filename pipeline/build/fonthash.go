package build

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/tmpfiles"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// fontHashes hashes the fonts a build loaded, for its manifest. Hashing
// reads every byte of some 70 MB of fonts, which costs more than a tenth
// of a second on a cold process; the hashes are therefore kept in the
// user's cache directory (aceo/font-sha256.json) under each file's path,
// size and modification time, and a font is hashed again only when one of
// those changes.
func fontHashes(fs *typeset.FontSet) []manifest.FileHash {
	faces := fs.Loaded()
	cache := loadFontCache()
	changed := false
	out := make([]manifest.FileHash, 0, len(faces))
	for _, f := range faces {
		key := ""
		if st, err := os.Stat(f.Path); err == nil {
			key = fmt.Sprintf("%s|%d|%d", f.Path, st.Size(), st.ModTime().UnixNano())
		}
		h, ok := cache.get(key)
		if !ok {
			h = f.SHA256()
			if key != "" {
				cache.set(key, h)
				changed = true
			}
		}
		out = append(out, manifest.FileHash{Name: baseName(f.Path), SHA256: h})
	}
	if changed {
		cache.save()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

type fontCache struct {
	mu   sync.Mutex
	file string
	m    map[string]string
}

var fontCacheOnce struct {
	sync.Once
	c *fontCache
}

func loadFontCache() *fontCache {
	fontCacheOnce.Do(func() {
		c := &fontCache{m: map[string]string{}}
		if dir, err := os.UserCacheDir(); err == nil {
			c.file = filepath.Join(dir, "aceo", "font-sha256.json")
			if b, err := os.ReadFile(c.file); err == nil {
				json.Unmarshal(b, &c.m)
			}
		}
		fontCacheOnce.c = c
	})
	return fontCacheOnce.c
}

func (c *fontCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[key]
	return h, ok && key != "" && len(h) == 64
}

func (c *fontCache) set(key, h string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = h
}

// save writes the cache through a temporary file; a cache that cannot be
// written only costs the next process the hashing.
func (c *fontCache) save() {
	c.mu.Lock()
	b, _ := json.MarshalIndent(c.m, "", " ")
	c.mu.Unlock()
	if c.file != "" {
		_ = tmpfiles.WriteFile(c.file, b, 0o644)
	}
}
