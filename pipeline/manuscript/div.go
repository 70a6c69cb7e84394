package manuscript

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// divNode is a pandoc fenced div: ::: {.box #box:mekong title="..."} on a
// line of its own, blocks, and ::: to close it. Divs nest; a bare fence
// closes the innermost.
type divNode struct {
	ast.BaseBlock
	Classes []string
	ID      string
	Attrs   map[string]string
	Bad     string // an opening line whose attributes cannot be read
	closed  bool
}

// kindDiv is the node kind of fenced divs.
var kindDiv = ast.NewNodeKind("FencedDiv")

func (n *divNode) Kind() ast.NodeKind { return kindDiv }

func (n *divNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

var (
	divOpenRE  = regexp.MustCompile(`^ {0,3}:{3,}[ \t]*(\{[^}]*\}|[A-Za-z][\w-]*)[ \t]*:*[ \t]*$`)
	divCloseRE = regexp.MustCompile(`^ {0,3}:{3,}[ \t]*$`)
	// attributes: .class, #id, key="value" or key=value
	divAttrRE = regexp.MustCompile(`\s*(?:\.([\w-]+)|#([\w:.-]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+)))`)
)

// parseDivAttrs reads {.box #box:x title="..."} or a bare class name; ok
// is false when something in the braces is not an attribute.
func parseDivAttrs(s string, n *divNode) bool {
	n.Attrs = map[string]string{}
	if !strings.HasPrefix(s, "{") {
		n.Classes = []string{s}
		return true
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	for strings.TrimSpace(inner) != "" {
		m := divAttrRE.FindStringSubmatchIndex(inner)
		if m == nil || m[0] != 0 {
			return false
		}
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return inner[m[2*i]:m[2*i+1]]
		}
		switch {
		case g(1) != "":
			n.Classes = append(n.Classes, g(1))
		case g(2) != "":
			n.ID = g(2)
		default:
			n.Attrs[g(3)] = g(4) + g(5) + g(6)
		}
		inner = inner[m[1]:]
	}
	return true
}

// divKey keeps, in the parser's context, the divs open, innermost last.
var divKey = gparser.NewContextKey()

// divParser parses fenced divs.
type divParser struct{}

func (divParser) Trigger() []byte { return []byte{':'} }

func (divParser) Open(parent ast.Node, reader text.Reader, pc gparser.Context) (ast.Node, gparser.State) {
	line, seg := reader.PeekLine()
	m := divOpenRE.FindSubmatch(bytes.TrimRight(line, "\r\n"))
	if m == nil {
		return nil, gparser.NoChildren
	}
	n := &divNode{}
	if !parseDivAttrs(string(m[1]), n) {
		n.Bad = string(m[1])
	}
	n.SetPos(seg.Start)
	open, _ := pc.Get(divKey).([]*divNode)
	pc.Set(divKey, append(open, n))
	reader.AdvanceToEOL()
	return n, gparser.HasChildren
}

func (divParser) Continue(node ast.Node, reader text.Reader, pc gparser.Context) gparser.State {
	line, _ := reader.PeekLine()
	open, _ := pc.Get(divKey).([]*divNode)
	if divCloseRE.Match(bytes.TrimRight(line, "\r\n")) && len(open) > 0 && open[len(open)-1] == node {
		pc.Set(divKey, open[:len(open)-1])
		node.(*divNode).closed = true
		reader.AdvanceToEOL()
		return gparser.Close
	}
	return gparser.Continue | gparser.HasChildren
}

func (divParser) Close(node ast.Node, reader text.Reader, pc gparser.Context) {
	// a div the end of its container closed: off the stack too
	open, _ := pc.Get(divKey).([]*divNode)
	for i := len(open) - 1; i >= 0; i-- {
		if open[i] == node {
			pc.Set(divKey, append(open[:i:i], open[i+1:]...))
			break
		}
	}
}

func (divParser) CanInterruptParagraph() bool { return true }

func (divParser) CanAcceptIndentedLine() bool { return false }

// div converts a fenced div: a case study box or the key messages.
func (p *parser) div(n *divNode, at At, ch *Chapter) Block {
	b := &Box{At: at, Blocks: p.blocks(n, ch), Title: strings.TrimSpace(n.Attrs["title"]), Label: n.ID}
	switch {
	case n.Bad != "":
		p.errorf(at.SrcLine, `write ::: {.box #box:name title="..."}, or ::: {.key-messages}`, "cannot read the div's attributes %s", n.Bad)
		return b
	case !n.closed:
		p.errorf(at.SrcLine, "end it with a line of three colons: :::", "this ::: div is never closed")
	}
	classes := strings.Join(n.Classes, " ")
	switch {
	case strings.Contains(" "+classes+" ", " box "):
		b.Kind = BoxCase
		if b.Title == "" {
			p.errorf(at.SrcLine, `give it a title: ::: {.box #box:name title="What it shows"}`, "a box without a title")
		}
		if b.Label != "" && !strings.HasPrefix(b.Label, "box:") {
			p.errorf(at.SrcLine, "label boxes with #box:name", "box label %q is not a box label", b.Label)
			b.Label = ""
		}
	case strings.Contains(" "+classes+" ", " key-messages "):
		b.Kind = BoxKeyMessages
		if b.Label != "" {
			p.errorf(at.SrcLine, "refer to the chapter instead: @sec:"+ch.Meta.Chapter, "the key messages cannot carry a label")
			b.Label = ""
		}
	default:
		p.errorf(at.SrcLine, `use ::: {.box #box:name title="..."} for a boxed case study, or ::: {.key-messages}`, "a div of class %q, which aceo does not know", classes)
	}
	return b
}
