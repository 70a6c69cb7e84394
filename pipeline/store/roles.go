package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Grant is what credentials may do, in key prefixes relative to the
// store's root: add objects under Write, read and list under Read. The
// application's roles are defined by pipeline/layout; the store only
// enforces them.
type Grant struct {
	Write, Read []string
}

// Roles is the optional capability of stores that can enforce roles
// themselves: issue scoped credentials and open a prefix to the public.
// Find it with a type assertion; the directory store, the single-user
// embedded mode, has none.
type Roles interface {
	// Credentials issues temporary credentials that the store limits to
	// the grant.
	Credentials(ctx context.Context, g Grant, d time.Duration) (credentials.Value, error)
	// PublishPublicly lets anonymous clients read and list prefix, and
	// nothing else.
	PublishPublicly(ctx context.Context, prefix string) error
}

var _ Roles = (*S3)(nil)

type policyDoc struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal,omitempty"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

func (s *S3) objects(prefixes ...string) []string {
	var out []string
	for _, p := range prefixes {
		out = append(out, "arn:aws:s3:::"+s.bucket+"/"+s.prefix+p+"*")
	}
	return out
}

func (s *S3) listing(prefixes ...string) statement {
	var ps []string
	for _, p := range prefixes {
		ps = append(ps, s.prefix+p+"*")
	}
	return statement{Effect: "Allow", Action: []string{"s3:ListBucket"}, Resource: []string{"arn:aws:s3:::" + s.bucket},
		Condition: map[string]any{"StringLike": map[string]any{"s3:prefix": ps}}}
}

