package store

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// RandomAccess is the optional capability of stores that open an object
// for reading at any offset, so that a web server answers HTTP Range
// requests without reading the object from its start. The content is not
// verified against its checksum (a range cannot be); callers that need
// the whole object verified use Get.
type RandomAccess interface {
	// Open opens key for reading and seeking; a missing key gives
	// ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, Info, error)
}

// Presigner is the optional capability of stores that hand out
// short-lived URLs through which anyone may download one object.
type Presigner interface {
	// PresignGet returns a URL valid for expiry that downloads key as a
	// file named filename (Content-Disposition: attachment).
	PresignGet(ctx context.Context, key string, expiry time.Duration, filename string) (string, error)
}

var (
	_ RandomAccess = (*Dir)(nil)
	_ RandomAccess = (*S3)(nil)
	_ Presigner    = (*S3)(nil)
)

// Open opens the object's file; the file stays the version opened, even
// if the object is replaced meanwhile.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadSeekCloser, Info, error) {
	f, info, err := d.open(ctx, key)
	if err != nil {
		return nil, Info{}, err
	}
	return f, info, nil
}

// Open describes the object and returns a reader that fetches the parts
// read, with a ranged request per seek.
func (s *S3) Open(ctx context.Context, key string) (io.ReadSeekCloser, Info, error) {
	if err := ValidKey(key); err != nil {
		return nil, Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return nil, Info{}, s.mapErr("open", key, err)
	}
	// the reads ask for this version (its ETag), not whatever replaces it
	opt := minio.GetObjectOptions{}
	if err := opt.SetMatchETag(oi.ETag); err != nil {
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, opt)
	if err != nil {
		return nil, Info{}, s.mapErr("open", key, err)
	}
	return obj, s.info(key, oi), nil
}

// PresignGet signs a GET of key for expiry (at most seven days, as S3
// allows), answered as an attachment named filename.
func (s *S3) PresignGet(ctx context.Context, key string, expiry time.Duration, filename string) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	params := url.Values{}
	params.Set("response-content-disposition", Attachment(filename))
	u, err := s.client.PresignedGetObject(ctx, s.bucket, s.prefix+key, expiry, params)
	if err != nil {
		return "", s.mapErr("presign", key, err)
	}
	return u.String(), nil
}

// Attachment is a Content-Disposition value that saves a download as
// filename, in ASCII for old clients and in UTF-8 (RFC 6266) for the rest.
func Attachment(filename string) string {
	ascii := make([]rune, 0, len(filename))
	for _, r := range filename {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			r = '_'
		}
		ascii = append(ascii, r)
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, string(ascii), extValue(filename))
}

// extValue percent-encodes s as an RFC 5987 value: every byte but the
// attr-chars.
func extValue(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
