package typeset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/aceo-project/aceo/pipeline/tmpfiles"
)

// The metrics a face's layout reads (the advance, glyph and coverage of
// every character of the Basic Multilingual Plane, ascent, descent, the
// em dash's ink, the face's index in a collection) take a walk over
// 65,536 characters through the font's tables: a tenth of a second for
// the fonts of a book, on every fresh process. They are kept in the
// user's cache directory (aceo/faces/), one file per face, named by a
// digest of the font file's path, size and modification time, the face
// and the format, as the font hashes of the manifest are. A file that is
// missing, short, or of another format is ignored and written again.

// faceCacheVersion changes whenever what a face file holds changes.
const faceCacheVersion = "aceo-face-1"

// faceCachePath is the cache file of face (or "") of the font at path,
// "" when the user has no cache directory or the font cannot be stat'ed.
func faceCachePath(path, face string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	st, err := os.Stat(abs)
	if err != nil {
		return ""
	}
	key := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s", faceCacheVersion, abs, st.Size(), st.ModTime().UnixNano(), face)))
	return filepath.Join(dir, "aceo", "faces", hex.EncodeToString(key[:16]))
}

// faceFileSize is the size of a face's cache file: the version, the
// index, ascent, descent, the dash's four numbers and whether it is
// known, then the widths, glyphs and coverage of the plane.
const faceFileSize = len(faceCacheVersion) + 4 + 8*6 + 1 + 0x10000*2 + 0x10000*2 + 0x10000/8

// encodeFace writes the metrics of f as its cache file holds them.
func encodeFace(f *Face) []byte {
	b := make([]byte, 0, faceFileSize)
	b = append(b, faceCacheVersion...)
	b = binary.BigEndian.AppendUint32(b, uint32(f.Index))
	for _, v := range []float64{f.Ascent, f.Descent, f.dash[0], f.dash[1], f.dash[2], f.dash[3]} {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
	}
	if f.dashOK {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, w := range f.widths {
		b = binary.BigEndian.AppendUint16(b, w)
	}
	for _, g := range f.gids {
		b = binary.BigEndian.AppendUint16(b, g)
	}
	for _, c := range f.covered {
		b = binary.BigEndian.AppendUint64(b, c)
	}
	return b
}

// decodeFace fills f's metrics from a cache file, reporting whether it
// was one of this format and size.
func decodeFace(b []byte, f *Face) bool {
	if len(b) != faceFileSize || string(b[:len(faceCacheVersion)]) != faceCacheVersion {
		return false
	}
	b = b[len(faceCacheVersion):]
	f.Index = int(binary.BigEndian.Uint32(b))
	b = b[4:]
	var v [6]float64
	for i := range v {
		v[i] = math.Float64frombits(binary.BigEndian.Uint64(b))
		b = b[8:]
	}
	f.Ascent, f.Descent, f.dash = v[0], v[1], [4]float64{v[2], v[3], v[4], v[5]}
	f.dashOK = b[0] == 1
	b = b[1:]
	f.widths, f.gids, f.covered = make([]uint16, 0x10000), make([]uint16, 0x10000), make([]uint64, 0x10000/64)
	for i := range f.widths {
		f.widths[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	b = b[2*0x10000:]
	for i := range f.gids {
		f.gids[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	b = b[2*0x10000:]
	for i := range f.covered {
		f.covered[i] = binary.BigEndian.Uint64(b[8*i:])
	}
	return true
}

// cachedFace reads the metrics of face of the font at path from the
// cache into a new Face with data, or returns nil.
func cachedFace(cachePath, path, face string, data []byte) *Face {
	if cachePath == "" {
		return nil
	}
	b, err := os.ReadFile(cachePath)
	if err != nil {
		return nil
	}
	f := newFace(path, face, data)
	if !decodeFace(b, f) || f.Index < 0 {
		return nil
	}
	return f
}

// storeFace writes f's metrics to the cache; a failure only costs the
// next process the walk again.
func storeFace(cachePath string, f *Face) {
	if cachePath != "" {
		_ = tmpfiles.WriteFile(cachePath, encodeFace(f), 0o644)
	}
}
