package manuscript

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// The budget of one draft: what parsing may allocate and take, with room
// for a loaded fuzzing machine. A quadratic pass (string += in a loop,
// numbering by rescanning) blows it on inputs of a few hundred KB.
const (
	budgetBytesPerByte = 2000
	budgetBytes        = 64 << 20
	budgetTime         = 3 * time.Second
	budgetTimePerKB    = 20 * time.Millisecond
)

// FuzzParse: any draft gives a chapter or errors, never a panic; a
// chapter returned with errors has sound front matter, and every error
// names the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n# H {#sec:h}\n\nSee @sec:h and @eq:one.\n",
		"---\npublication: p\nchapter: c\nlang: english\n---\n| a |\n|---|\n| 1 |\n\nTable: Cap {#tbl:a}\n",
		"---\nchapter: c\n",
		"> | a |\n> |---|\n",
		"---\nlang: zh\ntitle: 标题\nauthors: [甲]\n---\n中文**强调。**接着[^1]\n\n[^1]: 注\n",
		"---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n```aceo-table\ndataset: d\n```\n\n![](figures/x.png){#fig:x}\n",
		"---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n[a]{.index} [b]{.index key=\"x!y\"} [*c*]{.index} [d]{.index key=\"\"}[^1]\n\n[^1]: [e]{.index}\n",
	} {
		f.Add(s)
	}
	f.Add(strings.Repeat("*a **a ", 20000))
	f.Add(strings.Repeat(">", 5000))
	f.Add(strings.Repeat("x[^1] ", 3000) + "\n\n[^1]: n\n")
	f.Fuzz(func(t *testing.T, src string) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ch, err := Parse("draft.md", []byte(src))
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > budgetBytes+budgetBytesPerByte*uint64(len(src)) {
			t.Fatalf("parsing %d bytes allocated %d bytes, over the budget", len(src), alloc)
		}
		if limit := budgetTime + time.Duration(len(src)/1024)*budgetTimePerKB; took > limit {
			t.Fatalf("parsing %d bytes took %v, over the budget of %v", len(src), took, limit)
		}
		if err == nil && ch == nil {
			t.Fatal("no chapter and no error")
		}
		if err != nil && !strings.Contains(err.Error(), "draft.md") {
			t.Fatalf("error does not name the file: %v", err)
		}
		if ch != nil && err != nil && (ch.Meta.Chapter == "" || ch.Meta.Lang == "") {
			t.Fatalf("a chapter with errors came back without its front matter: %+v", ch.Meta)
		}
		// Claims, which reads unparsable drafts, agrees with a parsed
		// front matter wherever it reads a value
		if c, l := Claims([]byte(src)); err == nil && (c != "" && c != ch.Meta.Chapter || l != "" && l != ch.Meta.Lang) {
			t.Fatalf("Claims says %q/%q, the front matter %q/%q", c, l, ch.Meta.Chapter, ch.Meta.Lang)
		}
	})
}
