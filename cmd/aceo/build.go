package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
	"github.com/urfave/cli/v2"
)

func buildCommand() *cli.Command {
	return &cli.Command{
		Name:      "build",
		Usage:     "typeset a publication's editions as PDF",
		ArgsUsage: "PUB | PUBLICATION_DIR",
		Description: "With a publication id, reads the publication from the store: the accepted\n" +
			"revision of every chapter in every language (--preview: the latest), and the\n" +
			"latest revision of every figure; the PDFs are stored under builds/ and written\n" +
			"into --out. With a directory, reads DIR/publication.yaml and every draft (*.md)\n" +
			"below it, for local work, and writes into --out only.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "directory to write the PDFs into"},
			&cli.StringSliceFlag{Name: "lang", Usage: "build only these languages (en, zh); default: all of the publication's"},
			&cli.BoolFlag{Name: "preview", Usage: "build from the latest revisions instead of the accepted ones (store mode)"},
			&cli.StringFlag{Name: "as-of", Usage: "YYYY-MM-DD the appendices report the Action Plan's progress at (default: the publication's as_of)"},
			&cli.StringFlag{Name: "templates", EnvVars: []string{"ACEO_TEMPLATES"}, Usage: "directory of report templates, instead of the built-in ones"},
			&cli.StringSliceFlag{Name: "font-dir", EnvVars: []string{"ACEO_FONT_DIR"}, Usage: "directory to search for font files before the system's"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("build needs a publication id or directory, for example: aceo build aceo-sample")
			}
			arg := c.Args().First()
			start := time.Now()
			opt := build.Options{Templates: templates.FS, Languages: c.StringSlice("lang")}
			if d := c.String("templates"); d != "" {
				opt.Templates = os.DirFS(d)
			}
			opt.Fonts = typeset.NewFontSet(append(c.StringSlice("font-dir"), typeset.DefaultFontDirs()...))

			var src *build.Sources
			var repo *drafts.Repo
			var err error
			if st, serr := os.Stat(filepath.Join(arg, "publication.yaml")); serr == nil && !st.IsDir() {
				src, err = build.Load(arg, opt)
			} else {
				if repo, err = openRepo(c); err != nil {
					return err
				}
				src, _, err = build.FromStore(c.Context, repo, arg, c.Bool("preview"), opt)
			}
			if err != nil {
				return err
			}
			if d := c.String("as-of"); d != "" {
				if _, err := time.Parse("2006-01-02", d); err != nil {
					return fmt.Errorf("--as-of %q is not a date: write it as YYYY-MM-DD", d)
				}
				src.Pub.AsOf = d
			}
			outs, err := build.Build(src, opt)
			if err != nil {
				return err
			}
			annex, err := build.Annex(src, opt, outs)
			if err != nil {
				return err
			}
			if repo != nil {
				id, _, err := build.StoreOutputs(c.Context, repo, src, outs, annex)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "build %s stored in %s under builds/%s/%s/\n", id, repo.Store, src.Pub.ID, id)
			}
			outDir := c.String("out")
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return fmt.Errorf("create output directory: %w", err)
			}
			for _, o := range outs {
				p := filepath.Join(outDir, build.FileName(src.Pub, o.Lang))
				if err := writeFileAtomic(p, o.PDF); err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%s\t%d pages\t%d bytes\n", p, o.Pages, len(o.PDF))
			}
			if annex != nil {
				p := filepath.Join(outDir, build.AnnexName(src.Pub.ID))
				if err := writeFileAtomic(p, annex); err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%s\tdata annex\t%d bytes\n", p, len(annex))
			}
			fmt.Fprintf(c.App.ErrWriter, "built %s (%s) in %s\n", src.Pub.ID, strings.Join(langs(outs), ", "), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}

func langs(outs []build.Output) []string {
	var l []string
	for _, o := range outs {
		l = append(l, o.Lang)
	}
	return l
}

// writeFileAtomic writes through a temporary file and a rename, so that a
// full disk or an interrupted run never leaves half a PDF behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".aceo-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
