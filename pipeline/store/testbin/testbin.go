// Package testbin is what the harnesses of the test S3 servers (miniotest,
// seaweedtest) share: finding their programs (named by an environment
// variable, on $PATH, or in $GOPATH/bin, where scripts/setup-test.sh puts
// them), and their address, credentials, buckets and store URLs (S3).
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Find finds program name: $env, then $PATH, then $GOPATH/bin. The error
// says where it looked and how to install it (install).
func Find(env, name, install string) (string, error) {
	if p := os.Getenv(env); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if h, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(h, "go")
		}
	}
	p := filepath.Join(gopath, "bin", name)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found (%s, PATH, %s); install it with: %s", name, env, p, install)
}

// CPUTime is the processor time process pid has used so far (user and
// system, from /proc on Linux).
func CPUTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("processor time of %d: %w", pid, err)
	}
	// the command name (field 2) is in parentheses and may hold spaces
	rest := string(data)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("processor time of %d: short /proc stat line", pid)
	}
	var ticks int64
	for _, x := range f[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("processor time of %d: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / 100, nil // USER_HZ is 100 on Linux
}
