package tmpfiles

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: into a temporary file beside
// it (registered, so an interruption removes it), synced to disk, given
// perm, renamed over path, and the directory synced. A crash, a full disk
// or an interruption leaves the old file or the new one, never half of
// one. The directory is made when missing.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, ".aceo-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	Track(f.Name())
	defer Remove(f.Name()) // gone after the rename; removed on failure
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// the rename itself reaches the disk with its directory
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
