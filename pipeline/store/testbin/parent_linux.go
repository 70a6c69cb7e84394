package testbin

import (
	"os/exec"
	"syscall"
)

// DieWithParent makes the server cmd starts get SIGKILL when the test
// process ends, however it ends (killed, a timeout's panic), so that no
// server outlives its tests.
func DieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
