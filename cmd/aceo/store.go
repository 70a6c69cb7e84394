package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
	"github.com/urfave/cli/v2"
)

// storeFlag is a new global --store flag.
func storeFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "store",
		EnvVars: []string{"ACEO_STORE"},
		Usage: "object store: file:///path/to/dir (default: ./aceo-store) or " +
			"s3://bucket[/prefix]?endpoint=host:port&tls=false&region=...; S3 credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN or ~/.aws/credentials",
	}
}

// openRepo opens the store the command line names.
func openRepo(c *cli.Context) (*drafts.Repo, error) {
	u, err := storeURL(c)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(context.Background(), u)
	if err != nil {
		return nil, err
	}
	return build.UseVerdict(&drafts.Repo{Store: s}, buildOptions(c)), nil
}

// buildOptions are what a command builds and judges drafts with: the
// templates of --templates (or ACEO_TEMPLATES, or the built-in ones), the
// fonts of --font-dir (or ACEO_FONT_DIR, comma-separated as the flag reads
// it) before the system's, and the builder's revision cache. Commands
// without those options read the environment alone.
func buildOptions(c *cli.Context) build.Options {
	opt := build.Options{Templates: templates.FS, Revisions: build.DefaultRevisionCache()}
	dir := c.String("templates")
	if dir == "" {
		dir = os.Getenv("ACEO_TEMPLATES")
	}
	if dir != "" {
		opt.Templates = os.DirFS(dir)
	}
	fontDirs := c.StringSlice("font-dir")
	if len(fontDirs) == 0 && os.Getenv("ACEO_FONT_DIR") != "" {
		fontDirs = strings.Split(os.Getenv("ACEO_FONT_DIR"), ",")
	}
	opt.Fonts = typeset.NewFontSet(append(fontDirs, typeset.DefaultFontDirs()...))
	return opt
}

// readFile reads a file named on the command line.
func readFile(name string) ([]byte, error) {
	// the limit is checked before anything is read: no input is larger
	// than the largest kind (a dataset); each kind's own limit follows
	const max = drafts.MaxDatasetSize
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d any input of aceo may be; check that it is the right file, or split it", name, st.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > max {
		return nil, fmt.Errorf("%s is more than the %d bytes any input of aceo may be; check that it is the right file, or split it", name, max)
	}
	return data, nil
}

// storeURL is the store the command line names: --store, or the directory
// aceo-store in the working directory.
func storeURL(c *cli.Context) (string, error) {
	if u := c.String("store"); u != "" {
		return u, nil
	}
	abs, err := filepath.Abs("aceo-store")
	if err != nil {
		return "", err
	}
	return "file://" + filepath.ToSlash(abs), nil
}
