package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/urfave/cli/v2"
)

func submitCommand() *cli.Command {
	author := &cli.StringFlag{Name: "author", Usage: "submitter's name (default: the draft's first author)"}
	pub := &cli.StringFlag{Name: "pub", Usage: "publication id the files belong to", Required: true}
	asJSON := &cli.BoolFlag{Name: "json", Usage: "print one result per file as JSON on stdout"}
	lang := msgLangFlag()
	return &cli.Command{
		Name:  "submit",
		Usage: "check files and store them as new revisions (authors)",
		Description: "Every file is checked first; a file that fails is not stored and its problems\n" +
			"are listed with their lines. Identical content already stored is reported, not\n" +
			"stored again. Nothing is ever overwritten.",
		Subcommands: []*cli.Command{
			{
				Name:      "chapter",
				Usage:     "submit chapter drafts (Markdown with front matter)",
				ArgsUsage: "FILE...",
				Flags:     []cli.Flag{author, asJSON, lang},
				Action: func(c *cli.Context) error {
					return submitEach(c, func(ctx context.Context, r *drafts.Repo, file string, data []byte) (drafts.Result, error) {
						return intake.SubmitChapter(ctx, r, file, data, c.String("author"))
					})
				},
			},
			{
				Name:      "figure",
				Usage:     "submit figures (PNG or JPEG; the file name is the figure's name)",
				ArgsUsage: "FILE...",
				Flags:     []cli.Flag{pub, author, asJSON, lang},
				Action: func(c *cli.Context) error {
					return submitEach(c, func(ctx context.Context, r *drafts.Repo, file string, data []byte) (drafts.Result, error) {
						return intake.SubmitFigure(ctx, r, c.String("pub"), file, data, c.String("author"))
					})
				},
			},
			{
				Name:      "dataset",
				Usage:     "submit indicator datasets (XLSX, or CSV with its NAME.indicators.csv beside it)",
				ArgsUsage: "FILE...",
				Flags:     []cli.Flag{pub, author, asJSON, lang},
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return fmt.Errorf("name at least one dataset file")
					}
					r, err := openRepo(c)
					if err != nil {
						return err
					}
					var out submissions
					for _, file := range c.Args().Slice() {
						if strings.HasSuffix(file, drafts.DictionarySuffix) {
							continue // submitted with its data table
						}
						data, dict, err := readDataset(file)
						var res []drafts.Result
						var warnings diag.List
						if err == nil {
							res, warnings, err = intake.SubmitDataset(c.Context, r, c.String("pub"), file, data, dict, c.String("author"))
						}
						out.add(file, res, warnings, err)
					}
					return out.report(c, "datasets")
				},
			},
			{
				Name:      "glossary",
				Usage:     "submit the publication's glossary (the .yaml file publication.yaml names under glossary:)",
				ArgsUsage: "FILE",
				Flags:     []cli.Flag{pub, author, asJSON, lang},
				Action: func(c *cli.Context) error {
					return submitEach(c, func(ctx context.Context, r *drafts.Repo, file string, data []byte) (drafts.Result, error) {
						return intake.SubmitGlossary(ctx, r, c.String("pub"), file, data, c.String("author"))
					})
				},
			},
			{
				Name:      "bibliography",
				Usage:     "submit bibliography files (BibTeX .bib or CSL-JSON .json, named as publication.yaml lists them under bibliography:)",
				ArgsUsage: "FILE...",
				Flags:     []cli.Flag{pub, author, asJSON, lang},
				Action: func(c *cli.Context) error {
					return submitEach(c, func(ctx context.Context, r *drafts.Repo, file string, data []byte) (drafts.Result, error) {
						return intake.SubmitBibliography(ctx, r, c.String("pub"), file, data, c.String("author"))
					})
				},
			},
		},
	}
}

// submission is what became of one submitted file, as --json prints it.
type submission struct {
	File     string          `json:"file"`
	Stored   bool            `json:"stored"`
	Results  []drafts.Result `json:"revisions"`
	Errors   []build.Problem `json:"errors"`
	Warnings []build.Problem `json:"warnings"`
	failed   diag.List
}

// submissions collects the outcome of every file of one submit command.
type submissions []submission

func (s *submissions) add(file string, res []drafts.Result, warnings diag.List, err error) {
	sub := submission{File: file, Stored: err == nil, Results: res, Errors: []build.Problem{}, Warnings: []build.Problem{}}
	if sub.Results == nil {
		sub.Results = []drafts.Result{}
	}
	for _, w := range warnings {
		sub.Warnings = append(sub.Warnings, build.NewProblem("warning", "", w))
	}
	if err != nil {
		sub.failed.Merge(err)
		for _, e := range diag.WithCode(err, build.CodeDraft) {
			sub.Errors = append(sub.Errors, build.NewProblem("error", "", e))
		}
	}
	*s = append(*s, sub)
}

// report prints the outcomes (one line per stored revision, warnings on
// stderr; or JSON) and fails when any file was not stored.
func (s submissions) report(c *cli.Context, what string) error {
	lang, err := msgLang(c, true)
	if err != nil {
		return err
	}
	var failed diag.List
	for i, sub := range s {
		failed = append(failed, sub.failed...)
		for j := range sub.Errors {
			s[i].Errors[j] = sub.Errors[j].In(lang)
		}
		for j := range sub.Warnings {
			s[i].Warnings[j] = sub.Warnings[j].In(lang)
		}
	}
	if c.Bool("json") {
		if err := printJSON(c, s); err != nil {
			return err
		}
	} else {
		for _, sub := range s {
			for _, x := range sub.Results {
				fmt.Fprintln(c.App.Writer, x)
			}
			for _, w := range sub.Warnings {
				fmt.Fprintln(c.App.ErrWriter, "warning: "+w.Diag().Error())
			}
		}
	}
	if len(failed) > 0 {
		n := 0
		for _, sub := range s {
			if !sub.Stored {
				n++
			}
		}
		return diag.Translated(lang, fmt.Errorf("%d of %d %s not stored: %s", n, len(s), what, failed.Error()))
	}
	return nil
}

