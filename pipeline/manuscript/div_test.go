package manuscript

import (
	"strings"
	"testing"
)

// TestBoxes: fenced divs make case study boxes (numbered per chapter,
// with a label @box: refers to) and key messages (unnumbered); divs nest;
// a bare fence closes the innermost; an unclosed div, an unknown class, a
// box without a title and unreadable attributes are errors at their line.
func TestBoxes(t *testing.T) {
	src := citeDraft(`::: {.key-messages}
- One.
- Two.
:::

# Section

::: {.box #box:mekong title="Mekong fisheries"}
Fish feed millions.

::: {.box title="Inner"}
Nested.
:::

See @box:mekong.
:::

After the box.
`)
	ch, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	km, ok := ch.Blocks[0].(*Box)
	if !ok || km.Kind != BoxKeyMessages || len(km.Blocks) != 1 {
		t.Fatalf("key messages: %#v", ch.Blocks[0])
	}
	b, ok := ch.Blocks[2].(*Box)
	if !ok || b.Kind != BoxCase || b.Label != "box:mekong" || b.Title != "Mekong fisheries" || b.SrcLine != 15 || len(b.Blocks) != 3 {
		t.Fatalf("box: %#v", ch.Blocks[2])
	}
	if inner, ok := b.Blocks[1].(*Box); !ok || inner.Title != "Inner" {
		t.Fatalf("nested box: %#v", b.Blocks[1])
	}
	if p, ok := ch.Blocks[3].(*Paragraph); !ok || PlainText(p.Content) != "After the box." {
		t.Fatalf("after the box: %#v", ch.Blocks[3])
	}
	if _, err := Number([]*Chapter{ch}, func(kind, n string) string { return kind + " " + n }); err != nil {
		t.Fatal(err)
	}
	if b.Number != "1.1" || b.Blocks[1].(*Box).Number != "1.2" || km.Number != "" {
		t.Errorf("numbers %q %q %q", b.Number, b.Blocks[1].(*Box).Number, km.Number)
	}
	if got := PlainText(b.Blocks[2].(*Paragraph).Content); got != "See box 1.1." {
		t.Errorf("@box:mekong: %q", got)
	}

	for _, c := range []struct{ body, want string }{
		{"::: {.box title=\"T\"}\nNever closed.\n", "x.md:8: this ::: div is never closed"},
		{"::: {.sidebar}\nX\n:::\n", `x.md:8: a div of class "sidebar", which aceo does not know`},
		{"::: {.box}\nX\n:::\n", "x.md:8: a box without a title"},
		{"::: {.box title=\"T\" =}\nX\n:::\n", "x.md:8: cannot read the div's attributes"},
		{"::: {.box #fig:x title=\"T\"}\nX\n:::\n", `x.md:8: box label "fig:x" is not a box label`},
	} {
		_, err := Parse("x.md", []byte(citeDraft(c.body)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.body, err, c.want)
		}
	}
}
