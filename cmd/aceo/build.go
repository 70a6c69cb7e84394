package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/progress"
	"github.com/aceo-project/aceo/pipeline/tmpfiles"
	"github.com/urfave/cli/v2"
)

func buildCommand() *cli.Command {
	return &cli.Command{
		Name:      "build",
		Usage:     "typeset a publication's editions as PDF",
		ArgsUsage: "PUB | PUBLICATION_DIR",
		Description: "With a publication id, reads the publication from the store: the accepted\n" +
			"revision of every chapter in every language (--preview: the latest), and the\n" +
			"latest revision of every figure; the PDFs, the data annex and manifest.json\n" +
			"are stored under builds/PUB/BUILD_ID/ and written into --out. With a\n" +
			"directory, reads DIR/publication.yaml and every draft (*.md) below it, for\n" +
			"local work, and writes into --out only.\n\n" +
			"--preview --chapter ID typesets one chapter (both languages, or --lang) for\n" +
			"an author's look, its references to other chapters numbered as in the book.\n\n" +
			"--verify BUILD_ID fetches exactly the inputs a stored build's manifest names,\n" +
			"builds again and compares every output's SHA-256; any difference is reported\n" +
			"and the command fails.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "directory to write the PDFs into"},
			&cli.StringSliceFlag{Name: "lang", Usage: "build only these languages (en, zh); default: all of the publication's"},
			&cli.StringFlag{Name: "chapter", Usage: "with --preview: typeset this chapter alone (references to other chapters resolved from the publication), in well under a second; nothing is stored"},
			&cli.BoolFlag{Name: "preview", Usage: "build from the latest revisions instead of the accepted ones, and render despite preflight errors: every page marked DRAFT, missing translations replaced by the English text, the preflight report as the last page"},
			&cli.StringFlag{Name: "as-of", Usage: "YYYY-MM-DD the appendices report the Action Plan's progress at (default: the publication's as_of)"},
			&cli.StringFlag{Name: "verify", Usage: "rebuild the stored build BUILD_ID from the inputs its manifest names and compare the outputs"},
			&cli.BoolFlag{Name: "json", Usage: "print the result (preflight report, build id, outputs) as JSON on stdout, and nothing else"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only problems"},
			&cli.StringFlag{Name: "templates", EnvVars: []string{"ACEO_TEMPLATES"}, Usage: "directory of report templates, instead of the built-in ones"},
			&cli.StringSliceFlag{Name: "font-dir", EnvVars: []string{"ACEO_FONT_DIR"}, Usage: "directory to search for font files before the system's"},
		},
		Action: func(c *cli.Context) error {
			opt := buildOptions(c)
			opt.Languages = c.StringSlice("lang")
			if id := c.String("verify"); id != "" {
				return verifyBuild(c, id, opt)
			}
			if c.NArg() != 1 {
				return fmt.Errorf("build needs a publication id or directory, for example: aceo build aceo-sample")
			}
			arg := c.Args().First()
			start := time.Now()
			// progress on stderr: bars on a terminal, lines elsewhere
			prog := progress.For(c.App.ErrWriter, c.Bool("quiet") || c.Bool("json"))
			defer prog.Close()
			opt.Progress = prog
			req := build.Request{AsOf: c.String("as-of"), Preview: c.Bool("preview"), Chapter: c.String("chapter"), Options: opt}
			if st, serr := os.Stat(filepath.Join(arg, "publication.yaml")); serr == nil && !st.IsDir() {
				req.Dir = arg
			} else {
				repo, err := openRepo(c)
				if err != nil {
					return err
				}
				defer repo.Store.Close()
				req.Repo, req.Pub, req.Keep = repo, arg, req.Chapter == ""
			}
			req.OnPreflight = func(rep *build.Report) {
				if !c.Bool("json") && (!c.Bool("quiet") || !rep.OK()) {
					fmt.Fprint(c.App.ErrWriter, rep.Text())
				}
			}
			res, err := build.Run(c.Context, req)
			if err != nil {
				if res != nil && c.Bool("json") {
					printJSON(c, buildResult{Publication: res.Sources.Pub.ID, Mode: res.Mode, Preflight: res.Report})
				}
				return err
			}
			src, files, m, id := res.Sources, res.Files, res.Manifest, res.ID
			outs := res.Outputs
			say := func(format string, args ...any) {
				if !c.Bool("json") && !c.Bool("quiet") {
					fmt.Fprintf(c.App.Writer, format, args...)
				}
			}
			if req.Repo != nil && req.Keep {
				say("build %s stored in %s under %s\n", id, req.Repo.Store, manifest.Prefix(src.Pub.ID, id))
			}
			outDir := c.String("out")
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return fmt.Errorf("create output directory: %w", err)
			}
			for _, f := range files {
				p := filepath.Join(outDir, f.Name)
				if err := writeFileAtomic(p, f.Data); err != nil {
					return err
				}
				if f.Lang != "" {
					say("%s\t%d pages\t%d bytes\n", p, f.Pages, len(f.Data))
				} else {
					say("%s\tdata annex\t%d bytes\n", p, len(f.Data))
				}
			}
			if m != nil {
				if err := writeFileAtomic(filepath.Join(outDir, manifest.Name), m.JSON()); err != nil {
					return err
				}
				say("%s\tmanifest\n", filepath.Join(outDir, manifest.Name))
			}
			if c.Bool("json") {
				res := buildResult{Build: id, Publication: src.Pub.ID, Mode: res.Mode, Preflight: res.Report, Dir: outDir}
				if m != nil {
					res.Outputs = m.Outputs
				}
				return printJSON(c, res)
			}
			prog.Close()
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.ErrWriter, "built %s (%s) in %s\n", src.Pub.ID, strings.Join(langs(outs), ", "), time.Since(start).Round(time.Millisecond))
			}
			return nil
		},
	}
}

