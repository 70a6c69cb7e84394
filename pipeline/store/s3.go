package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aceo-project/aceo/pipeline/tmpfiles"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func init() {
	Register("s3", func(ctx context.Context, u *url.URL) (Store, error) { return OpenS3(ctx, u) })
}

// S3 is the backend for S3-compatible object stores through minio-go.
// Keys live under an optional prefix of the bucket. The SHA-256 of every
// object is stored as user metadata (x-amz-meta-sha256) and checked on
// read; create-only writes use If-None-Match: *.
type S3 struct {
	client *minio.Client
	creds  *credentials.Credentials
	secure bool
	bucket string
	prefix string // "" or ending in "/"
	url    string // without secrets
	region string // "" for the server's default

	transport  http.RoundTripper // nil: the default
	bucketSeen atomic.Bool       // the bucket was found to exist, or could not be asked about
	serverOnce sync.Once
	server     string // the server's Server header, once asked
	serverErr  error
}

var _ Store = (*S3)(nil)

// spoolLimit is the size up to which an upload of unknown content is held
// in memory to hash it before sending; larger ones go through a file.
const spoolLimit = 16 << 20

// OpenS3 opens s3://bucket[/prefix]?endpoint=host:port&tls=false&region=r
// &profile=name&anonymous=true. Credentials come from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else from the shared
// credentials file (~/.aws/credentials, profile from the URL or
// AWS_PROFILE), else the client is anonymous; anonymous=true makes it
// anonymous whatever the environment holds.
func OpenS3(ctx context.Context, u *url.URL) (*S3, error) {
	return OpenS3With(ctx, u, nil)
}

// OpenS3With is OpenS3 with an HTTP transport of the caller's (nil: the
// default), for proxies and for tests that disturb the connection.
func OpenS3With(ctx context.Context, u *url.URL, transport http.RoundTripper) (*S3, error) {
	q := u.Query()
	bucket := u.Host
	if bucket == "" {
		return nil, fmt.Errorf("store URL %q: no bucket; write s3://bucket/prefix?endpoint=host:port", u.Redacted())
	}
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	secure := q.Get("tls") != "false"
	var creds *credentials.Credentials
	switch {
	case q.Get("anonymous") == "true":
		creds = credentials.NewStaticV4("", "", "") // public reads (aceo download)
	case os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_ACCESS_KEY") != "":
		creds = credentials.NewEnvAWS()
	case q.Get("profile") != "" || os.Getenv("AWS_PROFILE") != "" || fileExists(os.Getenv("AWS_SHARED_CREDENTIALS_FILE")) || fileExists(homeFile(".aws/credentials")):
		creds = credentials.NewFileAWSCredentials("", q.Get("profile"))
		// read the file now: a missing profile is said here, plainly,
		// not as the first request's failure
		if _, err := creds.GetWithContext(nil); err != nil {
			file := os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
			if file == "" {
				file = homeFile(".aws/credentials")
			}
			profile := q.Get("profile")
			if profile == "" {
				profile = os.Getenv("AWS_PROFILE")
			}
			if profile == "" {
				profile = "default"
			}
			return nil, fmt.Errorf("store %s: no credentials for profile %q in %s (%v); add the profile, name another with &profile= or AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", u.Redacted(), profile, file, err)
		}
	default:
		creds = credentials.NewStaticV4("", "", "") // anonymous
	}
	client, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: q.Get("region"), Transport: transport})
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", u.Redacted(), err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		if err := ValidKey(prefix); err != nil {
			return nil, fmt.Errorf("store URL %q: prefix: %w", u.Redacted(), err)
		}
		prefix += "/"
	}
	clean := url.URL{Scheme: "s3", Host: bucket, Path: u.Path, RawQuery: "endpoint=" + endpoint}
	return &S3{client: client, creds: creds, secure: secure, bucket: bucket, prefix: prefix, url: clean.String(), region: q.Get("region"), transport: transport}, nil
}

func fileExists(p string) bool {
	if p == "" {
		return false
	}
	_, err := os.Stat(p)
	return err == nil
}

func homeFile(rel string) string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return h + "/" + rel
}

// String is the store's URL without credentials.
func (s *S3) String() string { return s.url }

// Close does nothing: the client has no connection state to release.
func (s *S3) Close() error { return nil }

