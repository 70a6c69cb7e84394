package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Preparer is the capability of stores that an administrator sets up
// for aceo (S3): see S3.Setup.
type Preparer interface {
	Setup(ctx context.Context, public string) ([]SetupStep, error)
}

var _ Preparer = (*S3)(nil)

// SetupStep is one line of what Setup did, or found it cannot do.
type SetupStep struct {
	// Feature is what the line is about: "server", "bucket",
	// "conditional writes", "versions", "public", "roles", "changes".
	Feature string
	// OK is false when the server cannot give the feature; Line then
	// says what that means and what to do.
	OK   bool
	Line string
}

// Setup prepares an S3 store for aceo and checks each feature on the
// server itself, not on its word: it names the server, creates the bucket
// if needed, refuses a server that ignores conditional writes, turns on
// versioning and reads it back, issues scoped temporary credentials and
// checks that they cannot write outside their grant, opens public (a
// directory of keys) to anonymous reads and checks as an anonymous client
// that public is listable and nothing else readable, and says how aceo
// watch learns of changes there. Features the server lacks are
// reported, not fatal, except conditional writes, credentials that do
// more than their grant and a bucket readable beyond public, which are
// errors.
func (s *S3) Setup(ctx context.Context, public string) ([]SetupStep, error) {
	var steps []SetupStep
	ok := func(feature, format string, a ...any) {
		steps = append(steps, SetupStep{Feature: feature, OK: true, Line: fmt.Sprintf(format, a...)})
	}
	lack := func(feature, format string, a ...any) {
		steps = append(steps, SetupStep{Feature: feature, Line: fmt.Sprintf(format, a...)})
	}
	host := s.client.EndpointURL().Host
	name, err := s.Server(ctx)
	switch {
	case err != nil:
		return steps, err
	case name == "":
		ok("server", "server: an S3 server at %s that does not name itself", host)
	default:
		ok("server", "server: %s at %s", name, host)
	}
	created, err := s.EnsureBucket(ctx)
	if err != nil {
		return steps, err
	}
	if created {
		ok("bucket", "bucket created: %s", s)
	}
	// create-only revisions and the catalogue's updates rely on
	// conditional writes: refuse a server that ignores them
	if err := CheckConditionalWrites(ctx, s); err != nil {
		return steps, err
	}
	ok("conditional writes", "conditional writes honoured: create-only (If-None-Match: *) and If-Match")

	if err := s.EnableVersions(ctx); err != nil {
		lack("versions", "versions: NOT kept (%v); an object overwritten through the S3 API loses its original; enable bucket versioning on the server", err)
	} else if cfg, err := s.client.GetBucketVersioning(ctx, s.bucket); err != nil || !cfg.Enabled() {
		lack("versions", "versions: the server accepted versioning but reports it %q (%v); an object overwritten through the S3 API may lose its original", cfg.Status, err)
	} else {
		ok("versions", "versioning on: every version of every object is kept")
	}

	if err := s.checkRoles(ctx, public); errors.Is(err, errNotEnforced) {
		return steps, err // aceo credentials there would grant everything
	} else if err != nil {
		hint := "give each author and editor their own keys in the server's identity settings"
		if s.IsSeaweedFS(ctx) {
			hint = "start the S3 gateway with -s3.iam.config naming an STS signingKey (docs/deploy.md), or give each author and editor an identity in -s3.config with actions limited to their prefixes"
		}
		lack("roles", "roles: aceo credentials cannot be issued here (%v); %s", err, hint)
	} else {
		ok("roles", "roles: temporary credentials with session policies (STS AssumeRole) are issued and enforced by the server (checked)")
	}

	if err := s.PublishPublicly(ctx, public); err != nil {
		lack("public", "public: %s could not be opened to anonymous reads (%v); the catalogue must then read with credentials (aceo serve without anonymous=true)", public, err)
	} else if err := s.checkPublic(ctx, public); err != nil {
		return steps, err
	} else {
		ok("public", "%s is now readable by anyone (checked as an anonymous client); everything else needs credentials", public)
	}

	switch {
	case s.IsSeaweedFS(ctx):
		lack("changes", "changes: SeaweedFS has no S3 bucket notifications; aceo watch lists the store every --interval, or hears the filer at once with --webhook-listen HOST:PORT when the filer's notification.toml has [notification.webhook] endpoint = \"http://HOST:PORT/\"")
	case strings.EqualFold(s.Product(ctx), "MinIO"):
		ok("changes", "changes: MinIO bucket notifications (listen API; a webhook target with aceo watch --webhook-listen)")
	default:
		lack("changes", "changes: this server's notifications are not read by aceo; aceo watch lists the store every --interval")
	}
	return steps, nil
}

// as is the store seen with other credentials (empty: anonymous).
func (s *S3) as(v credentials.Value) (*S3, error) {
	creds := credentials.NewStaticV4(v.AccessKeyID, v.SecretAccessKey, v.SessionToken)
	c, err := minio.New(s.client.EndpointURL().Host, &minio.Options{Creds: creds, Secure: s.secure, Region: s.region, Transport: s.transport})
	if err != nil {
		return nil, err
	}
	return &S3{client: c, creds: creds, secure: s.secure,
		bucket: s.bucket, prefix: s.prefix, url: s.url, region: s.region, transport: s.transport}, nil
}

// checkPublic lists public as an anonymous client, and fails if that
// client can read the probe object, which is outside public.
func (s *S3) checkPublic(ctx context.Context, public string) error {
	anon, err := s.as(credentials.Value{})
	if err != nil {
		return err
	}
	if _, _, err := anon.List(ctx, ListOptions{Prefix: public}); err != nil {
		return fmt.Errorf("the server accepted the public policy, yet an anonymous client cannot list %s: %w", public, err)
	}
	rc, _, err := anon.Get(ctx, ProbeKey)
	switch {
	case err == nil:
		rc.Close()
		return fmt.Errorf("an anonymous client can read %s, outside %s: the bucket is open to the public beyond what aceo publishes; remove the other public grants (bucket policy, ACLs, the server's anonymous identity) and run setup again", ProbeKey, public)
	case !errors.Is(err, ErrDenied):
		return fmt.Errorf("check that anonymous clients cannot read %s: %w", ProbeKey, err)
	}
	return nil
}

// errNotEnforced: the server issued scoped credentials that can do more
// than their grant.
var errNotEnforced = errors.New("the server issued credentials but did not enforce their session policy")

// checkRoles issues credentials that may only read public, for fifteen
// minutes (the least STS allows), and checks that the server refuses
// them a write.
func (s *S3) checkRoles(ctx context.Context, public string) error {
	v, err := s.Credentials(ctx, Grant{Read: []string{public}}, 15*time.Minute)
	if err != nil {
		return err
	}
	scoped, err := s.as(v)
	if err != nil {
		return err
	}
	_, err = scoped.Put(ctx, ProbeKey, strings.NewReader("scoped"), 6, PutOptions{})
	switch {
	case err == nil:
		return fmt.Errorf("%w: read-only credentials wrote %s; do not issue aceo credentials on this server", errNotEnforced, ProbeKey)
	case !errors.Is(err, ErrDenied):
		return fmt.Errorf("scoped credentials' write: %w", err)
	}
	return nil
}
