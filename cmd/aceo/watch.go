package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/watch"
	"github.com/urfave/cli/v2"
)

// watchBuild is how watch builds (a test makes it fail as a bug would).
var watchBuild = build.Run

func watchCommand() *cli.Command {
	return &cli.Command{
		Name:      "watch",
		Usage:     "rebuild a publication's preview whenever its drafts change, until interrupted",
		ArgsUsage: "PUB",
		Description: "Builds the preview (latest revisions, marked DRAFT) into --out, then again\n" +
			"after every change to the publication's drafts, definition or activity\n" +
			"records. On MinIO bucket notifications say at once that something changed;\n" +
			"on SeaweedFS the filer's webhook does (notification.toml, --webhook-listen);\n" +
			"otherwise, and on the local store, the store is polled. Either way the\n" +
			"store is listed to decide, and changes are debounced. Rebuilds reuse the\n" +
			"fonts, the parsed drafts and the layout of unchanged chapters.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "directory to write the preview into"},
			&cli.DurationFlag{Name: "interval", Value: 2 * time.Second, Usage: "how often to poll the local store, or list an S3 store in case a notification was lost"},
			&cli.DurationFlag{Name: "debounce", Value: 500 * time.Millisecond, Usage: "quiet time after a change before rebuilding"},
			&cli.StringFlag{Name: "webhook-listen", Usage: "S3: receive change events at this host:port, from a MinIO webhook target or SeaweedFS's filer webhook"},
			&cli.StringFlag{Name: "webhook-arn", Value: "arn:minio:sqs::ACEO:webhook", Usage: "MinIO: the server's webhook target (MINIO_NOTIFY_WEBHOOK_ENDPOINT_ACEO=http://HOST:PORT/ on the server); not used on SeaweedFS, whose filer's notification.toml names the endpoint"},
			&cli.StringSliceFlag{Name: "lang", Usage: "build only these languages (en, zh)"},
			&cli.StringFlag{Name: "templates", EnvVars: []string{"ACEO_TEMPLATES"}, Usage: "directory of report templates, instead of the built-in ones"},
			&cli.StringSliceFlag{Name: "font-dir", EnvVars: []string{"ACEO_FONT_DIR"}, Usage: "directory to search for font files before the system's"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("watch needs a publication id, for example: aceo watch aceo-sample")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			opt := buildOptions(c)
			opt.Languages, opt.Cache = c.StringSlice("lang"), build.NewCache()
			out := c.String("out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("create output directory: %w", err)
			}
			var mu sync.Mutex // the callbacks write to the same streams
			w := &watch.Watcher{Repo: repo, Pub: c.Args().First(), Interval: c.Duration("interval"), Debounce: c.Duration("debounce"), Options: opt,
				WebhookListen: c.String("webhook-listen"), WebhookARN: c.String("webhook-arn"), Build: watchBuild}
			w.Built = func(res *build.Result, err error, took time.Duration) {
				mu.Lock()
				defer mu.Unlock()
				stamp := time.Now().Format("15:04:05")
				if err != nil && (res == nil || res.Outputs == nil) {
					fmt.Fprintf(c.App.ErrWriter, "%s  build failed: %s\n", stamp, oneLine(err))
					return
				}
				var parts []string
				for _, f := range res.Files {
					if err := writeFileAtomic(filepath.Join(out, f.Name), f.Data); err != nil {
						fmt.Fprintf(c.App.ErrWriter, "%s  %v\n", stamp, err)
						return
					}
					if f.Lang != "" {
						parts = append(parts, fmt.Sprintf("%s %d pages", f.Lang, f.Pages))
					}
				}
				if err := writeFileAtomic(filepath.Join(out, manifest.Name), res.Manifest.JSON()); err != nil {
					fmt.Fprintf(c.App.ErrWriter, "%s  %v\n", stamp, err)
					return
				}
				fmt.Fprintf(c.App.Writer, "%s  rebuilt %s in %d ms: %s; preflight %d errors, %d warnings\n", stamp, res.Sources.Pub.ID,
					took.Milliseconds(), strings.Join(parts, ", "), len(res.Report.Errors), len(res.Report.Warnings))
			}
			w.Hint = func(src string) {
				if src == "notification" || src == "webhook" {
					mu.Lock()
					fmt.Fprintf(c.App.ErrWriter, "%s  change notified\n", time.Now().Format("15:04:05"))
					mu.Unlock()
				}
			}
			if _, err := repo.Publication(c.Context, w.Pub); err != nil {
				return err // an invalid id, or no such publication: nothing to watch
			}
			fmt.Fprintf(c.App.ErrWriter, "watching %s in %s; Ctrl-C stops\n", w.Pub, repo.Store)
			return w.Run(c.Context)
		},
	}
}
