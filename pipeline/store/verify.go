package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
)

// verifyReader hashes what is read and, at the end, compares it with the
// checksum stored with the object.
type verifyReader struct {
	r    io.ReadCloser
	h    hash.Hash
	want string
	key  string
	err  error
}

func newVerifyReader(r io.ReadCloser, key, want string) io.ReadCloser {
	if want == "" {
		return r
	}
	return &verifyReader{r: r, h: sha256.New(), want: want, key: key}
}

func (v *verifyReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			v.err = fmt.Errorf("%w: %s has SHA-256 %s, stored %s", ErrChecksum, v.key, got, v.want)
			return n, v.err
		}
	}
	if err != nil {
		v.err = err
	}
	return n, err
}

func (v *verifyReader) Close() error { return v.r.Close() }