// verifyBuild rebuilds a stored build from the inputs its manifest names
// and compares every output; a difference is an error that says which
// outputs differ and what else changed (tool, template, fonts).
func verifyBuild(c *cli.Context, id string, opt build.Options) error {
	repo, err := openRepo(c)
	if err != nil {
		return err
	}
	defer repo.Store.Close()
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	pub := ""
	if c.NArg() == 1 {
		pub = c.Args().First()
	}
	m, diffs, err := build.Verify(ctx, repo, pub, id, opt)
	if err != nil {
		return err
	}
	if len(diffs.Outputs) == 0 {
		fmt.Fprintf(c.App.Writer, "build %s verified: %d outputs rebuilt from %d inputs are byte-identical\n", id, len(m.Outputs), len(m.Inputs))
		for _, d := range diffs.Context {
			fmt.Fprintf(c.App.Writer, "note: %s\n", d)
		}
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "build %s is not reproduced: %d of %d outputs differ", id, len(diffs.Outputs), len(m.Outputs))
	for _, d := range append(diffs.Outputs, diffs.Context...) {
		b.WriteString("\n  " + d)
	}
	return fmt.Errorf("%s", b.String())
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
	return tmpfiles.WriteFile(path, data, 0o644)
}

// buildResult is what aceo build --json prints.
type buildResult struct {
	Build       string                `json:"build,omitempty"`
	Publication string                `json:"publication"`
	Mode        string                `json:"mode"`
	Dir         string                `json:"out,omitempty"`
	Preflight   *build.Report         `json:"preflight"`
	Outputs     []manifest.OutputFile `json:"outputs,omitempty"`
}

func printJSON(c *cli.Context, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = c.App.Writer.Write(append(b, '\n'))
	return err
}

// buildLangs is the languages a build makes: --lang, or the publication's.
func buildLangs(src *build.Sources, opt build.Options) []string {
	if len(opt.Languages) > 0 {
		return opt.Languages
	}
	return src.Pub.Languages
}
