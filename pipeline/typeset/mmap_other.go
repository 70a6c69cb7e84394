//go:build !unix

package typeset

import "os"

// readFont reads a font file into memory.
func readFont(path string) ([]byte, error) { return os.ReadFile(path) }
