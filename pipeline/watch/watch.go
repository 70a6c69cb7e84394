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
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/minio/minio-go/v7/pkg/notification"
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
	// notifications from a MinIO webhook target: the watcher subscribes
	// the bucket's drafts to the target WebhookARN (arn:minio:sqs::ID:webhook,
	// configured on the server with MINIO_NOTIFY_WEBHOOK_*_ID) and accepts
	// the events MinIO posts to WebhookListen (host:port).
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
	hints := make(chan string, 16)
	if s3, ok := w.Repo.Store.(*store.S3); ok {
		go w.listen(ctx, s3, hints)
		if w.WebhookListen != "" {
			stop, err := w.webhook(ctx, s3, hints)
			if err != nil {
				return err
			}
			defer stop()
		}
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
	key, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return false
	}
	key = strings.TrimPrefix(key, "/")
	for _, p := range []string{layout.DraftsDir(pub), layout.ConfigDir(pub), layout.ActivityRecords} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// webhook subscribes the bucket to the webhook target and serves the
// events MinIO posts; stop shuts the server down.
func (w *Watcher) webhook(ctx context.Context, s3 *store.S3, hints chan<- string) (func(), error) {
	client, bucket, prefix := s3.Client()
	arn, err := notification.NewArnFromString(w.WebhookARN)
	if err != nil {
		return nil, fmt.Errorf("--webhook-arn %q: %w (write arn:minio:sqs::ID:webhook)", w.WebhookARN, err)
	}
	cfg, err := client.GetBucketNotification(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("read the bucket's notifications: %w", err)
	}
	q := notification.NewConfig(arn)
	q.AddEvents(notification.ObjectCreatedAll, notification.ObjectRemovedAll)
	if prefix != "" {
		q.AddFilterPrefix(prefix)
	}
	if cfg.AddQueue(q) { // not subscribed yet
		if err := client.SetBucketNotification(ctx, bucket, cfg); err != nil {
			return nil, fmt.Errorf("subscribe %s to %s: %w (is the target configured on the server, and may these credentials set notifications?)", bucket, w.WebhookARN, err)
		}
	}
	ln, err := net.Listen("tcp", w.WebhookListen)
	if err != nil {
		return nil, fmt.Errorf("--webhook-listen %s: %w", w.WebhookListen, err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var ev notification.Info
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if json.Unmarshal(body, &ev) == nil {
			for _, rec := range ev.Records {
				key := rec.S3.Object.Key
				if k, err := url.QueryUnescape(key); err == nil {
					key = k
				}
				if relevant(key, prefix, w.Pub) {
					select {
					case hints <- "webhook":
					default:
					}
				}
			}
		}
		rw.WriteHeader(http.StatusOK) // MinIO retries anything else
	})}
	go srv.Serve(ln)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}

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
