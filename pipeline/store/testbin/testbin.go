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
