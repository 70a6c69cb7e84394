//go:build unix

package safedir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadOnlyRegularFilesInside(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.png")
	os.WriteFile(secret, []byte("outside"), 0o644)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "figures"), 0o755)
	os.WriteFile(filepath.Join(dir, "figures", "ok.png"), []byte("inside"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "figures", "link.png"))
	os.Symlink("ok.png", filepath.Join(dir, "figures", "inner.png"))
	os.Symlink("/dev/zero", filepath.Join(dir, "figures", "zero.png"))
	if err := syscall.Mkfifo(filepath.Join(dir, "figures", "fifo.png"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if data, err := d.ReadFile("figures/ok.png", 100, "figure"); err != nil || string(data) != "inside" {
		t.Errorf("regular file: %q %v", data, err)
	}
	if data, err := d.ReadFile("figures/inner.png", 100, "figure"); err != nil || string(data) != "inside" {
		t.Errorf("a link that stays inside: %q %v", data, err)
	}
	for rel, want := range map[string]string{
		"figures/link.png": "figures/link.png leads outside " + dir,
		"figures/zero.png": "leads outside",
		"../x.png":         "leads outside",
		"figures/fifo.png": "fifo.png is a named pipe, not a regular file",
		"figures":          "figures is a directory, not a regular file",
	} {
		start := time.Now()
		_, err := d.ReadFile(rel, 100, "figure")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", rel, err, want)
		}
		if time.Since(start) > time.Second {
			t.Errorf("%s: took %v", rel, time.Since(start))
		}
	}
	if _, err := d.ReadFile("figures/none.png", 100, "figure"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := d.ReadFile("figures/ok.png", 3, "figure"); err == nil || !strings.Contains(err.Error(), "figure is 6 bytes, more than the 3 allowed") {
		t.Errorf("size limit: %v", err)
	}
	// a file named on the command line: a device is refused before a byte is read
	if _, err := ReadFile("/dev/zero", 1<<20, "draft"); err == nil || !strings.Contains(err.Error(), "zero is a device") {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "figures", "fifo.png"), 1<<20, "draft"); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("fifo: %v", err)
	}
}
