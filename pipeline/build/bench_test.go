package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/synth"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// BenchmarkSynthetic40 builds both editions of the 40-chapter synthetic
// publication (about 130 pages each) from parsed sources, as one process
// does after reading the drafts. Fonts are loaded once, as in `aceo watch`.
func BenchmarkSynthetic40(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		b.Fatal(err)
	}
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := Load(dir, Options{Templates: templates.FS, Fonts: fonts})
		if err != nil {
			b.Fatal(err)
		}
		outs, err := Build(src, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(outs[0].Pages), "pages-en")
			b.ReportMetric(float64(outs[1].Pages), "pages-zh")
			// the size target: bytes per page (pandoc+xelatex: about 3,000)
			b.ReportMetric(float64(len(outs[0].PDF))/float64(outs[0].Pages), "B/page-en")
			b.ReportMetric(float64(len(outs[1].PDF))/float64(outs[1].Pages), "B/page-zh")
		}
	}
}

// BenchmarkSynthetic40Cold includes loading the fonts from disk.
func BenchmarkSynthetic40Cold(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := Load(dir, Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSynthetic40Edition builds one edition at a time, to see which
// one bounds the wall time of the parallel build.
func BenchmarkSynthetic40Edition(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		b.Fatal(err)
	}
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	src, err := Load(dir, Options{Templates: templates.FS, Fonts: fonts})
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		b.Run(lang, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Build(src, Options{Languages: []string{lang}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// submitDir puts a publication directory into store s as authors would
// (definition, figures, datasets, drafts; records of the sample tracker
// when the publication has appendices) and returns the repository.
func submitDir(b testing.TB, s store.Store, dir string) *drafts.Repo {
	b.Helper()
	r := &drafts.Repo{Store: s}
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join(dir, "publication.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	pub, err := r.PushPublication(ctx, "publication.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*.md"))
	for _, f := range append(files, more...) {
		data, _ := os.ReadFile(f)
		if _, err := intake.SubmitChapter(ctx, r, f, data, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	figs, _ := filepath.Glob(filepath.Join(dir, "figures", "*.png"))
	for _, f := range figs {
		data, _ := os.ReadFile(f)
		if _, err := intake.SubmitFigure(ctx, r, pub.ID, f, data, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	sets, _ := filepath.Glob(filepath.Join(dir, "..", "..", "datasets", pub.ID, "*"))
	for _, f := range sets {
		if strings.HasSuffix(f, ".indicators.csv") || strings.HasSuffix(f, ".md") {
			continue
		}
		data, _ := os.ReadFile(f)
		var dict []byte
		if strings.HasSuffix(f, ".csv") {
			dict, _ = os.ReadFile(strings.TrimSuffix(f, ".csv") + ".indicators.csv")
		}
		if _, _, err := intake.SubmitDataset(ctx, r, pub.ID, f, data, dict, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	if len(pub.Appendices) > 0 {
		reg, err := activity.LoadRegister(templates.FS, pub.Plan)
		if err != nil {
			b.Fatal(err)
		}
		file := filepath.Join("..", "..", "datasets", reg.ID, "tracker.xlsx")
		data, _ := os.ReadFile(file)
		recs, err := activity.ReadTracker(file, data, reg, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := (&activity.Log{Store: s}).Add(ctx, "bench", "tracker.xlsx", recs); err != nil {
			b.Fatal(err)
		}
	}
	return r
}

// storedSynth puts the 40-chapter synthetic publication into a local
// store, as authors would, and returns the repository.
func storedSynth(b *testing.B) (*drafts.Repo, string) {
	b.Helper()
	dir := b.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		b.Fatal(err)
	}
	s, err := store.OpenDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return submitDir(b, s, dir), dir
}

// BenchmarkCold is a cold build (fonts loaded from disk, every input read
// and parsed, preflight, both editions, the data annex, the manifest) of
// the sample Outlook and of the 40-chapter publication, from a directory,
// through the local store and through MinIO on loopback. Store builds
// store their outputs and manifest under builds/, as aceo build does.
// The store should add at most 20% to the directory build. minio is a
// builder's first build (every revision fetched); minio-cached a later
// cold process on the same builder, its revisions on disk. MinIO runs on
// the same two cores; server-ms/op is the processor time it spent.
func BenchmarkCold(b *testing.B) {
	synthDir := b.TempDir()
	if err := synth.Generate(synthDir, 40); err != nil {
		b.Fatal(err)
	}
	pubs := []struct{ name, dir, id string }{
		{"sample", filepath.Join("..", "..", "chapters", "aceo-sample"), "aceo-sample"},
		{"synth40", synthDir, "synthetic"},
	}
	for _, p := range pubs {
		b.Run(p.name+"/dir", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := Run(context.Background(), Request{Dir: p.dir, Preview: true,
					Options: Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())}})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, backend := range []string{"file", "minio", "minio-cached"} {
			b.Run(p.name+"/"+backend, func(b *testing.B) {
				var s store.Store
				var err error
				var revs *RevisionCache
				var srv *miniotest.Server
				if backend == "minio-cached" {
					// a builder that has built before: revisions on its disk
					revs = &RevisionCache{Dir: b.TempDir()}
				}
				if backend == "file" {
					s, err = store.OpenDir(b.TempDir())
				} else {
					srv = miniotest.Shared(b)
					b.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
					b.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
					s, err = store.Open(context.Background(), srv.URL(srv.NewBucket(b), ""))
				}
				if err != nil {
					b.Fatal(err)
				}
				r := submitDir(b, s, p.dir)
				var cpu0 time.Duration
				if srv != nil {
					if cpu0, err = srv.CPUTime(); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					repo := &drafts.Repo{Store: s, Now: func() time.Time { return time.Now().Add(time.Duration(i) * time.Second) }}
					_ = r
					_, err := Run(context.Background(), Request{Repo: repo, Pub: p.id, Preview: true, Keep: true,
						Options: Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs()), Revisions: revs}})
					if err != nil {
						b.Fatal(err)
					}
				}
				if srv != nil {
					// the server's own processor time, on the same cores as the build
					cpu, err := srv.CPUTime()
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64((cpu-cpu0).Milliseconds())/float64(b.N), "server-ms/op")
				}
			})
		}
	}
}

// BenchmarkStoreCold40 is a cold preview build of the 40-chapter
// publication through the local store: fonts loaded from disk, every
// draft read and parsed, preflight, both editions laid out and written,
// the manifest made (outputs not stored, as in the watch benchmark).
func BenchmarkStoreCold40(b *testing.B) {
	r, _ := storedSynth(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		repo := &drafts.Repo{Store: r.Store}
		_, err := Run(context.Background(), Request{Repo: repo, Pub: "synthetic", Preview: true,
			Options: Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWatchRebuild40 is what aceo watch does after an author submits
// a new revision of one English chapter of the 40-chapter publication:
// fonts, parsed drafts, the layout of the other chapters and the unchanged
// Chinese edition are reused. The target is at most half of
// BenchmarkStoreCold40.
func BenchmarkWatchRebuild40(b *testing.B) {
	r, dir := storedSynth(b)
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	cache := NewCache()
	opt := Options{Templates: templates.FS, Fonts: fonts, Cache: cache}
	ctx := context.Background()
	if _, err := Run(ctx, Request{Repo: r, Pub: "synthetic", Preview: true, Options: opt}); err != nil {
		b.Fatal(err)
	}
	en, _ := os.ReadFile(filepath.Join(dir, "ch17-en.md"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		changed := strings.Replace(string(en), "\n\n", fmt.Sprintf("\n\nRevision %d of this chapter adds a sentence, so that its pages change.\n\n", i), 1)
		if _, err := intake.SubmitChapter(ctx, r, "ch17-en.md", []byte(changed), "bench"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := Run(ctx, Request{Repo: r, Pub: "synthetic", Preview: true, Options: opt})
		if err != nil {
			b.Fatal(err)
		}
		cache.Layout.Sweep()
		if i == 0 {
			b.ReportMetric(float64(res.Outputs[0].Pages), "pages-en")
		}
	}
}

func TestMain(m *testing.M) { miniotest.Main(m) }