// Policy is the session policy of a grant, as JSON.
func (s *S3) Policy(g Grant) (string, error) {
	if len(g.Write)+len(g.Read) == 0 {
		return "", fmt.Errorf("a grant needs at least one prefix")
	}
	for _, p := range append(append([]string{}, g.Write...), g.Read...) {
		if p == "" || !strings.HasSuffix(p, "/") || ValidKey(strings.TrimSuffix(p, "/")) != nil {
			return "", fmt.Errorf("grant prefix %q is not a directory of keys", p)
		}
	}
	doc := policyDoc{Version: "2012-10-17"}
	if len(g.Write) > 0 {
		doc.Statement = append(doc.Statement, statement{Effect: "Allow", Action: []string{"s3:PutObject"}, Resource: s.objects(g.Write...)})
	}
	if len(g.Read) > 0 {
		doc.Statement = append(doc.Statement, statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: s.objects(g.Read...)}, s.listing(g.Read...))
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// Credentials asks the store's STS endpoint (AssumeRole) for temporary
// credentials carrying the role's session policy. The caller's own
// credentials must be allowed to assume roles; the store grants the
// intersection of their rights and the policy.
func (s *S3) Credentials(ctx context.Context, g Grant, d time.Duration) (credentials.Value, error) {
	policy, err := s.Policy(g)
	if err != nil {
		return credentials.Value{}, err
	}
	own, err := s.creds.GetWithContext(nil)
	if err != nil || own.AccessKeyID == "" {
		return credentials.Value{}, fmt.Errorf("issuing credentials needs an editor's or administrator's own credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	if d <= 0 {
		d = 12 * time.Hour
	}
	scheme := "http://"
	if s.secure {
		scheme = "https://"
	}
	sts, err := credentials.NewSTSAssumeRole(scheme+s.client.EndpointURL().Host, credentials.STSAssumeRoleOptions{
		AccessKey: own.AccessKeyID, SecretKey: own.SecretAccessKey, SessionToken: own.SessionToken,
		Policy: policy, DurationSeconds: int(d.Seconds()), RoleSessionName: "aceo",
	})
	if err != nil {
		return credentials.Value{}, fmt.Errorf("credentials: %w", err)
	}
	v, err := sts.GetWithContext(nil)
	if err != nil {
		return credentials.Value{}, fmt.Errorf("credentials from %s: %w", s.client.EndpointURL().Host, err)
	}
	return v, nil
}

// PublishPublicly sets the bucket policy that lets anyone read, and list,
// prefix under the store's prefix, and nothing else.
func (s *S3) PublishPublicly(ctx context.Context, prefix string) error {
	if !strings.HasSuffix(prefix, "/") || ValidKey(strings.TrimSuffix(prefix, "/")) != nil {
		return fmt.Errorf("public prefix %q is not a directory of keys", prefix)
	}
	doc := policyDoc{Version: "2012-10-17", Statement: []statement{
		{Effect: "Allow", Principal: map[string]any{"AWS": []string{"*"}}, Action: []string{"s3:GetObject"}, Resource: s.objects(prefix)},
		{Effect: "Allow", Principal: map[string]any{"AWS": []string{"*"}}, Action: []string{"s3:ListBucket"}, Resource: []string{"arn:aws:s3:::" + s.bucket},
			Condition: map[string]any{"StringLike": map[string]any{"s3:prefix": []string{s.prefix + prefix + "*"}}}},
	}}
	b, _ := json.Marshal(doc)
	if err := s.client.SetBucketPolicy(ctx, s.bucket, string(b)); err != nil {
		return s.mapErr("set policy on", s.bucket, err)
	}
	return nil
}

// Versions is the optional capability of stores that keep every version
// of an object: the original of an object that was later overwritten can
// still be read.
type Versions interface {
	// EnableVersions makes the store keep every version from now on.
	EnableVersions(ctx context.Context) error
	// GetOriginal opens the first version of key.
	GetOriginal(ctx context.Context, key string) (io.ReadCloser, Info, error)
}

var _ Versions = (*S3)(nil)

// EnableVersions turns on bucket versioning.
func (s *S3) EnableVersions(ctx context.Context) error {
	if err := s.client.EnableVersioning(ctx, s.bucket); err != nil {
		return s.mapErr("enable versioning on", s.bucket, err)
	}
	return nil
}

// GetOriginal opens the oldest version of key (on a bucket without
// versioning, the only one).
func (s *S3) GetOriginal(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidKey(key); err != nil {
		return nil, Info{}, err
	}
	full := s.prefix + key
	var oldest minio.ObjectInfo
	found := false
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: full, WithVersions: true, Recursive: true}) {
		if oi.Err != nil {
			return nil, Info{}, s.mapErr("versions of", key, oi.Err)
		}
		if oi.Key != full || oi.IsDeleteMarker {
			continue
		}
		// S3 lists a key's versions newest first; on a tie of times
		// (SeaweedFS keeps seconds) the later listed is the older
		if !found || !oi.LastModified.After(oldest.LastModified) {
			oldest, found = oi, true
		}
	}
	if !found {
		return nil, Info{}, fmt.Errorf("%w: %s", ErrNotExist, key)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, full, minio.GetObjectOptions{VersionID: oldest.VersionID})
	if err != nil {
		return nil, Info{}, s.mapErr("get", key, err)
	}
	oi, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, Info{}, s.mapErr("get", key, err)
	}
	in := s.info(key, oi)
	return newVerifyReader(obj, key, in.SHA256), in, nil
}

// BucketMaker is a store that can create its bucket (S3).
type BucketMaker interface {
	// EnsureBucket creates the bucket when it does not exist, and
	// reports whether it did.
	EnsureBucket(ctx context.Context) (created bool, err error)
}

var _ BucketMaker = (*S3)(nil)

// EnsureBucket creates the store's bucket when it does not exist.
func (s *S3) EnsureBucket(ctx context.Context) (bool, error) {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return false, s.mapErr("look up bucket", s.bucket, err)
	}
	if ok {
		return false, nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region}); err != nil {
		return false, s.mapErr("create bucket", s.bucket, err)
	}
	return true, nil
}
