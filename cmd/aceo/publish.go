package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/urfave/cli/v2"
)

func publishCommand() *cli.Command {
	return &cli.Command{
		Name:      "publish",
		Usage:     "release a build: copy its files to published/PUB/NAME/ and list it in the public catalogue (editors)",
		ArgsUsage: "PUB BUILD_ID (or a unique prefix of it, or of its hash)",
		Description: "Only release builds (from accepted revisions) are published, their files\n" +
			"checked against the build's manifest. A release name is never reused. Two\n" +
			"editors publishing at once both succeed: the catalogue is updated with\n" +
			"conditional writes and retried, so no release is lost.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "release", Required: true, Usage: "the release's name, e.g. 2013-first-edition"},
			&cli.StringFlag{Name: "label", Usage: "the release's name for readers, in English (e.g. \"Corrected edition\"); default: the release name"},
			&cli.StringFlag{Name: "label-zh", Usage: "the release's name for readers, in Chinese (e.g. \"修订版\")"},
			&cli.StringFlag{Name: "by", EnvVars: []string{"ACEO_USER", "USER"}, Usage: "who publishes"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return fmt.Errorf("publish needs a publication and a build id, for example: aceo publish aceo-sample 20131115T093000Z-3f2a9c1b4d5e --release 2013")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			rel, err := release.Publish(c.Context, repo, c.Args().Get(0), c.Args().Get(1), c.String("release"), texts(c, "label"), c.String("by"))
			if err != nil {
				return err
			}
			if rel.Already {
				fmt.Fprintf(c.App.Writer, "already released %s/%s (build %s, %s): %d files under %s; nothing to do\n", rel.Publication, rel.Name, rel.Build,
					rel.Released.Format("2006-01-02 15:04 MST"), len(rel.Files), release.Prefix(rel.Publication, rel.Name))
				return nil
			}
			fmt.Fprintf(c.App.Writer, "released %s/%s (build %s): %d files under %s\n", rel.Publication, rel.Name, rel.Build, len(rel.Files), release.Prefix(rel.Publication, rel.Name))
			for _, f := range rel.Files {
				fmt.Fprintf(c.App.Writer, "  %-32s %9d bytes  %s\n", f.Name, f.Size, f.SHA256)
			}
			return nil
		},
	}
}

func withdrawCommand() *cli.Command {
	return &cli.Command{
		Name:      "withdraw",
		Usage:     "mark a release withdrawn in the catalogue, with the reason; its files stay (editors)",
		ArgsUsage: "PUB RELEASE",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "reason", Required: true, Usage: "why it is withdrawn, in English; shown in the catalogue"},
			&cli.StringFlag{Name: "reason-zh", Usage: "why it is withdrawn, in Chinese; shown on the catalogue's Chinese pages"},
			&cli.StringFlag{Name: "by", EnvVars: []string{"ACEO_USER", "USER"}, Usage: "who withdraws it"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return fmt.Errorf("withdraw needs a publication and a release name, for example: aceo withdraw aceo-sample 2013 --reason \"superseded by the corrected edition\"")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			if err := release.Withdraw(c.Context, repo.Store, repo.Time(), c.Args().Get(0), c.Args().Get(1), texts(c, "reason"), c.String("by")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "withdrew %s/%s; its files stay under %s\n", c.Args().Get(0), c.Args().Get(1), release.Prefix(c.Args().Get(0), c.Args().Get(1)))
			return nil
		},
	}
}