// mapErr turns S3 errors into the store's errors and one clear line for
// the common failures.
func (s *S3) mapErr(op, key string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket":
		if !s.bucketSeen.Load() {
			// a HEAD's 404 has no body to say whether the object or the
			// bucket is missing, and some servers (SeaweedFS) send no
			// error code header either: ask once, until the bucket is seen
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			ok, berr := s.client.BucketExists(ctx, s.bucket)
			cancel()
			if berr == nil && !ok {
				return fmt.Errorf("%s %s: bucket %q does not exist at %s; create it or correct the store URL", op, key, s.bucket, s.client.EndpointURL().Host)
			}
			// there, or these credentials may not ask (anonymous
			// clients): either way, not asked again
			s.bucketSeen.Store(true)
		}
		return fmt.Errorf("%w: %s", ErrNotExist, key)
	case resp.Code == "PreconditionFailed" || resp.StatusCode == http.StatusPreconditionFailed:
		return fmt.Errorf("%w: %s", ErrExist, key)
	case resp.Code == "NoSuchBucket":
		return fmt.Errorf("%s %s: bucket %q does not exist at %s; create it or correct the store URL", op, key, s.bucket, s.client.EndpointURL().Host)
	case resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch":
		return fmt.Errorf("%s %s: the store refused the credentials (%s); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", op, key, resp.Code)
	case resp.Code == "AccessDenied" || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s %s: %w by %s; these credentials may not do this", op, key, ErrDenied, s.client.EndpointURL().Host)
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		why := "the connection was lost"
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			why = "connection refused"
		case ne != nil && ne.Timeout():
			why = "timed out"
		}
		var de *net.DNSError
		if errors.As(err, &de) {
			why = "unknown host"
		}
		return &unreachable{msg: fmt.Sprintf("%s %s: cannot reach %s (%s); check the endpoint and that the server runs, then retry", op, key, s.client.EndpointURL().Host, why), err: err}
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// Put hashes the content first (the SHA-256 travels as metadata), then
// uploads it; a create-only write sends If-None-Match: * in one request.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, opt PutOptions) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	body, n, sum, cleanup, err := hashed(r, size)
	if err != nil {
		return Info{}, fmt.Errorf("store %s: %w", key, err)
	}
	defer cleanup()
	meta := map[string]string{"sha256": sum}
	for k, v := range opt.Meta {
		meta[strings.ToLower(k)] = v
	}
	po := minio.PutObjectOptions{UserMetadata: meta, ContentType: opt.ContentType}
	if opt.CreateOnly {
		po.SetMatchETagExcept("*")
		po.DisableMultipart = true // the condition must hold for the one request that creates the object
	}
	if opt.IfMatch != "" {
		po.SetMatchETag(opt.IfMatch)
		po.DisableMultipart = true
	}
	ui, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, body, n, po)
	if err != nil {
		if opt.IfMatch != "" {
			resp := minio.ToErrorResponse(err)
			if resp.Code == "PreconditionFailed" || resp.StatusCode == http.StatusPreconditionFailed || resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound {
				return Info{}, fmt.Errorf("%w: %s", ErrConflict, key)
			}
		}
		return Info{}, s.mapErr("store", key, err)
	}
	return Info{Key: key, Size: n, SHA256: sum, Modified: ui.LastModified, Meta: opt.Meta, ETag: ui.ETag}, nil
}

// hashed returns a reader over r's content, its size and SHA-256. Small
// or seekable content is read twice from memory or the source; larger
// content is spooled to a private temporary file.
func hashed(r io.Reader, size int64) (io.Reader, int64, string, func(), error) {
	h := sha256.New()
	if rs, ok := r.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			n, err := io.Copy(h, rs)
			if err != nil {
				return nil, 0, "", nil, err
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				return nil, 0, "", nil, err
			}
			if size >= 0 && n != size {
				return nil, 0, "", nil, fmt.Errorf("read %d bytes, expected %d", n, size)
			}
			return io.LimitReader(rs, n), n, hex.EncodeToString(h.Sum(nil)), func() {}, nil
		}
	}
	var buf bytes.Buffer
	n, err := io.Copy(io.MultiWriter(&buf, h), io.LimitReader(r, spoolLimit+1))
	if err != nil {
		return nil, 0, "", nil, err
	}
	if n <= spoolLimit {
		if size >= 0 && n != size {
			return nil, 0, "", nil, fmt.Errorf("read %d bytes, expected %d", n, size)
		}
		return bytes.NewReader(buf.Bytes()), n, hex.EncodeToString(h.Sum(nil)), func() {}, nil
	}
	f, err := tmpfiles.File("upload-*")
	if err != nil {
		return nil, 0, "", nil, err
	}
	cleanup := func() { f.Close(); tmpfiles.Remove(f.Name()) }
	if _, err := f.Write(buf.Bytes()); err != nil {
		cleanup()
		return nil, 0, "", nil, err
	}
	m, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		cleanup()
		return nil, 0, "", nil, err
	}
	n += m
	if size >= 0 && n != size {
		cleanup()
		return nil, 0, "", nil, fmt.Errorf("read %d bytes, expected %d", n, size)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, 0, "", nil, err
	}
	return f, n, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}

func (s *S3) info(key string, oi minio.ObjectInfo) Info {
	in := Info{Key: key, Size: oi.Size, Modified: oi.LastModified, Meta: map[string]string{}, ETag: strings.Trim(oi.ETag, `"`)}
	md := oi.UserMetadata
	if len(md) == 0 {
		md = oi.UserMetadataStripped
	}
	for k, v := range md {
		k = strings.ToLower(strings.TrimPrefix(strings.ToLower(k), "x-amz-meta-"))
		if k == "sha256" {
			in.SHA256 = v
			continue
		}
		in.Meta[k] = v
	}
	if len(in.Meta) == 0 {
		in.Meta = nil
	}
	return in
}

// Stat describes an object.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.mapErr("stat", key, err)
	}
	return s.info(key, oi), nil
}

// Get opens an object; reading it to the end checks its SHA-256.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidKey(key); err != nil {
		return nil, Info{}, err
	}
	// one request gives the body and its description, so that an object
	// replaced meanwhile is read whole, old or new
	body, oi, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, s.mapErr("get", key, err)
	}
	in := s.info(key, oi)
	return newVerifyReader(body, key, in.SHA256), in, nil
}

// List returns a page of objects under a prefix, in key order.
func (s *S3) List(ctx context.Context, opt ListOptions) ([]Info, bool, error) {
	limit := opt.Limit
	if limit <= 0 {
		limit = 1000
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lo := minio.ListObjectsOptions{Prefix: s.prefix + opt.Prefix, Recursive: true, WithMetadata: true, MaxKeys: limit + 1}
	if opt.StartAfter != "" {
		lo.StartAfter = s.prefix + opt.StartAfter
	}
	var out []Info
	for oi := range s.client.ListObjects(lctx, s.bucket, lo) {
		if oi.Err != nil {
			return nil, false, s.mapErr("list", opt.Prefix, oi.Err)
		}
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, s.info(strings.TrimPrefix(oi.Key, s.prefix), oi))
	}
	return out, false, nil
}
