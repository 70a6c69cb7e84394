//go:build unix

package safedir

import "syscall"

// oNonblock opens a named pipe without waiting for a writer, so that it
// can be refused rather than block.
const oNonblock = syscall.O_NONBLOCK
