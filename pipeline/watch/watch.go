// Package watch rebuilds a publication's preview whenever its drafts
// change (aceo watch). The store's Notifier (MinIO bucket notifications
// on S3, polling on the local store) says quickly that something changed,
// and every interval the store is listed in any case. Notifications are
// only hints:
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
	"sort"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/publication"
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
	// Hint is told where each hint came from ("notification", "webhook",
	// "poll"), for logs and tests.
	Hint func(source string)
	// WebhookListen and WebhookARN, on an S3 store, receive bucket
	// notifications from a MinIO webhook target (store.NotifyOptions).
	WebhookListen string
	WebhookARN    string
	// Build makes the preview (build.Run when nil).
	Build func(ctx context.Context, req build.Request) (*build.Result, error)
}

// build runs one build; a panic anywhere in it is reported as an internal
// error with the publication being built, and the watcher goes on.
func (w *Watcher) build(ctx context.Context) (res *build.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, diag.Recovered(r, "a preview build of publication "+w.Pub)
		}
	}()
	run := w.Build
	if run == nil {
		run = build.Run
	}
	return run(ctx, build.Request{Repo: w.Repo, Pub: w.Pub, Preview: true, Options: w.Options})
}

// Run builds once, then rebuilds after every change until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if !publication.ValidID(w.Pub) {
		return fmt.Errorf("publication id %q is not valid: use %s", w.Pub, publication.IDPattern)
	}
	if _, err := w.Repo.Publication(ctx, w.Pub); err != nil {
		return err // no such publication: nothing to watch
	}
	if w.Interval <= 0 {
		w.Interval = 2 * time.Second
	}
	if w.Debounce <= 0 {
		w.Debounce = 500 * time.Millisecond
	}
	if w.Options.Cache == nil {
		w.Options.Cache = build.NewCache()
	}
	// hints from the store (bucket notifications, a webhook target, or a
	// polling store); the tick below lists the store in any case, in case
	// a notification was lost
	var changes <-chan store.Change
	if n, ok := w.Repo.Store.(store.Notifier); ok {
		ch, err := n.Changes(ctx, []string{layout.ConfigDir(w.Pub), layout.DraftsDir(w.Pub), layout.ActivityRecords},
			store.NotifyOptions{Interval: w.Interval, WebhookListen: w.WebhookListen, WebhookARN: w.WebhookARN})
		if err != nil {
			return err
		}
		changes = ch
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
		// settle: an author's upload of several files is one change, so
		// wait until a listing a debounce later finds nothing new
		for i := 0; last != "" && i < 20; i++ {
			select {
			case <-ctx.Done():
				return
			case <-time.After(w.Debounce):
			}
			again, err := w.fingerprint(ctx)
			if err != nil {
				w.report(nil, err, 0)
				return
			}
			if again == fp {
				break
			}
			fp = again
		}
		last = fp
		start := time.Now()
		res, err := w.build(ctx)
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
		case c := <-changes:
			w.hint(c.Source)
		}
		// debounce: wait until nothing more arrives for a while
		quiet := time.NewTimer(w.Debounce)
	wait:
		for {
			select {
			case <-ctx.Done():
				quiet.Stop()
				return nil
			case c := <-changes:
				w.hint(c.Source)
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
// fingerprint lists what a preview build of the publication reads: its
// definition, every draft revision, and the activity records.
func (w *Watcher) fingerprint(ctx context.Context) (string, error) {
	var lines []string
	for _, prefix := range []string{layout.ConfigKey(w.Pub), layout.DraftsDir(w.Pub), layout.ActivityRecords} {
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
