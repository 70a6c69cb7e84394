package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
