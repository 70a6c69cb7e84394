//go:build unix

package typeset

import (
	"fmt"
	"os"
	"syscall"
)

// readFont maps a font file read-only into memory instead of copying it:
// a CJK font is several megabytes of which a build reads a small part, so
// only the pages touched are loaded, and they are shared with the page
// cache. The mapping lives as long as the process, as faces do. The PDF
// library must not write into font data; with the mapping read-only, a
// write would fault at once rather than corrupt a document.
func readFont(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	if size != int64(int(size)) {
		return nil, fmt.Errorf("%s is too large", path)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return os.ReadFile(path) // e.g. a file system without mmap
	}
	return data, nil
}
