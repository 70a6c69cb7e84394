package manuscript

import (
	"strings"
	"testing"
)

const limitsFront = "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n"

// TestLimits: drafts past a limit are refused with the limit named and
// the line, before they are parsed (the hostile inputs found by the
// security probe, each at a fraction of its size).
func TestLimits(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"nested quotes", strings.Repeat(">", 10000) + " deep\n", "x.md:8: quotes and lists nested 10000 deep, more than the 32 allowed"},
		{"nested lists", strings.Repeat("  ", 40) + "- item\n", "quotes and lists nested 41 deep"},
		{"footnotes", strings.Repeat("Text.[^n]\n\n", 5) + func() string {
			var b strings.Builder
			for i := 0; i < MaxFootnotes+5; i++ {
				b.WriteString("[^n" + itoa(i) + "]: note\n")
			}
			return b.String()
		}(), "more than 1000 footnotes"},
		{"headings", strings.Repeat("# H\n\n", MaxHeadings+1), "more than 1000 headings"},
		{"table cells", "| a | b |\n|---|---|\n" + strings.Repeat("| 1 | 2 |\n", MaxTableCells/2+1), "the chapter's tables hold more than 50000 cells"},
		{"long line", strings.Repeat("word ", MaxLineBytes/5+1) + "\n", "this line is 20005 bytes long, more than the 20000 allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.md", []byte(limitsFront+c.body))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	// a fenced block may hold what looks like quotes
	if _, err := Parse("x.md", []byte(limitsFront+"```\n"+strings.Repeat(">", 100)+"\n```\n")); err != nil {
		t.Fatalf("a fence: %v", err)
	}
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}

// TestMergeLinear: runs of text spans are joined in linear time and
// memory: the bytes allocated for four times the input grow about four
// times, not sixteen (string += made them quadratic; the probe's
// '*a **a ' x 80,000 took 79 s).
func TestMergeLinear(t *testing.T) {
	alloc := func(n int) float64 {
		src := []byte(limitsFront + strings.Repeat("*a **a ", n) + "\n")
		res := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Parse("x.md", src)
			}
		})
		return float64(res.AllocedBytesPerOp())
	}
	small, big := alloc(1000), alloc(4000)
	if ratio := big / small; ratio > 6 {
		t.Fatalf("4x the input allocates %.1fx the bytes: not linear", ratio)
	}
}
