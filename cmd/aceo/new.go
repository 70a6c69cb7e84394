package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aceo-project/aceo/docs"
	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/urfave/cli/v2"
)

func newCommand() *cli.Command {
	return &cli.Command{
		Name:  "new",
		Usage: "start a new draft (authors)",
		Subcommands: []*cli.Command{
			{
				Name:      "chapter",
				Usage:     "write a starting draft of a chapter that validates, with an example of every block",
				ArgsUsage: "PUB CHAPTER",
				Description: "With --dir, the publication is the directory (a publication.yaml in it) and\n" +
					"the draft goes to DIR/LANG/NN-CHAPTER.md; otherwise the publication is read\n" +
					"from the store and the draft goes to NN-CHAPTER.LANG.md here. A Chinese\n" +
					"draft names the English draft it translates (translated_from): the\n" +
					"directory's, or the store's revision that the build takes. Existing files\n" +
					"are never overwritten. See docs/authoring.md.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "lang", Value: "en", Usage: "language of the draft (en or zh)"},
					&cli.StringFlag{Name: "dir", Usage: "publication directory to work in, instead of the store"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the draft to this file instead"},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() != 2 {
						return fmt.Errorf("new chapter needs a publication and a chapter, for example: aceo new chapter aceo-sample freshwater --lang zh")
					}
					pub, ch := c.Args().Get(0), c.Args().Get(1)
					req := build.Request{Pub: pub, Options: buildOptions(c)}
					if dir := c.String("dir"); dir != "" {
						req.Dir = dir
					} else {
						repo, err := openRepo(c)
						if err != nil {
							return err
						}
						defer repo.Store.Close()
						req.Repo = repo
					}
					data, name, err := build.NewChapter(c.Context, req, ch, c.String("lang"))
					if err != nil {
						return err
					}
					if req.Dir != "" {
						if got := build.PublicationDir(name); got == "" {
							return fmt.Errorf("%s has no publication.yaml", req.Dir)
						}
					}
					if out := c.String("output"); out != "" {
						name = out
					}
					if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
						return fmt.Errorf("new chapter: %w", err)
					}
					f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
					if err != nil {
						if errors.Is(err, os.ErrExist) {
							return fmt.Errorf("%s already exists and is left as it is; name another file with --output", name)
						}
						return fmt.Errorf("new chapter: %w", err)
					}
					if _, err := f.Write(data); err != nil {
						f.Close()
						os.Remove(name)
						return fmt.Errorf("write %s: %w", name, err)
					}
					if err := f.Close(); err != nil {
						os.Remove(name)
						return fmt.Errorf("write %s: %w", name, err)
					}
					fmt.Fprintf(c.App.Writer, "wrote %s: replace the examples with the chapter, then check it with aceo validate %s\n", name, name)
					return nil
				},
			},
		},
	}
}

func guideCommand() *cli.Command {
	return &cli.Command{
		Name:  "guide",
		Usage: "print the authors' guide (Markdown): every block with an example, common errors, how to submit",
		Flags: []cli.Flag{&cli.StringFlag{Name: "lang", Value: "en", Usage: "en or zh (中文作者指南)"}},
		Action: func(c *cli.Context) error {
			g, err := docs.Guide(c.String("lang"))
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write(g)
			return err
		},
	}
}
