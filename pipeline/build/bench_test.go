package build

import (
	"testing"

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
		src, err := LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		outs, err := Build(src, Options{Templates: templates.FS, Fonts: fonts})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(outs[0].Pages), "pages-en")
			b.ReportMetric(float64(outs[1].Pages), "pages-zh")
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
		src, err := LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(src, Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())}); err != nil {
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
	src, err := LoadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		b.Run(lang, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Build(src, Options{Templates: templates.FS, Fonts: fonts, Languages: []string{lang}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
