// Package miniotest starts a real MinIO server for tests: on a free
// loopback port, with a temporary data directory, killed when the tests
// end. Tests of every package that talks to S3 use it; there is no mock.
//
// The server binary is found as $MINIO_BIN, on $PATH, or in $GOPATH/bin
// (scripts/setup.sh installs it with go install). A missing binary fails
// the test: it never skips.
package miniotest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/notification"

	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// Server is a running MinIO.
type Server struct {
	testbin.S3 // the address, root credentials and buckets
	// WebhookAddr is where the server sends bucket notifications of its
	// webhook target WebhookARN (host:port; POST /), once a bucket is set
	// to notify it. Nothing listens there until a test does.
	WebhookAddr string
	WebhookARN  string
	dir         string
	bin         string
	args        []string
	mu          sync.Mutex
	proc        *testbin.Proc // while running
}

var shared testbin.Shared[*Server]

// Binary finds the minio executable.
func Binary() (string, error) {
	return testbin.Find("MINIO_BIN", "minio", "bash scripts/setup-test.sh")
}

// Start starts a MinIO server in dir (created if needed).
func Start(dir string) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	port, err := testbin.FreePort()
	if err != nil {
		return nil, err
	}
	console, err := testbin.FreePort()
	if err != nil {
		return nil, err
	}
	hook, err := testbin.FreePort()
	if err != nil {
		return nil, err
	}
	s := &Server{S3: testbin.S3{Endpoint: fmt.Sprintf("127.0.0.1:%d", port), AccessKey: "aceo-test-root", SecretKey: "aceo-test-root-secret"}, dir: dir,
		WebhookAddr: fmt.Sprintf("127.0.0.1:%d", hook), WebhookARN: "arn:minio:sqs::ACEO:webhook"}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	s.args = []string{"server", "--quiet", "--address", s.Endpoint, "--console-address", fmt.Sprintf("127.0.0.1:%d", console), filepath.Join(dir, "data")}
	s.bin = bin
	if err := s.launch(); err != nil {
		return nil, err
	}
	return s, nil
}

// launch starts the process and waits until it answers.
func (s *Server) launch() error {
	proc, err := testbin.Start(testbin.Cmd{Bin: s.bin, Args: s.args, Log: filepath.Join(s.dir, "minio.log"),
		Env: []string{
			"MINIO_ROOT_USER=" + s.AccessKey, "MINIO_ROOT_PASSWORD=" + s.SecretKey,
			"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CI_CD=on",
			// a webhook target for bucket notifications; the queue keeps
			// events while nothing listens
			"MINIO_NOTIFY_WEBHOOK_ENABLE_ACEO=on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_ACEO=http://" + s.WebhookAddr + "/",
			"MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_ACEO=" + filepath.Join(s.dir, "webhook-queue")}})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.proc = proc
	s.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + s.Endpoint + "/minio/health/live"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && s.iamReady() && s.notifyReady() {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return fmt.Errorf("minio did not become ready on %s: %s", s.Endpoint, proc.Log(4000))
}

// Stop kills the server.
func (s *Server) Stop() {
	s.mu.Lock()
	proc := s.proc
	s.proc = nil
	s.mu.Unlock()
	proc.Kill()
}

// Restart kills the server and starts it again on the same address and
// data, as after a crash.
func (s *Server) Restart() error {
	s.Stop()
	return s.launch()
}

// Shared returns the server shared by the tests of this process, starting
// it on first use. Call Main from TestMain to stop it at the end.
func Shared(t testing.TB) *Server {
	t.Helper()
	return shared.Get(t, "MinIO", "aceo-minio-*", Start, (*Server).Stop)
}

// Main runs the tests, stops the shared server and exits (for TestMain).
func Main(m interface{ Run() int }) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// StopShared stops the shared server, if one was started.
func StopShared() { shared.StopAll() }

// CPUTime is the processor time the server has used so far (user and
// system, from /proc on Linux), so that a benchmark can report what the
// server costs beside the client on the same machine.
func (s *Server) CPUTime() (time.Duration, error) {
	s.mu.Lock()
	proc := s.proc
	s.mu.Unlock()
	if proc == nil {
		return 0, fmt.Errorf("minio is not running")
	}
	return proc.CPUTime()
}

// notifyReady reports whether the webhook target is registered: MinIO
// loads its notification targets after it answers health checks, and a
// bucket set to notify a target not yet loaded is refused ("A specified
// destination ARN does not exist"), as one CI run found.
func (s *Server) notifyReady() bool {
	c := s.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	const probe = "aceo-probe-notify"
	if ok, err := c.BucketExists(ctx, probe); err != nil {
		return false
	} else if !ok {
		if err := c.MakeBucket(ctx, probe, minio.MakeBucketOptions{}); err != nil {
			return false
		}
	}
	arn, err := notification.NewArnFromString(s.WebhookARN)
	if err != nil {
		return false
	}
	q := notification.NewConfig(arn)
	q.AddEvents(notification.ObjectCreatedAll)
	cfg := notification.Configuration{}
	cfg.AddQueue(q)
	if err := c.SetBucketNotification(ctx, probe, cfg); err != nil {
		return false
	}
	return c.RemoveAllBucketNotification(ctx, probe) == nil
}

// iamReady reports whether the server answers a signed request: just
// after start it answers "IAM sub-system not initialized yet" for a
// moment, which a test of wrong credentials would take for its answer.
func (s *Server) iamReady() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := s.Client().ListBuckets(ctx)
	return err == nil
}
