package build_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/sample"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

var updateIdentity = flag.Bool("update-identity", false, "rewrite testdata/golden/outputs.sha256 (only with a fix that names the difference)")

const identityFile = "testdata/golden/outputs.sha256"

// TestOutputsByteIdentical holds the sample's outputs to the bytes they
// had when the file testdata/golden/outputs.sha256 was written: the PDFs
// and data annex of a directory build of both sample publications, and of
// a release build of the Outlook from a store filled as its authors and
// editors would. A change of structure must not change a byte; a change
// that means to (a fix) rewrites the file with -update-identity, and its
// commit names the difference. The fonts are part of the outputs, so the
// file records the hashes of the fonts the build loaded, and a difference
// there is reported as such.
func TestOutputsByteIdentical(t *testing.T) {
	got := map[string]string{}
	var fonts []manifest.FileHash
	opt := build.Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())}
	ctx := context.Background()
	for _, id := range []string{"aceo-sample", "policy-study-sample"} {
		res, err := build.Run(ctx, build.Request{Dir: filepath.Join("..", "..", "chapters", id), Options: opt})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			got["directory/"+f.Name] = fmt.Sprintf("%x", sha256.Sum256(f.Data))
		}
		fonts = res.Manifest.Fonts
	}
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &drafts.Repo{Store: s, Now: sample.Clock(time.Date(2013, 11, 20, 9, 0, 0, 0, time.UTC))}
	if err := sample.Submit(ctx, r, filepath.Join("..", ".."), "aceo-sample"); err != nil {
		t.Fatal(err)
	}
	res, err := build.Run(ctx, build.Request{Repo: r, Pub: "aceo-sample", Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		got["release/"+f.Name] = fmt.Sprintf("%x", sha256.Sum256(f.Data))
	}
	for _, f := range fonts {
		got["font/"+f.Name] = f.SHA256
	}
	if len(got) < 10 {
		t.Fatalf("only %d outputs and fonts: %v", len(got), got)
	}

	if *updateIdentity {
		var b strings.Builder
		b.WriteString("# SHA-256 of the sample's outputs and of the fonts they were made with.\n# Rewritten only by go test ./pipeline/build -run OutputsByteIdentical -update-identity\n")
		names := make([]string, 0, len(got))
		for n := range got {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&b, "%s  %s\n", got[n], n)
		}
		if err := os.WriteFile(identityFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readIdentity(t)
	fontsDiffer := false
	for n, h := range want {
		if strings.HasPrefix(n, "font/") && got[n] != h {
			fontsDiffer = true
			t.Errorf("font %s is not the one the outputs were recorded with (%.12s…, recorded %.12s…): install the fonts of scripts/setup.sh", strings.TrimPrefix(n, "font/"), got[n], h)
		}
	}
	for n, h := range want {
		if strings.HasPrefix(n, "font/") {
			continue
		}
		switch g, ok := got[n]; {
		case !ok:
			t.Errorf("%s is no longer made", n)
		case g != h && !fontsDiffer:
			t.Errorf("%s changed: %.12s…, recorded %.12s…", n, g, h)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s is new: record it with -update-identity", n)
		}
	}
}

func readIdentity(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(identityFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		h, n, ok := strings.Cut(line, "  ")
		if !ok || len(h) != 64 {
			t.Fatalf("%s: bad line %q", identityFile, line)
		}
		want[n] = h
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestConfigInManifest: the configuration resolved when the sources are
// loaded (template, register, fonts, hyphenation patterns) is what the
// manifest records, each file with its hash.
func TestConfigInManifest(t *testing.T) {
	res, err := build.Run(context.Background(), build.Request{Dir: filepath.Join("..", "..", "chapters", "aceo-sample")})
	if err != nil {
		t.Fatal(err)
	}
	m, cfg := res.Manifest, res.Sources.Config
	if cfg == nil || cfg.Template == nil || cfg.Register == nil || cfg.Fonts == nil {
		t.Fatalf("config not resolved: %+v", cfg)
	}
	if m.Template != cfg.TemplateFile || m.Template.Name != "outlook.yaml" || len(m.Template.SHA256) != 64 {
		t.Errorf("template %+v, config %+v", m.Template, cfg.TemplateFile)
	}
	if m.Register == nil || m.Register.Name != "registers/action-plan-2011-2013.yaml" {
		t.Errorf("register %+v", m.Register)
	}
	if len(m.Fonts) < 5 {
		t.Errorf("fonts %+v", m.Fonts)
	}
	found := false
	for _, h := range m.Hyphenation {
		if h.Name == "hyph_en_US.dic" {
			data, err := os.ReadFile("/usr/share/hyphen/hyph_en_US.dic")
			if err != nil {
				t.Fatal(err)
			}
			found = h.SHA256 == fmt.Sprintf("%x", sha256.Sum256(data))
		}
	}
	if !found {
		t.Errorf("the English hyphenation patterns are not recorded with their hash: %+v", m.Hyphenation)
	}
}
