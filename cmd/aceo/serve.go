package main

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/guide"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/portal"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/templates"
	"github.com/urfave/cli/v2"
)

// inviteKey reads the key that signs upload links: $ACEO_INVITE_KEY or
// the file --invite-key-file names; nil when neither is set.
func inviteKey(c *cli.Context) ([]byte, error) {
	var key string
	if f := c.String("invite-key-file"); f != "" {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read the invitation key: %w", err)
		}
		key = strings.TrimSpace(string(data))
	} else {
		key = strings.TrimSpace(os.Getenv("ACEO_INVITE_KEY"))
	}
	if key == "" {
		return nil, nil
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("the invitation key has %d characters; use at least 32, e.g. the output of: openssl rand -hex 32", len(key))
	}
	return []byte(key), nil
}

func inviteKeyFlag() cli.Flag {
	return &cli.StringFlag{Name: "invite-key-file", Usage: "file holding the secret that signs upload links (default: $ACEO_INVITE_KEY)"}
}

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the public catalogue: published reports and data in English and Chinese, and the upload page of invited authors",
		Description: "The public pages read published/ only: the store may be opened with read-only or\n" +
			"anonymous credentials (s3://...&anonymous=true). Upload links (aceo invite) work\n" +
			"when the invitation key is set; drafts then go to --upload-store (default: --store),\n" +
			"whose credentials must be allowed to add drafts. Ctrl-C stops it gracefully.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "address to listen on"},
			&cli.IntFlag{Name: "max-conns", Usage: "connections served at once; past it, new ones wait (default: a third of the open-file limit, 64 to 4096)"},
			&cli.IntFlag{Name: "max-conns-per-address", Value: portal.DefaultMaxConnsPerAddr, Usage: "connections one client address may hold; its next ones are closed (behind a proxy, raise it)"},
			&cli.StringFlag{Name: "public-url", EnvVars: []string{"ACEO_PUBLIC_URL"}, Usage: "the catalogue's address as the public reaches it (https://...), for the feed's absolute links; default: relative links"},
			&cli.DurationFlag{Name: "refresh", Value: 10 * time.Second, Usage: "how often to check the catalogue for new releases"},
			&cli.DurationFlag{Name: "presign", Usage: "on S3 stores, answer downloads with a redirect to a URL of the store valid this long (e.g. 5m) instead of streaming them"},
			&cli.StringFlag{Name: "access-log", Value: "-", Usage: "file to log requests to (- for stderr, empty for none)"},
			&cli.StringFlag{Name: "upload-store", Usage: "store that uploaded drafts go to (default: --store)"},
			&cli.StringFlag{Name: "templates", Usage: "directory of templates to use instead of the built-in ones (holding portal/)"},
			inviteKeyFlag(),
		},
		Action: func(c *cli.Context) error {
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			var tfs fs.FS = templates.FS
			if d := c.String("templates"); d != "" {
				tfs = os.DirFS(d)
			}
			key, err := inviteKey(c)
			if err != nil {
				return err
			}
			cfg := portal.Config{Store: repo.Store, Templates: tfs, Refresh: c.Duration("refresh"), Presign: c.Duration("presign"), InviteKey: key, PublicURL: c.String("public-url"),
				MaxConns: c.Int("max-conns"), MaxConnsPerAddr: c.Int("max-conns-per-address")}
			if cfg.Guide, err = guide.HTML(); err != nil {
				return err
			}
			if cfg.Presign > 0 {
				if _, ok := repo.Store.(store.Presigner); !ok {
					return fmt.Errorf("--presign needs an S3 store; %s serves downloads itself", repo.Store)
				}
			}
			if key != nil {
				cfg.Uploads = intake.Desk{Repo: repo}
				if u := c.String("upload-store"); u != "" {
					s, err := store.Open(c.Context, u)
					if err != nil {
						return err
					}
					cfg.Uploads = intake.Desk{Repo: build.UseVerdict(&drafts.Repo{Store: s}, buildOptions(c))}
				}
			}
			switch p := c.String("access-log"); p {
			case "":
			case "-":
				cfg.AccessLog = c.App.ErrWriter
			default:
				f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
				if err != nil {
					return fmt.Errorf("access log: %w", err)
				}
				defer f.Close()
				cfg.AccessLog = f
			}
			srv, err := portal.New(c.Context, cfg)
			if err != nil {
				return err
			}
			uploads := "off (no invitation key)"
			if key != nil {
				uploads = "on, to " + cfg.Uploads.Repository().Store.String()
			}
			return srv.ListenAndServe(c.Context, c.String("listen"), 30*time.Second, func(a net.Addr) {
				fmt.Fprintf(c.App.ErrWriter, "serving %s on http://%s/ (uploads %s); Ctrl-C stops\n", repo.Store, a, uploads)
			})
		},
	}
}

