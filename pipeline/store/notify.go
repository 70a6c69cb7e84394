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
	// WebhookListen and WebhookARN, on an S3 store, also receive the
	// events a webhook posts, accepted at WebhookListen (host:port). On
	// MinIO the bucket is subscribed to WebhookARN
	// (arn:minio:sqs::ID:webhook, configured on the server with
	// MINIO_NOTIFY_WEBHOOK_*_ID); on SeaweedFS the filer posts to the
	// endpoint its notification.toml names ([notification.webhook]),
	// and WebhookARN is not used.
	WebhookListen, WebhookARN string
}

// Notifier is the capability of stores that tell of changes: Changes
// sends a Change for objects created or removed under any of prefixes,
// until ctx ends. Changes are hints, never lost work: a reader decides by
// listing. The S3 store listens to MinIO's bucket notifications (and a
// webhook when asked: MinIO's target or SeaweedFS's filer); the directory
// store polls. Where the server tells nothing, the caller's own listing
// (aceo watch lists the store every interval) is the fallback.
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

// Changes, on S3, listens to the bucket's notifications (MinIO's listen
// API, reconnecting when the server goes away; other servers have none) and,
// with opt.WebhookListen, serves a webhook's events.
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
	if p := s.Product(ctx); p != "" && !strings.EqualFold(p, "MinIO") {
		// the listen API is MinIO's own: elsewhere (SeaweedFS, AWS) the
		// webhook, if configured, and the caller's listing are all there is
		return ch, nil
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
	if !s.IsSeaweedFS(ctx) { // SeaweedFS's filer is subscribed in its notification.toml
		if err := s.subscribe(ctx, opt); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", opt.WebhookListen)
	if err != nil {
		return fmt.Errorf("--webhook-listen %s: %w", opt.WebhookListen, err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		for _, key := range s.eventKeys(body) {
			if key, ok := rel(key); ok {
				send(ch, Change{Key: key, Source: "webhook"})
			}
		}
		rw.WriteHeader(http.StatusOK) // the servers retry anything else
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

// eventKeys are the object keys (with the store's prefix, URL-encoded as
// S3 events are) of a webhook's event: a MinIO bucket notification
// ({"Records": [...]}) or a SeaweedFS filer event ({"key":
// "/buckets/BUCKET/KEY", "event_type": ...}); events of other buckets,
// and of the filer's directories, give none.
func (s *S3) eventKeys(body []byte) []string {
	type entry struct {
		IsDirectory bool `json:"is_directory"`
	}
	var ev struct {
		notification.Info
		Key     string `json:"key"`
		Message struct {
			Old *entry `json:"old_entry"`
			New *entry `json:"new_entry"`
		} `json:"message"`
	}
	if json.Unmarshal(body, &ev) != nil {
		return nil
	}
	var keys []string
	for _, rec := range ev.Records {
		keys = append(keys, rec.S3.Object.Key)
	}
	dir := ev.Message.New != nil && ev.Message.New.IsDirectory || ev.Message.Old != nil && ev.Message.Old.IsDirectory
	if ev.Key != "" && !dir { // the filer's directories are not objects
		if _, key, ok := strings.Cut(ev.Key, "/"+s.bucket+"/"); ok && strings.HasPrefix(ev.Key, "/") {
			keys = append(keys, url.QueryEscape(key))
		}
	}
	return keys
}

// subscribe subscribes the bucket to a MinIO webhook target.
func (s *S3) subscribe(ctx context.Context, opt NotifyOptions) error {
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
