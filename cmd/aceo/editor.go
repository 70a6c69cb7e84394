package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/urfave/cli/v2"
)

func publicationCommand() *cli.Command {
	return &cli.Command{
		Name:  "publication",
		Usage: "store and list publication definitions (editors)",
		Subcommands: []*cli.Command{
			{
				Name:      "push",
				Usage:     "check a publication.yaml and store it",
				ArgsUsage: "publication.yaml",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("push needs one publication.yaml")
					}
					r, err := openRepo(c)
					if err != nil {
						return err
					}
					data, err := readFile(c.Args().First())
					if err != nil {
						return err
					}
					p, err := r.PushPublication(c.Context, c.Args().First(), data)
					if err != nil {
						return err
					}
					fmt.Fprintf(c.App.Writer, "stored publication %s (%d chapters, %s)\n", p.ID, len(p.Chapters), strings.Join(p.Languages, ", "))
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list the publications in the store",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "lang", Value: "en", Usage: "language of the titles (en or zh)"},
					&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
				},
				Action: func(c *cli.Context) error {
					r, err := openRepo(c)
					if err != nil {
						return err
					}
					pubs, err := r.Publications(c.Context)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						type row struct {
							ID        string   `json:"id"`
							Kind      string   `json:"kind"`
							Year      int      `json:"year"`
							Languages []string `json:"languages"`
							Chapters  []string `json:"chapters"`
							Title     any      `json:"title"`
						}
						rows := []row{}
						for _, p := range pubs {
							rows = append(rows, row{p.ID, p.Kind, p.Year, p.Languages, p.Chapters, p.Title})
						}
						return printJSON(c, rows)
					}
					t := newTable("ID", "KIND", "YEAR", "CHAPTERS", "TITLE")
					for _, p := range pubs {
						t.row(p.ID, p.Kind, fmt.Sprint(p.Year), fmt.Sprint(len(p.Chapters)), p.Title.In(c.String("lang")))
					}
					return t.print(c.App.Writer)
				},
			},
		},
	}
}

// langFlag is a new --lang flag for a chapter's language.
func langFlag() cli.Flag {
	return &cli.StringFlag{Name: "lang", Value: "en", Usage: "language of the chapter (en or zh)"}
}

// checkChapterArgs checks a publication, chapter and language named on
// the command line against the stored publication: an unknown chapter
// gets a "did you mean", a language the publication lacks lists its
// languages.
func checkChapterArgs(c *cli.Context, r *drafts.Repo, pubID, chapter, lang string) error {
	pub, err := r.Publication(c.Context, pubID)
	if err != nil {
		return err
	}
	if err := build.CheckLanguages(pub, []string{lang}); err != nil {
		return err
	}
	if !slices.Contains(pub.Chapters, chapter) {
		if near := diag.Nearest(chapter, pub.Chapters); near != "" {
			return fmt.Errorf("publication %s has no chapter %q; did you mean %q?", pub.ID, chapter, near)
		}
		return fmt.Errorf("publication %s has no chapter %q: its chapters are %s", pub.ID, chapter, strings.Join(pub.Chapters, ", "))
	}
	return nil
}

func historyCommand() *cli.Command {
	return &cli.Command{
		Name:      "history",
		Usage:     "list the revisions of a chapter",
		ArgsUsage: "PUB CHAPTER",
		Flags:     []cli.Flag{langFlag(), &cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return fmt.Errorf("history needs a publication and a chapter, for example: aceo history --lang zh aceo-sample freshwater (options before arguments)")
			}
			r, err := openRepo(c)
			if err != nil {
				return err
			}
			pub, ch := c.Args().Get(0), c.Args().Get(1)
			if err := checkChapterArgs(c, r, pub, ch, c.String("lang")); err != nil {
				return err
			}
			revs, err := r.History(c.Context, pub, drafts.Chapters, ch, c.String("lang"))
			if err != nil {
				return err
			}
			reviews, err := r.Reviews(c.Context, pub, ch, c.String("lang"))
			if err != nil {
				return err
			}
			type row struct {
				drafts.Revision
				Review *drafts.Review `json:"review,omitempty"`
			}
			rows := []row{}
			for _, rv := range revs {
				rows = append(rows, row{rv, drafts.LatestReview(reviews, rv.ID)})
			}
			if c.Bool("json") {
				return printJSON(c, rows)
			}
			if len(revs) == 0 {
				fmt.Fprintf(c.App.Writer, "no revision of %s in %s\n", ch, c.String("lang"))
				return nil
			}
			t := newTable("REVISION", "SUBMITTED", "AUTHOR", "FILE", "SIZE", "SHA-256", "REVIEW")
			for _, x := range rows {
				t.row(x.ID, x.Time.Format("2006-01-02 15:04"), x.Author, x.File, fmt.Sprint(x.Size), x.SHA256[:16], reviewText(x.Review))
			}
			return t.print(c.App.Writer)
		},
	}
}

