package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// setup runs Setup on a new bucket of srv and returns its steps by
// feature.
func setup(t *testing.T, srv *testbin.S3) map[string]store.SetupStep {
	t.Helper()
	srv.Env(t)
	s, err := store.Open(context.Background(), srv.URL(srv.NewBucket(t), "aceo"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := s.(store.Preparer).Setup(context.Background(), layout.Public)
	if err != nil {
		t.Fatalf("setup: %v (%+v)", err, steps)
	}
	return byFeature(steps)
}

// byFeature is setup's steps by feature.
func byFeature(steps []store.SetupStep) map[string]store.SetupStep {
	out := map[string]store.SetupStep{}
	for _, st := range steps {
		out[st.Feature] = st
	}
	return out
}

// TestSetup: setup names each server and gives it every feature aceo
// uses that it has, each checked on the server: conditional writes,
// versions, public reads of published/ only, roles. How watch hears of
// changes differs: MinIO notifies; SeaweedFS is said plainly to have no
// S3 notifications, with its filer's webhook as the way.
func TestSetup(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			steps := setup(t, srv)
			product := s3test.Product(name)
			if st := steps["server"]; !strings.Contains(st.Line, product) || !strings.Contains(st.Line, srv.Endpoint) {
				t.Errorf("server: %q", st.Line)
			}
			for _, f := range []string{"conditional writes", "versions", "public", "roles"} {
				if st, ok := steps[f]; !ok || !st.OK {
					t.Errorf("%s: %+v", f, st)
				}
			}
			ch := steps["changes"]
			switch name {
			case "minio":
				if !ch.OK {
					t.Errorf("changes on MinIO: %+v", ch)
				}
			case "seaweedfs":
				if ch.OK || !strings.Contains(ch.Line, "no S3 bucket notifications") || !strings.Contains(ch.Line, "[notification.webhook]") {
					t.Errorf("changes on SeaweedFS: %+v", ch)
				}
			}
		})
	}
}

// TestSetupMisconfigured: on a SeaweedFS whose gateway has no STS and
// lets anyone read every bucket, setup says plainly that roles cannot be
// had, and how to get them, and stops with an error naming the object an
// anonymous client could read.
func TestSetupMisconfigured(t *testing.T) {
	srv, err := seaweedtest.StartWith(t.TempDir(), seaweedtest.Options{NoSTS: true, AnonymousRead: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	srv.Env(t)
	s, err := store.Open(context.Background(), srv.URL(srv.NewBucket(t), "aceo"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := s.(store.Preparer).Setup(context.Background(), layout.Public)
	if err == nil || !strings.Contains(err.Error(), "an anonymous client can read "+store.ProbeKey) {
		t.Fatalf("setup of a bucket open to all: %v", err)
	}
	got := byFeature(steps)
	if st := got["roles"]; st.OK || !strings.Contains(st.Line, "cannot be issued") || !strings.Contains(st.Line, "-s3.iam.config") {
		t.Errorf("roles without STS: %+v", st)
	}
	for _, f := range []string{"conditional writes", "versions"} {
		if !got[f].OK {
			t.Errorf("%s: %+v", f, got[f])
		}
	}
}
