package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/notification"
)

// Change is a hint that objects under watched prefixes changed: the key
// (relative to the store's root, "" when not known) and where the hint
// came from ("notification", "webhook", "poll").
type Change struct {
	Key    string
	Source string
}

// NotifyOptions configure Notifier.Changes.
type NotifyOptions struct {
	// Interval is how often a polling store lists the prefixes (default 2 s).
	Interval time.Duration
	// WebhookListen and WebhookARN, on a MinIO store, also receive the
	// bucket notifications a webhook target posts: the bucket is
	// subscribed to WebhookARN (arn:minio:sqs::ID:webhook, configured on
	// the server with MINIO_NOTIFY_WEBHOOK_*_ID), and the events are
	// accepted at WebhookListen (host:port).
	WebhookListen, WebhookARN string
}

// Notifier is the capability of stores that tell of changes: Changes
// sends a Change for objects created or removed under any of prefixes,
// until ctx ends. Changes are hints, never lost work: a reader decides by
// listing. The S3 store listens to the server's bucket notifications (and
// a webhook target when asked); the directory store polls.
type Notifier interface {
	Changes(ctx context.Context, prefixes []string, opt NotifyOptions) (<-chan Change, error)
}

var (
	_ Notifier = (*S3)(nil)
	_ Notifier = (*Dir)(nil)
)

// send offers a hint without blocking: one waiting hint is enough.
func send(ch chan<- Change, c Change) {
	select {
	case ch <- c:
	default:
	}
}

func under(key string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// Changes, on S3, listens to the bucket's notifications (reconnecting
// when the server goes away) and, with opt.WebhookListen, serves a
// webhook target's events.
func (s *S3) Changes(ctx context.Context, prefixes []string, opt NotifyOptions) (<-chan Change, error) {
	ch := make(chan Change, 16)
	rel := func(key string) (string, bool) {
		if k, err := url.QueryUnescape(key); err == nil {
			key = k // event keys are URL-encoded
		}
		key, ok := strings.CutPrefix(key, s.prefix)
		key = strings.TrimPrefix(key, "/")
		return key, ok && under(key, prefixes)
	}
	if opt.WebhookListen != "" {
		if err := s.webhook(ctx, opt, rel, ch); err != nil {
			return nil, err
		}
	}
	go func() {
		for ctx.Err() == nil {
			events := s.client.ListenBucketNotification(ctx, s.bucket, s.prefix, "", []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"})
			for n := range events {
				if n.Err != nil {
					break
				}
				for _, r := range n.Records {
					if key, ok := rel(r.S3.Object.Key); ok {
						send(ch, Change{Key: key, Source: "notification"})
					}
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second): // the server went away: try again
			}
		}
	}()
	return ch, nil
}

// webhook subscribes the bucket to the webhook target and serves the
// events it posts until ctx ends.
func (s *S3) webhook(ctx context.Context, opt NotifyOptions, rel func(string) (string, bool), ch chan<- Change) error {
	arn, err := notification.NewArnFromString(opt.WebhookARN)
	if err != nil {
		return fmt.Errorf("--webhook-arn %q: %w (write arn:minio:sqs::ID:webhook)", opt.WebhookARN, err)
	}
	cfg, err := s.client.GetBucketNotification(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("read the bucket's notifications: %w", err)
	}
	q := notification.NewConfig(arn)
	q.AddEvents(notification.ObjectCreatedAll, notification.ObjectRemovedAll)
	if s.prefix != "" {
		q.AddFilterPrefix(s.prefix)
	}
	if cfg.AddQueue(q) { // not subscribed yet
		if err := s.client.SetBucketNotification(ctx, s.bucket, cfg); err != nil {
			return fmt.Errorf("subscribe %s to %s: %w (is the target configured on the server, and may these credentials set notifications?)", s.bucket, opt.WebhookARN, err)
		}
	}
	ln, err := net.Listen("tcp", opt.WebhookListen)
	if err != nil {
		return fmt.Errorf("--webhook-listen %s: %w", opt.WebhookListen, err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var ev notification.Info
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if json.Unmarshal(body, &ev) == nil {
			for _, rec := range ev.Records {
				if key, ok := rel(rec.S3.Object.Key); ok {
					send(ch, Change{Key: key, Source: "webhook"})
				}
			}
		}
		rw.WriteHeader(http.StatusOK) // MinIO retries anything else
	})}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	return nil
}

// Changes, on a directory, lists the prefixes every opt.Interval and
// sends a Change when the listing differs from the last.
func (d *Dir) Changes(ctx context.Context, prefixes []string, opt NotifyOptions) (<-chan Change, error) {
	if opt.Interval <= 0 {
		opt.Interval = 2 * time.Second
	}
	ch := make(chan Change, 16)
	listing := func() string {
		var lines []string
		for _, p := range prefixes {
			ListAll(ctx, d, p, func(in Info) error {
				lines = append(lines, fmt.Sprintf("%s %d %s", in.Key, in.Size, in.SHA256))
				return nil
			})
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	last := listing()
	go func() {
		tick := time.NewTicker(opt.Interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if now := listing(); now != last {
				last = now
				send(ch, Change{Source: "poll"})
			}
		}
	}()
	return ch, nil
}
