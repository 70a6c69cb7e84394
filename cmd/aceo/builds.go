package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/urfave/cli/v2"
)

func buildsCommand() *cli.Command {
	return &cli.Command{
		Name:  "builds",
		Usage: "list a publication's builds and show what went into one",
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "the builds of a publication, oldest first",
				ArgsUsage: "PUB",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("builds list needs a publication id, for example: aceo builds list aceo-sample")
					}
					repo, err := openRepo(c)
					if err != nil {
						return err
					}
					defer repo.Store.Close()
					ms, err := manifest.List(c.Context, repo.Store, c.Args().First())
					if err != nil {
						return err
					}
					if c.Bool("json") {
						type row struct {
							Build   string                `json:"build"`
							Mode    string                `json:"mode"`
							Time    string                `json:"time"`
							Inputs  int                   `json:"inputs"`
							Outputs []manifest.OutputFile `json:"outputs"`
							Tool    manifest.Tool         `json:"tool"`
						}
						rows := []row{}
						for _, m := range ms {
							rows = append(rows, row{m.Build, m.Mode, m.Time.UTC().Format(time.RFC3339), len(m.Inputs), m.Outputs, m.Tool})
						}
						return printJSON(c, rows)
					}
					if len(ms) == 0 {
						fmt.Fprintf(c.App.Writer, "no builds of %s in %s\n", c.Args().First(), repo.Store)
						return nil
					}
					t := newTable("BUILD", "MODE", "TIME", "INPUTS", "PAGES", "TOOL")
					for _, m := range ms {
						var files []string
						for _, o := range m.Outputs {
							if o.Pages > 0 {
								files = append(files, fmt.Sprintf("%s %dp", o.Lang, o.Pages))
							}
						}
						t.row(m.Build, m.Mode, m.Time.UTC().Format("2006-01-02 15:04:05Z"), fmt.Sprint(len(m.Inputs)), strings.Join(files, ", "), "aceo "+toolName(m.Tool))
					}
					return t.print(c.App.Writer)
				},
			},
			{
				Name:      "show",
				Usage:     "a build's manifest: inputs with revisions and hashes, outputs, timings",
				ArgsUsage: "BUILD_ID (or a unique prefix of it, or of its hash)",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the manifest as stored"}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("builds show needs a build id, for example: aceo builds show 20131115T093000Z-3f2a9c1b4d5e")
					}
					repo, err := openRepo(c)
					if err != nil {
						return err
					}
					defer repo.Store.Close()
					m, err := manifest.Read(c.Context, repo.Store, "", c.Args().First())
					if err != nil {
						return err
					}
					if c.Bool("json") {
						_, err := c.App.Writer.Write(m.JSON())
						return err
					}
					w := c.App.Writer
					fmt.Fprintf(w, "build %s of %s (%s), %s\n", safe(m.Build), safe(m.Publication), safe(m.Mode), m.Time.Format("2006-01-02 15:04:05Z"))
					if m.AsOf != "" {
						fmt.Fprintf(w, "as of %s\n", m.AsOf)
					}
					fmt.Fprintf(w, "tool: aceo %s, %s\n", toolName(m.Tool), m.Tool.GoVersion)
					fmt.Fprintf(w, "template: %s %s\n", m.Template.Name, m.Template.SHA256)
					if m.Register != nil {
						fmt.Fprintf(w, "register: %s %s\n", m.Register.Name, m.Register.SHA256)
					}
					fmt.Fprintf(w, "fonts: %d\n", len(m.Fonts))
					fmt.Fprintf(w, "\ninputs:\n")
					for _, in := range m.Inputs {
						what := in.Item
						if in.Lang != "" {
							what += " (" + in.Lang + ")"
						}
						rev := in.Rev
						if rev == "" {
							rev = "-"
						}
						fmt.Fprintf(w, "  %-12s %-28s %-30s %s\n", safe(in.Kind), safe(what), safe(rev), safe(in.SHA256))
					}
					fmt.Fprintf(w, "\noutputs:\n")
					for _, o := range m.Outputs {
						fmt.Fprintf(w, "  %-32s %9d bytes  %s\n", o.Name, o.Size, o.SHA256)
					}
					fmt.Fprintf(w, "\ntimings:\n")
					for _, t := range m.Timings {
						fmt.Fprintf(w, "  %-10s %8.1f ms\n", t.Stage, t.MS)
					}
					return nil
				},
			},
		},
	}
}

func toolName(t manifest.Tool) string {
	s := t.Version
	if t.Revision != "" {
		s += " " + t.Revision[:min(12, len(t.Revision))]
		if t.Modified {
			s += "+modified"
		}
	}
	return s
}
