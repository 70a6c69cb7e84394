// Package safedir reads the files of a directory that aceo does not
// control (a publication directory, a datasets folder) without trusting
// it: only regular files inside the directory are read, never through a
// symbolic link that leads out of it (os.Root), never a named pipe, device
// or socket, which could block or never end, and never more than a size
// limit, checked on the open file before anything is read.
package safedir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Dir is an open directory.
type Dir struct {
	root *os.Root
	// Path is the directory as it was named; messages name files under it.
	Path string
}

// Open opens the directory at path.
func Open(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, Path: path}, nil
}

// Close releases the directory.
func (d *Dir) Close() error { return d.root.Close() }

// FS is the directory as a file system, for listing it (fs.WalkDir,
// fs.Glob); it does not leave the directory either.
func (d *Dir) FS() fs.FS { return d.root.FS() }

// Name is the name of a file of the directory in messages.
func (d *Dir) Name(rel string) string { return filepath.Join(d.Path, filepath.FromSlash(rel)) }

// ReadFile reads the file rel (slash-separated, relative to the directory)
// when it is a regular file inside the directory of at most limit bytes.
// A file that does not exist gives an error that errors.Is(err,
// fs.ErrNotExist); the others are diag errors that name the file.
func (d *Dir) ReadFile(rel string, limit int64, what string) ([]byte, error) {
	name := d.Name(rel)
	f, err := d.root.OpenFile(filepath.FromSlash(rel), os.O_RDONLY|oNonblock, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if strings.Contains(err.Error(), "escapes from parent") {
			return nil, diag.At(name, 0, fmt.Sprintf("%s leads outside %s (through a symbolic link or ..)", rel, d.Path),
				"copy the file into the directory instead of linking to it")
		}
		return nil, diag.At(name, 0, fmt.Sprintf("cannot open the file: %v", err), "check that it can be read")
	}
	defer f.Close()
	return read(f, name, limit, what)
}

// ReadFile reads the file at path with the checks of Dir.ReadFile, except
// that it may be anywhere: a file named on the command line.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path, limit, what)
}

func read(f *os.File, name string, limit int64, what string) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, diag.At(name, 0, fmt.Sprintf("cannot read the file: %v", err), "check that it can be read")
	}
	if !st.Mode().IsRegular() {
		return nil, diag.At(name, 0, fmt.Sprintf("%s is a %s, not a regular file", filepath.Base(name), kind(st.Mode())),
			"put the file itself there")
	}
	if st.Size() > limit {
		return nil, diag.At(name, 0, fmt.Sprintf("%s is %d bytes, more than the %d allowed", what, st.Size(), limit), "check that it is the right file, or split it")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, diag.At(name, 0, fmt.Sprintf("cannot read the file: %v", err), "check that it can be read")
	}
	if int64(len(data)) > limit {
		return nil, diag.At(name, 0, fmt.Sprintf("%s is more than the %d bytes allowed", what, limit), "check that it is the right file, or split it")
	}
	return data, nil
}

// kind names what a file that is not regular is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	}
	return "special file"
}
