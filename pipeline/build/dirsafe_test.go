//go:build unix

package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A directory build reads only regular files inside the publication
// directory: a figure linked from outside, a named pipe among the drafts
// and /dev/zero as a figure are reported, quickly, and nothing hangs.
func TestDirectoryBuildTrustsNoFile(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.png")
	sample, _ := os.ReadFile("../../chapters/aceo-sample/figures/forest-trend.png")
	os.WriteFile(outside, sample, 0o644)
	for name, c := range map[string]struct {
		setup func(dir string) error
		want  string
	}{
		"figure linked from outside": {func(dir string) error {
			fig := filepath.Join(dir, "figures", "forest-trend.png")
			os.Remove(fig)
			return os.Symlink(outside, fig)
		}, "figures/forest-trend.png leads outside"},
		"/dev/zero as a figure": {func(dir string) error {
			fig := filepath.Join(dir, "figures", "forest-trend.png")
			os.Remove(fig)
			return os.Symlink("/dev/zero", fig)
		}, "leads outside"},
		"named pipe as a draft": {func(dir string) error {
			return syscall.Mkfifo(filepath.Join(dir, "en", "99-pipe.md"), 0o644)
		}, "99-pipe.md is a named pipe, not a regular file"},
		"named pipe as a dataset": {func(dir string) error {
			ds := filepath.Join(dir, "..", "..", "datasets", "aceo-sample", "forests.xlsx")
			os.Remove(ds)
			return syscall.Mkfifo(ds, 0o644)
		}, "forests.xlsx is a named pipe, not a regular file"},
		"named pipe as the definition": {func(dir string) error {
			def := filepath.Join(dir, "publication.yaml")
			os.Remove(def)
			return syscall.Mkfifo(def, 0o644)
		}, "publication.yaml is a named pipe, not a regular file"},
	} {
		dir := sampleCopy(t)
		if err := c.setup(dir); err != nil {
			t.Fatal(err)
		}
		done := make(chan string, 1)
		go func() {
			res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: testOptions()})
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if res != nil && res.Report != nil {
				for _, p := range res.Report.Errors {
					msg += "\n" + p.File + ": " + p.Message
				}
			}
			done <- msg
		}()
		select {
		case msg := <-done:
			if !strings.Contains(msg, c.want) {
				t.Errorf("%s: %s\nwant %q", name, msg, c.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: the build hangs", name)
		}
	}
}
