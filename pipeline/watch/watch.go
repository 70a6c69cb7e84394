// Package watch rebuilds a publication's preview whenever its drafts
// change (aceo watch). On an S3 store, MinIO bucket notifications say
// quickly that something changed; on the local store, and on S3 every
// reconcile interval, the store is polled. Notifications are only hints:
// whether to rebuild is decided by listing what the build reads and
// comparing with the last build. Changes are debounced, so that an author
// submitting ten files causes one rebuild, and every rebuild reuses the
// fonts, parsed revisions and unchanged layouts of the previous ones.
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Watcher rebuilds the preview of one publication.
type Watcher struct {
	Repo     *drafts.Repo
	Pub      string
	Interval time.Duration // polling (local store) or reconciling (S3) period
	Debounce time.Duration // quiet time after a change before rebuilding
	Options  build.Options // Fonts and Cache are kept across rebuilds
	// Built is told of every rebuild: its result, or why it failed.
	Built func(res *build.Result, err error, took time.Duration)
	// Hint is told where each hint came from ("notification", "poll"), for
	// logs and tests.
	Hint func(source string)
}

// Run builds once, then rebuilds after every change until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Interval <= 0 {
		w.Interval = 2 * time.Second
	}
	if w.Debounce <= 0 {
		w.Debounce = 500 * time.Millisecond
	}
	if w.Options.Cache == nil {
		w.Options.Cache = build.NewCache()
	}
	hints := make(chan string, 16)
	if s3, ok := w.Repo.Store.(*store.S3); ok {
		go w.listen(ctx, s3, hints)
	}
	last := ""
	rebuild := func() {
		fp, err := w.fingerprint(ctx)
		if err != nil {
			w.report(nil, err, 0)
			return
		}
		if fp == last {
			return
		}
		last = fp
		start := time.Now()
		res, err := build.Run(ctx, build.Request{Repo: w.Repo, Pub: w.Pub, Preview: true, Options: w.Options})
		w.Options.Cache.Layout.Sweep()
		w.report(res, err, time.Since(start))
	}
	rebuild()
	tick := time.NewTicker(w.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			w.hint("poll")
		case src := <-hints:
			w.hint(src)
		}
		// debounce: wait until nothing more arrives for a while
		quiet := time.NewTimer(w.Debounce)
	wait:
		for {
			select {
			case <-ctx.Done():
				quiet.Stop()
				return nil
			case src := <-hints:
				w.hint(src)
				quiet.Reset(w.Debounce)
			case <-quiet.C:
				break wait
			}
		}
		rebuild()
	}
}

func (w *Watcher) hint(src string) {
	if w.Hint != nil {
		w.Hint(src)
	}
}

func (w *Watcher) report(res *build.Result, err error, took time.Duration) {
	if w.Built != nil {
		w.Built(res, err, took)
	}
}

// listen turns MinIO bucket notifications about the publication's drafts
// and definition, and about activity records, into hints; it reconnects
// while ctx lasts.
func (w *Watcher) listen(ctx context.Context, s3 *store.S3, hints chan<- string) {
	client, bucket, prefix := s3.Client()
	for ctx.Err() == nil {
		ch := client.ListenBucketNotification(ctx, bucket, prefix, "", []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"})
		for n := range ch {
			if n.Err != nil {
				break
			}
			for _, r := range n.Records {
				key := r.S3.Object.Key
				if k, err := url.QueryUnescape(key); err == nil {
					key = k // event keys are URL-encoded
				}
				if relevant(key, prefix, w.Pub) {
					select {
					case hints <- "notification":
					default: // a hint is already waiting
					}
				}
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second): // the server went away: try again
		}
	}
}

func relevant(key, prefix, pub string) bool {
	if len(key) < len(prefix) {
		return false
	}
	key = key[len(prefix):]
	if len(key) > 0 && key[0] == '/' {
		key = key[1:]
	}
	for _, p := range []string{"drafts/" + pub + "/", "config/" + pub + "/", activity.RecordsPrefix} {
		if len(key) >= len(p) && key[:len(p)] == p {
			return true
		}
	}
	return false
}

// fingerprint lists what a preview build of the publication reads: its
// definition, every draft revision, and the activity records.
func (w *Watcher) fingerprint(ctx context.Context) (string, error) {
	var lines []string
	for _, prefix := range []string{"config/" + w.Pub + "/publication.yaml", "drafts/" + w.Pub + "/", activity.RecordsPrefix} {
		err := store.ListAll(ctx, w.Repo.Store, prefix, func(in store.Info) error {
			lines = append(lines, fmt.Sprintf("%s %d %s %s", in.Key, in.Size, in.SHA256, in.ETag))
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("watch %s: %w", w.Pub, err)
		}
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