func getCommand() *cli.Command {
	return &cli.Command{
		Name:      "get",
		Usage:     "fetch a revision of a chapter (to stdout or --output)",
		ArgsUsage: "PUB CHAPTER REVISION",
		Flags:     []cli.Flag{langFlag(), &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 3 {
				return fmt.Errorf("get needs a publication, a chapter and a revision id (or its first characters)")
			}
			r, err := openRepo(c)
			if err != nil {
				return err
			}
			if err := checkChapterArgs(c, r, c.Args().Get(0), c.Args().Get(1), c.String("lang")); err != nil {
				return err
			}
			rv, err := r.Find(c.Context, c.Args().Get(0), drafts.Chapters, c.Args().Get(1), c.String("lang"), c.Args().Get(2))
			if err != nil {
				return err
			}
			data, err := r.Read(c.Context, rv)
			if err != nil {
				return err
			}
			if out := c.String("output"); out != "" {
				return writeFileAtomic(out, data)
			}
			_, err = c.App.Writer.Write(data)
			return err
		},
	}
}

func reviewCommand() *cli.Command {
	flags := []cli.Flag{
		langFlag(),
		&cli.StringFlag{Name: "note", Usage: "why (kept with the decision)"},
		&cli.StringFlag{Name: "editor", EnvVars: []string{"ACEO_EDITOR"}, Usage: "editor's name"},
	}
	decide := func(decision string) *cli.Command {
		return &cli.Command{
			Name:      decision,
			Usage:     decision + " a revision of a chapter",
			ArgsUsage: "PUB CHAPTER REVISION",
			Flags:     flags,
			Action: func(c *cli.Context) error {
				if c.NArg() != 3 {
					return fmt.Errorf("%s needs a publication, a chapter and a revision id (or latest), options first: aceo review %s --lang zh --note \"...\" PUB CHAPTER REVISION", decision, decision)
				}
				r, err := openRepo(c)
				if err != nil {
					return err
				}
				if err := checkChapterArgs(c, r, c.Args().Get(0), c.Args().Get(1), c.String("lang")); err != nil {
					return err
				}
				rw, err := r.Review(c.Context, c.Args().Get(0), c.Args().Get(1), c.String("lang"), c.Args().Get(2), decision, c.String("note"), c.String("editor"))
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%sed revision %s of %s (%s)\n", decision, rw.Rev, c.Args().Get(1), c.String("lang"))
				return nil
			},
		}
	}
	return &cli.Command{
		Name:        "review",
		Usage:       "accept or reject revisions (editors); release builds take accepted ones",
		Subcommands: []*cli.Command{decide(drafts.Accept), decide(drafts.Reject)},
	}
}

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "show where every chapter stands in every language",
		ArgsUsage: "PUB",
		Description: "For each chapter and language: the latest and the accepted revision, who\n" +
			"submitted it and when, and the translation state (missing, stale, current).\n" +
			"Exits with status 1 when a release build would fail.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("status needs a publication id")
			}
			r, err := openRepo(c)
			if err != nil {
				return err
			}
			st, ready, err := r.Status(c.Context, c.Args().First())
			if err != nil {
				return err
			}
			// every chapter accepted: the release build's own preflight
			// decides (drafts parsed, references, datasets, figures, fonts)
			var rep *build.Report
			if ready {
				opt := buildOptions(c)
				opt.Lenient = true
				src, _, err := build.FromStore(c.Context, r, c.Args().First(), false, opt)
				if err != nil {
					return err
				}
				if rep, _, err = build.Preflight(src, opt, "release"); err != nil {
					return err
				}
				ready = rep.OK()
			}
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"publication": c.Args().First(), "release_ready": ready, "chapters": st, "preflight": rep}); err != nil {
					return err
				}
			} else {
				t := newTable("CHAPTER", "LANG", "LATEST", "ACCEPTED", "AUTHOR", "AGE", "TRANSLATION", "REVIEW")
				for _, s := range st {
					age := ""
					if !s.Submitted.IsZero() {
						age = since(s.Submitted)
					}
					t.row(s.Chapter, s.Lang, dash(s.Latest), dash(s.Accepted), s.Author, age, s.Translation, reviewText(s.Review))
				}
				if err := t.print(c.App.Writer); err != nil {
					return err
				}
			}
			if rep != nil && !rep.OK() {
				if !c.Bool("json") {
					fmt.Fprint(c.App.ErrWriter, rep.Text())
				}
				return fmt.Errorf("a release build would fail: its preflight found %d errors", len(rep.Errors))
			}
			if !ready {
				n := 0
				for _, s := range st {
					if s.Problem != "" {
						n++
					}
				}
				return fmt.Errorf("a release build would fail: %d chapter drafts lack an accepted revision", n)
			}
			return nil
		},
	}
}

// reviewText is a decision as history and status show it: "rejected
// by Editor: the note".
func reviewText(rw *drafts.Review) string {
	if rw == nil {
		return ""
	}
	s := rw.Decision + "ed"
	if rw.Editor != "" {
		s += " by " + rw.Editor
	}
	if rw.Note != "" {
		s += ": " + rw.Note
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func since(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
