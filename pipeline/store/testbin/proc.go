package testbin

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// FreePort is a loopback TCP port free when asked.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Proc is a test server's process: its output goes to a log file, and it
// dies with the test process that started it (DieWithParent).
type Proc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when the process has ended
}

// Cmd says how to start a test server's process.
type Cmd struct {
	Bin  string   // the program
	Args []string // its arguments
	Dir  string   // its working directory ("": this process's)
	Env  []string // added to this process's environment
	Log  string   // the file its output is appended to
}

// Start starts the process c describes.
func Start(c Cmd) (*Proc, error) {
	f, err := os.OpenFile(c.Log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.Bin, c.Args...)
	DieWithParent(cmd)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", filepath.Base(c.Bin), err)
	}
	p := &Proc{cmd: cmd, log: c.Log, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// Kill kills the process (SIGKILL: no goodbye to its peers) and waits
// until it has ended. A nil Proc is nothing to kill.
func (p *Proc) Kill() {
	if p == nil {
		return
	}
	p.cmd.Process.Kill()
	<-p.done
}

// CPUTime is the processor time the process has used so far.
func (p *Proc) CPUTime() (time.Duration, error) {
	return CPUTime(p.cmd.Process.Pid)
}

// Log is the last n bytes of the process's log, for a failing test's
// message.
func (p *Proc) Log(n int) string { return Tail(p.log, n) }

// Tail is the last n bytes of the file at path ("" if it cannot be read).
func Tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Shared is a server that the tests of one process share: started on
// first use in a new temporary directory, stopped by StopAll.
type Shared[T any] struct {
	once sync.Once
	srv  T
	dir  string
	err  error
	stop func(T)
}

// Get returns the server, started on first use by start in a new
// temporary directory (named after pattern, as os.MkdirTemp does); stop
// is how StopAll stops it. The test fails when the server cannot start:
// what names the server in its message.
func (s *Shared[T]) Get(t testing.TB, what, pattern string, start func(dir string) (T, error), stop func(T)) T {
	t.Helper()
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", pattern); s.err != nil {
			return
		}
		if s.srv, s.err = start(s.dir); s.err == nil {
			s.stop = stop
		}
	})
	if s.err != nil {
		t.Fatalf("%s is required for this test: %v", what, s.err)
	}
	return s.srv
}

// StopAll stops the server, if one was started, and removes its
// directory.
func (s *Shared[T]) StopAll() {
	if s.stop != nil {
		s.stop(s.srv)
		s.stop = nil
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
