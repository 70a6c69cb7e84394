package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ProbeKey is where CheckConditionalWrites writes: one small object,
// rewritten by every check.
const ProbeKey = "probes/conditional-writes"

// ErrNoConditionalWrites: the server answered a conditional write that
// should have failed as if it had succeeded. aceo's create-only revisions
// and the catalogue's conditional updates would silently lose work there.
var ErrNoConditionalWrites = errors.New("the store's server ignores conditional writes")

// CheckConditionalWrites checks that the store's server honours the two
// conditional writes aceo relies on: a create-only write (If-None-Match:
// *) of a key that exists fails, and so does a write If-Match a version
// that is not the current one; a write If-Match the current one
// succeeds. It writes ProbeKey only.
func CheckConditionalWrites(ctx context.Context, s Store) error {
	body := func() (*strings.Reader, int64) {
		v := "aceo probe " + time.Now().UTC().Format(time.RFC3339Nano)
		return strings.NewReader(v), int64(len(v))
	}
	r, n := body()
	in, err := s.Put(ctx, ProbeKey, r, n, PutOptions{ContentType: "text/plain"})
	if err != nil {
		return fmt.Errorf("check conditional writes: %w", err)
	}
	r, n = body()
	_, err = s.Put(ctx, ProbeKey, r, n, PutOptions{CreateOnly: true})
	switch {
	case err == nil:
		return fmt.Errorf("%w: a create-only write (If-None-Match: *) replaced %s; use a server that honours it (MinIO, SeaweedFS, AWS S3)", ErrNoConditionalWrites, ProbeKey)
	case !errors.Is(err, ErrExist):
		return fmt.Errorf("check conditional writes: %w", err)
	}
	r, n = body()
	_, err = s.Put(ctx, ProbeKey, r, n, PutOptions{IfMatch: `"0000000000000000000000000000000a"`})
	switch {
	case err == nil:
		return fmt.Errorf("%w: a write If-Match another version replaced %s; use a server that honours If-Match (MinIO, SeaweedFS, AWS S3)", ErrNoConditionalWrites, ProbeKey)
	case !errors.Is(err, ErrConflict):
		return fmt.Errorf("check conditional writes: %w", err)
	}
	r, n = body()
	if _, err := s.Put(ctx, ProbeKey, r, n, PutOptions{IfMatch: in.ETag}); err != nil {
		return fmt.Errorf("check conditional writes: a write If-Match the current version failed: %w", err)
	}
	return nil
}
