package drafts_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/minio/minio-go/v7"
)

const concurrent = 200

// benchDraft is a 20 KB chapter draft for chapter c.
func benchDraft(c, n int) []byte {
	head := fmt.Sprintf("---\npublication: bench\nchapter: c%03d\nlang: en\ntitle: Chapter %d\nauthors:\n  - Author %d\n---\n", c, c, c)
	var b strings.Builder
	b.WriteString(head)
	fmt.Fprintf(&b, "# Section\n\nSubmission %d. ", n)
	for b.Len() < 20<<10 {
		b.WriteString("Regional cooperation on the environment depends on shared data and trusted institutions. ")
	}
	return []byte(b.String())
}

// run200 runs fn 200 times at once and returns the latencies.
func run200(b *testing.B, fn func(i int) error) []time.Duration {
	lat := make([]time.Duration, concurrent)
	var wg sync.WaitGroup
	errs := make(chan error, concurrent)
	for i := 0; i < concurrent; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t := time.Now()
			if err := fn(i); err != nil {
				errs <- err
			}
			lat[i] = time.Since(t)
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return lat
}

func report(b *testing.B, all []time.Duration, elapsed time.Duration) {
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "submissions/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkSubmit200 sends 200 concurrent 20 KB chapter submissions to
// MinIO on loopback, through aceo's checks and bookkeeping and, for
// comparison, as plain minio-go PutObject calls of the same bytes.
func BenchmarkSubmit200(b *testing.B) {
	srv := miniotest.Shared(b)
	ctx := context.Background()
	b.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	b.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	bucket := srv.NewBucket(b)
	s, err := store.Open(ctx, srv.URL(bucket, ""))
	if err != nil {
		b.Fatal(err)
	}
	r := &drafts.Repo{Store: s}
	var chapters []string
	for c := 0; c < concurrent; c++ {
		chapters = append(chapters, fmt.Sprintf("c%03d", c))
	}
	pub := "id: bench\nkind: policy-study\nyear: 2013\ndate: \"2013-01-01\"\ntitle: {en: Bench, zh: 基准}\nchapters: [" + strings.Join(chapters, ", ") + "]\n"
	if _, err := r.PushPublication(ctx, "publication.yaml", []byte(pub)); err != nil {
		b.Fatal(err)
	}
	round := 0
	b.Run("aceo", func(b *testing.B) {
		var all []time.Duration
		start := time.Now()
		for i := 0; i < b.N; i++ {
			round++
			all = append(all, run200(b, func(c int) error {
				res, err := intake.SubmitChapter(ctx, r, "draft.md", benchDraft(c, round), "")
				if err == nil && res.Duplicate {
					err = fmt.Errorf("duplicate")
				}
				return err
			})...)
		}
		report(b, all, time.Since(start))
	})
	client := srv.Client()
	b.Run("putobject", func(b *testing.B) {
		var all []time.Duration
		start := time.Now()
		for i := 0; i < b.N; i++ {
			round++
			all = append(all, run200(b, func(c int) error {
				data := benchDraft(c, round)
				_, err := client.PutObject(ctx, bucket, fmt.Sprintf("plain/c%03d/%d.md", c, round), bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
				return err
			})...)
		}
		report(b, all, time.Since(start))
	})
}

// BenchmarkPutCreateOnly200 is the plain PutObject of BenchmarkSubmit200
// with If-None-Match: *, to see what the conditional write costs alone.
func BenchmarkPutCreateOnly200(b *testing.B) {
	srv := miniotest.Shared(b)
	ctx := context.Background()
	bucket := srv.NewBucket(b)
	client := srv.Client()
	round := 0
	var all []time.Duration
	start := time.Now()
	for i := 0; i < b.N; i++ {
		round++
		all = append(all, run200(b, func(c int) error {
			data := benchDraft(c, round)
			opt := minio.PutObjectOptions{DisableMultipart: true}
			opt.SetMatchETagExcept("*")
			_, err := client.PutObject(ctx, bucket, fmt.Sprintf("plain/c%03d/%d.md", c, round), bytes.NewReader(data), int64(len(data)), opt)
			return err
		})...)
	}
	report(b, all, time.Since(start))
}
