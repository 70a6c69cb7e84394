package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestBuildCommand(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"aceo", "build", "--out", out, "--lang", "en", "../../chapters/policy-study-sample"}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "policy-study-sample-en.pdf"))
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
	if !strings.Contains(stdout.String(), "policy-study-sample-en.pdf") {
		t.Errorf("stdout %q", stdout.String())
	}
}

func TestBuildErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"aceo", "build"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "needs a publication id or directory") {
		t.Fatalf("got %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "publication.yaml"), []byte("id: x\nkind: outlook\ndate: \"2013-01-01\"\ntitle: {en: X, zh: X}\nchapters: [a]\ncolour: red\n"), 0o644)
	err := run([]string{"aceo", "build", dir}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `publication.yaml:6: unknown field "colour"`) {
		t.Fatalf("got %v", err)
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"aceo", "build", "--help"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"--out", "--lang", "--templates", "--font-dir"} {
		if !strings.Contains(stdout.String(), flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}

// TestFailedBuildWritesNothing: when one edition fails, no PDF is written,
// not even the edition that built.
func TestFailedBuildWritesNothing(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"aceo", "build", "--out", out, "../../pipeline/build/testdata/missing-glyph"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "U+1F600") {
		t.Fatalf("got %v", err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Fatalf("files left after a failed build: %v", entries)
	}
}

// TestFlagsFirst: options may follow a command's arguments; values of
// options are not taken for arguments; "--" ends the options.
func TestFlagsFirst(t *testing.T) {
	app := &cli.App{Flags: []cli.Flag{storeFlag()}, Commands: []*cli.Command{activityCommand(), reviewCommand()}}
	for _, c := range []struct{ in, want string }{
		{"aceo activity update 1.2.3 --status done --date 2011-10-21", "aceo activity update --status done --date 2011-10-21 1.2.3"},
		{"aceo --store file:///x activity list --overdue --as-of 2013-01-01", "aceo --store file:///x activity list --overdue --as-of 2013-01-01"},
		{"aceo activity import t.xlsx --by=JISE", "aceo activity import --by=JISE t.xlsx"},
		{"aceo activity update 1.2.3 --note -x -- --odd", "aceo activity update --note -x 1.2.3 -- --odd"},
		{"aceo unknown 1 --x", "aceo unknown 1 --x"},
	} {
		if got := strings.Join(flagsFirst(app, strings.Fields(c.in)), " "); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