func downloadCommand() *cli.Command {
	return &cli.Command{
		Name:      "download",
		Usage:     "fetch a release's files without credentials and check them against the catalogue",
		ArgsUsage: "PUB",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "release", Usage: "the release (default: the latest not withdrawn)"},
			&cli.StringSliceFlag{Name: "lang", Usage: "only these editions (en, zh); default: all, and the data annex"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: ".", Usage: "directory to write the files into"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("download needs a publication id, for example: aceo download aceo-sample")
			}
			pub := c.Args().First()
			if !publication.ValidID(pub) {
				return fmt.Errorf("publication id %q is not valid: use %s", pub, publication.IDPattern)
			}
			if name := c.String("release"); name != "" {
				if err := release.CheckNames(pub, name); err != nil {
					return err
				}
			}
			for _, l := range c.StringSlice("lang") {
				if l != "en" && l != "zh" {
					return fmt.Errorf("language %q is not one of the editions: use en or zh", l)
				}
			}
			s, err := openAnonymous(c)
			if err != nil {
				return err
			}
			defer s.Close()
			cat, _, err := release.ReadCatalog(c.Context, s)
			if err != nil {
				return err
			}
			var rel *release.Release
			if name := c.String("release"); name != "" {
				if rel = cat.Find(pub, name); rel == nil {
					return fmt.Errorf("no release %s/%s in the catalogue of %s", pub, name, s)
				}
				if rel.Withdrawn != nil {
					fmt.Fprintf(c.App.ErrWriter, "warning: release %s/%s was withdrawn on %s: %s\n", pub, name, rel.Withdrawn.Time.Format("2006-01-02"), rel.Withdrawn.Reason)
				}
			} else if rel = cat.Latest(pub); rel == nil {
				return fmt.Errorf("%s has no release in the catalogue of %s", pub, s)
			}
			langs := c.StringSlice("lang")
			if err := os.MkdirAll(c.String("out"), 0o755); err != nil {
				return fmt.Errorf("create output directory: %w", err)
			}
			n := 0
			for _, f := range rel.Files {
				switch {
				case f.Kind == "manifest", f.Kind == release.KindContents, f.Kind == release.KindIndex:
					continue // the build's record and the catalogue's own files
				case len(langs) > 0 && ((f.Kind != "pdf" && f.Kind != "summary") || !slices.Contains(langs, f.Lang)):
					continue
				}
				data, err := release.Fetch(c.Context, s, f)
				if err != nil {
					return err
				}
				p := filepath.Join(c.String("out"), f.Name)
				if err := writeFileAtomic(p, data); err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%s\t%d bytes\tSHA-256 %s checked\n", p, len(data), f.SHA256)
				n++
			}
			if n == 0 {
				return fmt.Errorf("release %s/%s has no file for %s", pub, rel.Name, strings.Join(langs, ", "))
			}
			return nil
		},
	}
}

// openAnonymous opens the store without credentials, as the public reads it.
func openAnonymous(c *cli.Context) (store.Store, error) {
	u, err := storeURL(c)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(u, "s3://") {
		pu, err := url.Parse(u)
		if err != nil {
			return nil, fmt.Errorf("store URL: %w", err)
		}
		q := pu.Query()
		q.Set("anonymous", "true")
		pu.RawQuery = q.Encode()
		u = pu.String()
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return store.Open(ctx, u)
}

// texts reads a flag given in English (--name) and Chinese (--name-zh).
func texts(c *cli.Context, name string) publication.Text {
	t := publication.Text{}
	if v := strings.TrimSpace(c.String(name)); v != "" {
		t["en"] = v
	}
	if v := strings.TrimSpace(c.String(name + "-zh")); v != "" {
		t["zh"] = v
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

func reindexCommand() *cli.Command {
	return &cli.Command{
		Name:      "reindex",
		Usage:     "give releases published before the catalogue's full-text search their contents files and search index (editors)",
		ArgsUsage: "[PUB [RELEASE]]",
		Description: "A release published by this aceo has both. For an older one the contents\n" +
			"are made by building its release build again from the inputs its manifest\n" +
			"names; they are used only if every PDF comes out byte-identical, so that\n" +
			"the search's page numbers are the released PDFs'. Without arguments, every\n" +
			"release in the catalogue that is not withdrawn; files already there are kept.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "font-dir", Usage: "look for fonts here first"},
			&cli.StringFlag{Name: "templates", Usage: "a template directory instead of the built-in templates"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 2 {
				return fmt.Errorf("reindex takes at most a publication and a release name, for example: aceo reindex aceo-sample 2013")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			cat, _, err := release.ReadCatalog(c.Context, repo.Store)
			if err != nil {
				return err
			}
			var todo []*release.Release
			for i := range cat.Releases {
				r := &cat.Releases[i]
				if (c.NArg() == 0 && r.Withdrawn == nil) || (c.Args().Get(0) == r.Publication && (c.NArg() == 1 || c.Args().Get(1) == r.Name)) {
					todo = append(todo, r)
				}
			}
			if len(todo) == 0 && c.NArg() > 0 {
				return fmt.Errorf("no release %s in the catalogue: check the publication id and release name (the catalogue lists them: aceo serve, or published/catalog.json)", strings.Join(c.Args().Slice(), "/"))
			}
			opt := buildOptions(c)
			rebuild := func(ctx context.Context, m *manifest.Manifest) ([]manifest.File, error) {
				return build.RebuildContents(ctx, repo, m, opt)
			}
			for _, r := range todo {
				added, err := release.Reindex(c.Context, repo, r.Publication, r.Name, rebuild)
				if err != nil {
					return err
				}
				if len(added) == 0 {
					fmt.Fprintf(c.App.Writer, "%s/%s: indexed already\n", r.Publication, r.Name)
					continue
				}
				fmt.Fprintf(c.App.Writer, "%s/%s: added", r.Publication, r.Name)
				for _, f := range added {
					fmt.Fprintf(c.App.Writer, " %s", f.Name)
				}
				fmt.Fprintln(c.App.Writer)
			}
			return nil
		},
	}
}