// parseExpiry reads a duration that may be given in days ("7d").
func parseExpiry(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--expires %q: give days as 7d, or hours as 12h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: give days as 7d, or hours as 12h", s)
	}
	return d, nil
}

func inviteCommand() *cli.Command {
	return &cli.Command{
		Name:      "invite",
		Usage:     "make an upload link for one author: one chapter in one language, a dataset or a figure (editors)",
		ArgsUsage: "PUB",
		Description: "The link is signed with the invitation key ($ACEO_INVITE_KEY), the same that\n" +
			"aceo serve holds. It grants nothing beyond its item, language and expiry.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "chapter", Usage: "chapter id"},
			&cli.StringFlag{Name: "lang", Usage: "language of the chapter: en or zh"},
			&cli.StringFlag{Name: "dataset", Usage: "dataset name"},
			&cli.StringFlag{Name: "figure", Usage: "figure name"},
			&cli.StringFlag{Name: "author", Required: true, Usage: "the author's name, recorded with each revision"},
			&cli.StringFlag{Name: "expires", Value: "7d", Usage: "how long the link works: 7d, 36h..."},
			&cli.StringFlag{Name: "base-url", Value: "http://127.0.0.1:8080", EnvVars: []string{"ACEO_PORTAL_URL"}, Usage: "where aceo serve is reached"},
			inviteKeyFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("usage: aceo invite PUB --chapter ID --lang zh --author NAME [--expires 7d]")
			}
			key, err := inviteKey(c)
			if err != nil {
				return err
			}
			if key == nil {
				return fmt.Errorf("no invitation key: set ACEO_INVITE_KEY (at least 32 characters, e.g. from: openssl rand -hex 32) to the secret aceo serve holds")
			}
			ttl, err := parseExpiry(c.String("expires"))
			if err != nil {
				return err
			}
			inv := portal.Invite{Pub: c.Args().First(), Author: c.String("author"), Expires: time.Now().Add(ttl), Lang: c.String("lang")}
			n := 0
			for _, k := range []string{"chapter", "dataset", "figure"} {
				if v := c.String(k); v != "" {
					inv.Kind, inv.Item = k, v
					n++
				}
			}
			if n != 1 {
				return fmt.Errorf("name exactly one of --chapter, --dataset or --figure")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			pub, err := repo.Publication(c.Context, inv.Pub)
			if err != nil {
				return err
			}
			if inv.Kind == portal.InviteChapter {
				if !slices.Contains(pub.Chapters, inv.Item) {
					return fmt.Errorf("publication %s has no chapter %q; use one of: %s", pub.ID, inv.Item, strings.Join(pub.Chapters, ", "))
				}
				if !slices.Contains(pub.Languages, inv.Lang) {
					return fmt.Errorf("chapter invitations need --lang, one of: %s", strings.Join(pub.Languages, ", "))
				}
			}
			token, err := portal.SignInvite(key, inv)
			if err != nil {
				return err
			}
			ui := "en"
			if inv.Lang == "zh" {
				ui = "zh"
			}
			fmt.Fprintln(c.App.Writer, portal.InviteURL(c.String("base-url"), ui, token))
			fmt.Fprintf(c.App.ErrWriter, "valid until %s for %s %s%s of %s\n", inv.Expires.UTC().Format(time.RFC3339), inv.Kind, inv.Item, langNote(inv.Lang), inv.Pub)
			return nil
		},
	}
}

func langNote(l string) string {
	if l == "" {
		return ""
	}
	return " (" + l + ")"
}
