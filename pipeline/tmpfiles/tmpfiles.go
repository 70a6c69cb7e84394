// Package tmpfiles keeps track of the temporary directories and files
// aceo makes, so that they are removed on every exit path: when their
// work ends, and when the process is interrupted (Ctrl-C, SIGTERM) before
// that. Those a killed process left behind are removed at the next start.
package tmpfiles

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Prefix starts the name of every temporary file or directory aceo makes
// in the system's temporary directory.
const Prefix = "aceo-"

var (
	mu    sync.Mutex
	paths = map[string]bool{}
)

// Dir makes a temporary directory named Prefix+pattern and returns it
// with the function that removes it.
func Dir(pattern string) (string, func(), error) {
	dir, err := os.MkdirTemp("", Prefix+pattern)
	if err != nil {
		return "", nil, err
	}
	mu.Lock()
	paths[dir] = true
	mu.Unlock()
	return dir, func() { Remove(dir) }, nil
}

// File makes a temporary file named Prefix+pattern, registered like Dir.
func File(pattern string) (*os.File, error) {
	f, err := os.CreateTemp("", Prefix+pattern)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	paths[f.Name()] = true
	mu.Unlock()
	return f, nil
}

// Remove removes a path made by Dir or File.
func Remove(p string) {
	os.RemoveAll(p)
	mu.Lock()
	delete(paths, p)
	mu.Unlock()
}

// RemoveAll removes every path still registered: what an interrupted
// process leaves.
func RemoveAll() {
	mu.Lock()
	list := make([]string, 0, len(paths))
	for p := range paths {
		list = append(list, p)
	}
	paths = map[string]bool{}
	mu.Unlock()
	for _, p := range list {
		os.RemoveAll(p)
	}
}

// RemoveStale removes, from the system's temporary directory, what aceo
// processes made and left more than age ago (a process killed outright
// cannot clean up), and reports how many it removed.
func RemoveStale(age time.Duration) int {
	entries, err := os.ReadDir(os.TempDir())
	if err != nil {
		return 0
	}
	n := 0
	cutoff := time.Now().Add(-age)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue
		}
		if os.RemoveAll(filepath.Join(os.TempDir(), e.Name())) == nil {
			n++
		}
	}
	return n
}

// Track registers a temporary path made elsewhere (beside its final
// name, to be renamed into place), so that an interruption removes it;
// Remove, or Untrack once it is renamed, ends that.
func Track(p string) {
	mu.Lock()
	paths[p] = true
	mu.Unlock()
}

// Untrack forgets a tracked path that is no longer temporary (renamed).
func Untrack(p string) {
	mu.Lock()
	delete(paths, p)
	mu.Unlock()
}
