package build

import (
	"os"
	"path/filepath"

	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/tmpfiles"
)

// RevisionCache keeps the bytes of stored revisions on the builder's disk,
// named by their SHA-256. Revisions are immutable and named by their
// content, so a builder that has read one never needs to fetch it again:
// a build through a remote store then costs a listing and the new
// revisions only. Every read is checked against the hash.
type RevisionCache struct{ Dir string }

// DefaultRevisionCache is under the user's cache directory
// (aceo/revisions), or nil when there is none.
func DefaultRevisionCache() *RevisionCache {
	if os.Getenv("ACEO_REVISION_CACHE") == "off" {
		return nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return &RevisionCache{Dir: filepath.Join(dir, "aceo", "revisions")}
}

func (c *RevisionCache) path(sha string) string {
	return filepath.Join(c.Dir, sha[:2], sha)
}

// Get returns the cached bytes with SHA-256 sha, or nil.
func (c *RevisionCache) Get(sha string) []byte {
	if c == nil || len(sha) != 64 {
		return nil
	}
	data, err := os.ReadFile(c.path(sha))
	if err != nil {
		return nil
	}
	if manifest.SHA256(data) != sha {
		os.Remove(c.path(sha)) // damaged: fetch it again
		return nil
	}
	return data
}

// Put keeps data, whose SHA-256 is sha; a cache that cannot be written
// only costs a fetch next time.
func (c *RevisionCache) Put(sha string, data []byte) {
	if c == nil || len(sha) != 64 {
		return
	}
	p := c.path(sha)
	if _, err := os.Stat(p); err == nil {
		return
	}
	_ = tmpfiles.WriteFile(p, data, 0o644) // a cache: a failed write costs a read
}
