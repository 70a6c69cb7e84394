package manuscript

import (
	"fmt"
	"strings"
	"testing"
)

const benchFront = "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n"

// BenchmarkParseGrowth parses drafts at a quarter of a limit and at the
// limit: a linear pass takes about 4 times as long for the second, a
// quadratic one 16 times (the probe's 60,000 footnotes took 69 s).
func BenchmarkParseGrowth(b *testing.B) {
	footnotes := func(n int) string {
		var s strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&s, "Text[^%d].\n\n", i)
		}
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&s, "[^%d]: Note %d.\n", i, i)
		}
		return s.String()
	}
	headings := func(n int) string {
		var s strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&s, "## Heading %d {#sec:h%d}\n\nSee @sec:h%d.\n\n", i, i, (i*7)%n+1)
		}
		return s.String()
	}
	// the probe's '*a **a ' x 80,000, in lines of 1,000 (one paragraph)
	emphasis := func(n int) string { return strings.Repeat(strings.Repeat("*a **a ", 1000)+"\n", n/1000) }
	for _, c := range []struct {
		name string
		make func(int) string
		full int
	}{
		{"footnotes", footnotes, MaxFootnotes},
		{"headings", headings, MaxHeadings},
		{"emphasis", emphasis, 80000},
	} {
		for _, n := range []int{c.full / 4, c.full} {
			src := []byte(benchFront + c.make(n))
			b.Run(fmt.Sprintf("%s-%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				for i := 0; i < b.N; i++ {
					if _, err := Parse("d.md", src); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
