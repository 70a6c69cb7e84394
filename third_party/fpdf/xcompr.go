// Copyright ©2021 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"sync"
)

var xmem = xmempool{
	Pool: sync.Pool{
		New: func() any {
			var m membuffer
			return &m
		},
	},
}

type xmempool struct{ sync.Pool }

var zwPool = sync.Pool{
	New: func() any {
		zw, err := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
		if err != nil {
			panic(fmt.Errorf("could not create zlib writer: %w", err))
		}
		return zw
	},
}

func (pool *xmempool) compress(data []byte) *membuffer {
	return pool.compressLevel(data, zlib.BestSpeed)
}

// zwLevelPools keep zlib writers of the other levels (aceo patch).
var zwLevelPools [10]sync.Pool

// compressLevel is compress at a zlib level from 1 to 9 (aceo patch).
func (pool *xmempool) compressLevel(data []byte, level int) *membuffer {
	if level < 1 || level > 9 {
		level = zlib.BestSpeed
	}
	zp := &zwPool
	if level != zlib.BestSpeed {
		zp = &zwLevelPools[level]
	}
	mem := pool.Get().(*membuffer)
	buf := &mem.buf
	buf.Grow(len(data))

	// aceo patch: reuse zlib writers. A new writer allocates and clears
	// about 1 MB of compressor state, once per page stream; Reset gives the
	// same output without that cost.
	zw, _ := zp.Get().(*zlib.Writer)
	if zw == nil {
		var err error
		if zw, err = zlib.NewWriterLevel(io.Discard, level); err != nil {
			panic(fmt.Errorf("could not create zlib writer: %w", err))
		}
	}
	defer zp.Put(zw)
	zw.Reset(buf)
	_, err := zw.Write(data)
	if err != nil {
		panic(fmt.Errorf("could not zlib-compress slice: %w", err))
	}

	err = zw.Close()
	if err != nil {
		panic(fmt.Errorf("could not close zlib writer: %w", err))
	}
	return mem
}

func (pool *xmempool) uncompress(data []byte) (*membuffer, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}

	mem := pool.Get().(*membuffer)
	mem.buf.Reset()

	_, err = mem.buf.ReadFrom(zr)
	if err != nil {
		mem.release()
		return nil, err
	}

	return mem, nil
}

type membuffer struct {
	buf bytes.Buffer
}

func (mem *membuffer) bytes() []byte { return mem.buf.Bytes() }
func (mem *membuffer) release() {
	mem.buf.Reset()
	xmem.Put(mem)
}

func (mem *membuffer) copy() []byte {
	src := mem.bytes()
	dst := make([]byte, len(src))
	copy(dst, src)
	return dst
}
