// Package seaweedtest starts a real SeaweedFS server for tests, as
// miniotest starts MinIO: a master, a volume server, a filer and the S3
// gateway in one `weed server` process, on free loopback ports, with a
// temporary data directory, killed when the tests end. There is no mock.
//
// The binary is found as $WEED_BIN, on $PATH, or in $GOPATH/bin
// (scripts/setup-test.sh builds it). A missing binary fails the test: it
// never skips.
package seaweedtest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// Server is a running SeaweedFS with its S3 gateway.
type Server struct {
	testbin.S3 // the S3 gateway's address, root credentials and buckets
	// WebhookAddr is where the filer posts its change events (host:port,
	// POST /), as notification.toml's [notification.webhook] says: the
	// SeaweedFS counterpart of MinIO's bucket notifications.
	WebhookAddr string
	dir         string
	bin         string        // the weed program
	args        []string      // its command line, kept for Restart
	proc        *testbin.Proc // while running
}

var shared testbin.Shared[*Server]

// Binary finds the weed executable.
func Binary() (string, error) {
	return testbin.Find("WEED_BIN", "weed", "bash scripts/setup-test.sh")
}

// freePorts finds n free loopback ports whose gRPC companions (port +
// 10000, SeaweedFS's default) are free too.
func freePorts(n int) ([]int, error) {
	var out []int
	for tries := 0; len(out) < n && tries < 200; tries++ {
		p, err := testbin.FreePort()
		if err != nil {
			return nil, err
		}
		if p+10000 > 65535 {
			continue
		}
		g, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			continue
		}
		g.Close()
		out = append(out, p)
	}
	if len(out) < n {
		return nil, fmt.Errorf("no %d free ports with free gRPC ports", n)
	}
	return out, nil
}

// Options change how a server is started.
type Options struct {
	// NoSTS starts the S3 gateway without an IAM file, so without STS:
	// a server on which aceo cannot issue role credentials.
	NoSTS bool
	// AnonymousRead lets anyone read every bucket (an "anonymous"
	// identity with the Read and List actions): a server open beyond
	// published/.
	AnonymousRead bool
}

// Start starts SeaweedFS in dir (created if needed).
func Start(dir string) (*Server, error) { return StartWith(dir, Options{}) }

// StartWith starts SeaweedFS in dir with options.
func StartWith(dir string, o Options) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(5)
	if err != nil {
		return nil, err
	}
	s := &Server{S3: testbin.S3{Endpoint: fmt.Sprintf("127.0.0.1:%d", ports[3]), AccessKey: "aceo-test-root", SecretKey: "aceo-test-root-secret"},
		WebhookAddr: fmt.Sprintf("127.0.0.1:%d", ports[4]), dir: dir}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	if err := writeConfig(dir, s.AccessKey, s.SecretKey, o); err != nil {
		return nil, err
	}
	// the filer reads notification.toml from its working directory
	hook := fmt.Sprintf("[notification.webhook]\nenabled = true\nendpoint = \"http://%s/\"\ntimeout_seconds = 2\nmax_retries = 1\n", s.WebhookAddr)
	if err := os.WriteFile(filepath.Join(dir, "notification.toml"), []byte(hook), 0o600); err != nil {
		return nil, err
	}
	s.bin, s.args = bin, []string{"server", "-dir=" + filepath.Join(dir, "data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + strconv.Itoa(ports[0]), "-volume.port=" + strconv.Itoa(ports[1]),
		"-filer", "-filer.port=" + strconv.Itoa(ports[2]), "-s3", "-s3.port=" + strconv.Itoa(ports[3]),
		"-s3.config=" + filepath.Join(dir, "s3.json"), "-master.volumeSizeLimitMB=64", "-volume.max=0", "-master.peers=none"}
	if !o.NoSTS {
		s.args = append(s.args, "-s3.iam.config="+filepath.Join(dir, "iam.json"))
	}
	if err := s.launch(); err != nil {
		return nil, err
	}
	return s, nil
}

// launch starts the process and waits until the gateway stores an object.
func (s *Server) launch() error {
	proc, err := testbin.Start(testbin.Cmd{Bin: s.bin, Args: s.args, Dir: s.dir, Log: filepath.Join(s.dir, "weed.log")})
	if err != nil {
		return err
	}
	s.proc = proc
	if s.Ready(90*time.Second) == nil {
		return nil
	}
	s.Stop()
	return fmt.Errorf("SeaweedFS did not become ready on %s: %s", s.Endpoint, proc.Log(4000))
}

// Restart kills the server and starts it again on the same addresses and
// data, as after a crash.
func (s *Server) Restart() error {
	s.Stop()
	return s.launch()
}

// Stop kills the server.
func (s *Server) Stop() {
	s.proc.Kill()
	s.proc = nil
}

// Shared returns the server shared by the tests of this process, starting
// it on first use. Call Main from TestMain to stop it at the end.
func Shared(t testing.TB) *Server {
	t.Helper()
	return shared.Get(t, "SeaweedFS", "aceo-seaweed-*", Start, (*Server).Stop)
}

// Stop stops the shared server, if one was started (for TestMain).
func StopShared() {
	shared.StopAll()
}
