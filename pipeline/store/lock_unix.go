//go:build unix

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// lock takes the store's write lock, shared with other processes through
// flock on a lock file.
func (d *Dir) lock() (func(), error) {
	d.mu.Lock()
	if _, err := os.Stat(filepath.Join(d.root, internal)); errors.Is(err, fs.ErrNotExist) {
		// nothing was ever written (a write creates the directory first):
		// nothing to guard, and a reader must not create the store
		return d.mu.Unlock, nil
	}
	f, err := os.OpenFile(filepath.Join(d.root, internal, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		d.mu.Unlock()
		return nil, fmt.Errorf("store lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		d.mu.Unlock()
		return nil, fmt.Errorf("store lock: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		d.mu.Unlock()
	}, nil
}
