//go:build unix

package portal

import "syscall"

// openFileLimit is how many descriptors the process may open (Go raises
// the soft limit to the hard one at start).
func openFileLimit() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil || r.Cur > 1<<30 {
		return 1024
	}
	return int(r.Cur)
}