// submitEach submits every file, prints one line per file (or JSON),
// and fails if any file failed.
func submitEach(c *cli.Context, one func(context.Context, *drafts.Repo, string, []byte) (drafts.Result, error)) error {
	if c.NArg() == 0 {
		return fmt.Errorf("name at least one file to submit")
	}
	r, err := openRepo(c)
	if err != nil {
		return err
	}
	var out submissions
	for _, file := range c.Args().Slice() {
		data, err := readFile(file)
		var res []drafts.Result
		if err == nil {
			var x drafts.Result
			if x, err = one(c.Context, r, file, data); err == nil {
				res = []drafts.Result{x}
			}
		}
		out.add(file, res, nil, err)
	}
	return out.report(c, "files")
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check files exactly as submit and the build would, storing nothing",
		ArgsUsage: "FILE...",
		Description: "A chapter draft (.md) inside a publication directory (a publication.yaml in\n" +
			"its folder or a parent) is checked against that directory and needs no store;\n" +
			"otherwise against its publication's latest revisions in the store. The check is\n" +
			"the build's own preflight: cross-references, datasets, indicators, figures,\n" +
			"labels and fonts. Figures (.png, .jpg) and datasets (.xlsx, .csv) are checked\n" +
			"by their own rules. Nothing is created or stored. See docs/authoring.md.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print one verdict per file as JSON on stdout"}, msgLangFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return fmt.Errorf("name at least one file to check")
			}
			lang, err := msgLang(c, true)
			if err != nil {
				return err
			}
			var repo *drafts.Repo // opened when a draft is outside a publication directory
			defer func() {
				if repo != nil {
					repo.Store.Close()
				}
			}()
			opt := buildOptions(c)
			var failed diag.List
			var verdicts []*build.Verdict
			for _, file := range c.Args().Slice() {
				data, err := readFile(file)
				v := &build.Verdict{File: file, Errors: []build.Problem{}, Warnings: []build.Problem{}}
				if err == nil {
					switch lower := strings.ToLower(file); {
					case strings.HasSuffix(lower, ".md"):
						req := build.Request{Dir: build.PublicationDir(file), Options: opt}
						if req.Dir == "" {
							if repo == nil {
								if repo, err = openRepo(c); err != nil {
									return err
								}
							}
							req.Repo = repo
						}
						var cv *build.Verdict
						if cv, err = build.CheckChapter(c.Context, req, file, data); err != nil {
							return fmt.Errorf("check %s: %w", file, err)
						}
						v = cv
						err = v.Err()
					case intake.IsFigureFile(lower):
						_, _, err = intake.CheckFigure(file, data)
					case strings.HasSuffix(lower, ".bib"), strings.HasSuffix(lower, ".json"):
						_, _, err = intake.CheckBibliography(file, data)
					case strings.HasSuffix(lower, drafts.DictionarySuffix):
						continue // checked with its data table
					default:
						var dict []byte
						var warnings diag.List
						if _, dict, err = readDataset(file); err == nil {
							_, _, warnings, err = intake.CheckDataset(c.Context, file, data, dict)
						}
						for _, w := range diag.WithCode(warnings.Err(), build.CodeDataset) {
							v.Warnings = append(v.Warnings, build.NewProblem("warning", "", w))
						}
					}
				}
				if err != nil && len(v.Errors) == 0 {
					for _, e := range diag.WithCode(err, build.CodeDraft) {
						v.Errors = append(v.Errors, build.NewProblem("error", "", e))
					}
				}
				v = v.In(lang)
				err = diag.Localize(lang, err)
				verdicts = append(verdicts, v)
				if !c.Bool("json") {
					for _, w := range v.Warnings {
						fmt.Fprintln(c.App.ErrWriter, "warning: "+w.Diag().Error())
					}
				}
				if err != nil {
					failed.Merge(err)
					continue
				}
				if !c.Bool("json") {
					fmt.Fprintf(c.App.Writer, map[string]string{"en": "%s: ok\n", "zh": "%s：通过\n"}[lang], file)
				}
			}
			if c.Bool("json") {
				if err := printJSON(c, verdicts); err != nil {
					return err
				}
			}
			if len(failed) > 0 {
				return diag.Localize(lang, failed)
			}
			return nil
		},
	}
}

// readDataset reads a dataset file and, for CSV, its dictionary beside it
// (nil when absent, which the checks then report).
func readDataset(file string) (data, dict []byte, err error) {
	if data, err = readFile(file); err != nil {
		return nil, nil, err
	}
	if strings.HasSuffix(strings.ToLower(file), ".csv") {
		dictFile := strings.TrimSuffix(file, ".csv") + drafts.DictionarySuffix
		d, err := readFile(dictFile)
		switch {
		case err == nil:
			dict = d
		case !errors.Is(err, fs.ErrNotExist):
			return nil, nil, err
		}
	}
	return data, dict, nil
}
