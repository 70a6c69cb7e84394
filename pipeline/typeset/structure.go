package typeset

import (
	"fmt"
	"strings"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
)

// The tagged PDF (PDF/UA): every item's content is a marked-content
// sequence of its structure element (its MCID on the page) or an
// artifact; the structure tree is built from the elements the pages
// carry, in the order their content first appears (reading order), under
// one Document element.

// structWriter collects a document's structure while its pages are
// written, then writes the tree.
type structWriter struct {
	spans map[*Item]*StructNode // the foreign-language span of an item, made once
	info  map[*StructNode]*structInfo
	roots []*StructNode   // elements without a parent, under Document
	pages [][]*StructNode // by page (from 0): the element of each MCID
	cur   *StructNode     // the open marked-content sequence's element (Artifact for an artifact), nil for none
	lang  string
	// links: the Link element of each link target within an element; its
	// text (the annotations' alternate description); the link annotations
	// in the order they were added, each page's count, and their
	// structure parent keys by (page, index on the page)
	links     map[linkKey]*StructNode
	linkText  map[*StructNode]*strings.Builder
	annots    []structAnnot
	pageLinks []int
	annotKey  map[[2]int]int
	annotObj  func(page, i int) int // the object number of an annotation
}

type linkKey struct {
	parent *StructNode
	target string
}

// structAnnot is a link annotation: link i (from 0) of page (from 1), in
// the Link element node.
type structAnnot struct {
	page, i int
	node    *StructNode
	target  string // where it goes: a URL, or "#" and a destination
}

// structInfo is an element's content and children, in order, and its
// object number once numbered.
type structInfo struct {
	kids []structKid
	obj  int
}

// structKid is a child element or a marked-content sequence (page, MCID).
type structKid struct {
	node       *StructNode
	page, mcid int
	annot      int // an annotation of page (its number in annots, from 1), in place of a MCID
}

func newStructWriter(pages int, lang string) *structWriter {
	return &structWriter{info: map[*StructNode]*structInfo{}, pages: make([][]*StructNode, pages), lang: lang, spans: map[*Item]*StructNode{},
		links: map[linkKey]*StructNode{}, linkText: map[*StructNode]*strings.Builder{}, pageLinks: make([]int, pages+1), annotKey: map[[2]int]int{}}
}

// attach adds n (and its ancestors) to the tree on first sight.
func (s *structWriter) attach(n *StructNode) *structInfo {
	if in, ok := s.info[n]; ok {
		return in
	}
	in := &structInfo{}
	s.info[n] = in
	if n.Parent != nil {
		p := s.attach(n.Parent)
		p.kids = append(p.kids, structKid{node: n})
	} else {
		s.roots = append(s.roots, n)
	}
	return in
}

// tagOf is the element an item's content belongs to: Artifact for page
// furniture (untagged items, and rules and fills outside figures); a
// Span with its language for a text in the other language of the
// edition (English words in the Chinese edition, Chinese in the English).
func (s *structWriter) tagOf(it *Item) *StructNode {
	t := it.Tag
	if t == nil {
		return Artifact
	}
	switch it.Kind {
	case RuleItem, RectItem, PolyItem, OutlineItem:
		if t.Role != "Figure" {
			return Artifact
		}
	case TextItem:
		if it.Link != "" && t != Artifact {
			ln := s.linkNode(t, it.Link)
			if lang := foreign(it, s.lang); lang != "" && ln.Lang == "" {
				ln.Lang = lang // a link in the other language says so, as a Span would
			}
			if b := s.linkText[ln]; b.Len() < 500 {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				if len(it.Parts) > 0 {
					b.WriteString(strings.Join(it.Parts, " ")) // Text is the first part then
				} else {
					b.WriteString(it.Text)
				}
			}
			return ln
		}
		if lang := foreign(it, s.lang); lang != "" && t != Artifact {
			sp := s.spans[it]
			if sp == nil {
				sp = &StructNode{Role: "Span", Parent: t, Lang: lang}
				s.spans[it] = sp
			}
			return sp
		}
	}
	return t
}

// linkNode is the Link element of target within element parent (nil or
// an artifact: under Document), made on first use.
func (s *structWriter) linkNode(parent *StructNode, target string) *StructNode {
	if parent == Artifact {
		parent = nil
	}
	k := linkKey{parent, target}
	ln := s.links[k]
	if ln == nil {
		ln = &StructNode{Role: "Link", Parent: parent}
		s.links[k] = ln
		s.linkText[ln] = &strings.Builder{}
	}
	return ln
}

// annot adds the link annotation of link item it, the next of page, to
// its Link element, with the element's text.
func (s *structWriter) annot(page int, it *Item) {
	target := it.URL
	if target == "" {
		target = "#" + it.Dest
	}
	ln := s.linkNode(it.Tag, target)
	in := s.attach(ln)
	i := s.pageLinks[page]
	s.pageLinks[page]++
	s.annots = append(s.annots, structAnnot{page: page, i: i, node: ln, target: target})
	s.annotKey[[2]int{page, i}] = len(s.annots) - 1
	in.kids = append(in.kids, structKid{page: page, annot: len(s.annots)})
}

// annotEntries are the entries of link i of page in a tagged document:
// its key in the parent tree, and its alternate description (the link's
// text, or where it goes).
func (s *structWriter) annotEntries(page, i int) string {
	k, ok := s.annotKey[[2]int{page, i}]
	if !ok {
		return ""
	}
	a := s.annots[k]
	text := strings.TrimSpace(s.linkText[a.node].String())
	if text == "" {
		text = strings.TrimPrefix(a.target, "#")
	}
	return fmt.Sprintf(" /StructParent %d /Contents %s", len(s.pages)+k, pdfString(text))
}

// foreign is the language of a text item when it is not the document's:
// "en" for a run of Latin words (two letters or more, no Chinese) in a
// Chinese document, "zh-Hans" for Chinese in an English one.
func foreign(it *Item, docLang string) string {
	text := it.Text
	if len(it.Parts) > 0 {
		text = strings.Join(it.Parts, " ")
	}
	latin, han := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case strings.HasPrefix(docLang, "zh") && han == 0 && latin >= 2:
		return "en"
	case docLang == "en" && han > 0:
		return "zh-Hans"
	}
	return ""
}

// mark switches the marked-content sequence to tag before an item of page
// (from 1) is drawn.
func (s *structWriter) mark(w *pdfWriter, page int, tag *StructNode) {
	if tag == s.cur {
		return
	}
	w.closeText() // a sequence holds whole text objects
	if s.cur != nil {
		w.pdf.RawWriteStr("EMC")
	}
	s.cur = tag
	if tag == Artifact {
		w.pdf.RawWriteStr("/Artifact BMC")
		return
	}
	mcid := len(s.pages[page-1])
	s.pages[page-1] = append(s.pages[page-1], tag)
	in := s.attach(tag)
	in.kids = append(in.kids, structKid{page: page, mcid: mcid})
	w.pdf.RawWriteStr(fmt.Sprintf("/%s <</MCID %d>> BDC", tag.Role, mcid))
}

// endPage closes the page's open text object and sequence.
func (s *structWriter) endPage(w *pdfWriter) {
	w.closeText()
	if s.cur != nil {
		w.pdf.RawWriteStr("EMC")
		s.cur = nil
	}
}

// put writes the structure tree: the elements, the parent tree (each
// page's MCIDs to their elements) and the root, and returns the catalog's
// entries.
func (s *structWriter) put(ow *fpdf.ObjectWriter, pageObj func(int) int) (string, error) {
	// number the objects first: Document, the elements in order, the
	// parent tree, the root
	next := ow.Reserve()
	doc := next
	next++
	var order []*StructNode
	var walk func(n *StructNode)
	walk = func(n *StructNode) {
		in := s.info[n]
		in.obj = next
		next++
		order = append(order, n)
		for _, k := range in.kids {
			if k.node != nil {
				walk(k.node)
			}
		}
	}
	for _, r := range s.roots {
		walk(r)
	}
	parentTree, root := next, next+1
	ref := func(n int) string { return fmt.Sprintf("%d 0 R", n) }

	var kids []string
	for _, r := range s.roots {
		kids = append(kids, ref(s.info[r].obj))
	}
	lang := ""
	if s.lang != "" {
		lang = " /Lang " + pdfString(s.lang)
	}
	if n := ow.Compact(fmt.Sprintf("<</Type /StructElem /S /Document /P %s%s /K [%s]>>", ref(root), lang, strings.Join(kids, " "))); n != doc {
		return "", fmt.Errorf("structure tree: object %d, expected %d", n, doc)
	}
	for _, n := range order {
		in := s.info[n]
		parent := doc
		if n.Parent != nil {
			parent = s.info[n.Parent].obj
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<</S /%s /P %s", n.Role, ref(parent))
		if n.Alt != "" {
			b.WriteString(" /Alt " + pdfString(n.Alt))
		}
		if n.Lang != "" {
			b.WriteString(" /Lang " + pdfString(n.Lang))
		}
		if n.Role == "Note" {
			// PDF/UA: a note has an identifier
			fmt.Fprintf(&b, " /ID (note%d)", in.obj)
		}
		if n.Scope != "" {
			fmt.Fprintf(&b, " /A <</O /Table /Scope /%s>>", n.Scope)
		}
		// content on one page: the page once (/Pg), the MCIDs as integers
		pg := 0
		for _, k := range in.kids {
			if k.node == nil && k.annot == 0 {
				if pg == 0 {
					pg = k.page
				} else if pg != k.page {
					pg = -1
				}
			}
		}
		if pg > 0 {
			b.WriteString(" /Pg " + ref(pageObj(pg)))
		}
		b.WriteString(" /K [")
		for i, k := range in.kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			switch {
			case k.node != nil:
				b.WriteString(ref(s.info[k.node].obj))
			case k.annot > 0:
				a := s.annots[k.annot-1]
				obj := 0
				if s.annotObj != nil {
					obj = s.annotObj(a.page, a.i)
				}
				if obj == 0 {
					return "", fmt.Errorf("structure tree: link %d of page %d has no object", a.i, a.page)
				}
				fmt.Fprintf(&b, "<</Type /OBJR /Obj %s /Pg %s>>", ref(obj), ref(pageObj(a.page)))
			case pg > 0:
				fmt.Fprintf(&b, "%d", k.mcid)
			default:
				fmt.Fprintf(&b, "<</Type /MCR /Pg %s /MCID %d>>", ref(pageObj(k.page)), k.mcid)
			}
		}
		b.WriteString("]>>")
		if got := ow.Compact(b.String()); got != in.obj {
			return "", fmt.Errorf("structure tree: object %d, expected %d", got, in.obj)
		}
	}
	var nums strings.Builder
	for i, mcids := range s.pages {
		fmt.Fprintf(&nums, "%d [", i)
		for j, n := range mcids {
			if j > 0 {
				nums.WriteByte(' ')
			}
			nums.WriteString(ref(s.info[n].obj))
		}
		nums.WriteString("] ")
	}
	for k, a := range s.annots {
		fmt.Fprintf(&nums, "%d %s ", len(s.pages)+k, ref(s.info[a.node].obj))
	}
	ow.Compact("<</Nums [" + strings.TrimSpace(nums.String()) + "]>>")
	ow.Compact(fmt.Sprintf("<</Type /StructTreeRoot /K [%s] /ParentTree %s /ParentTreeNextKey %d>>", ref(doc), ref(parentTree), len(s.pages)+len(s.annots)))
	return fmt.Sprintf("/StructTreeRoot %s /MarkInfo <</Marked true>>", ref(root)), nil
}

// pdfString is s as a PDF text string: UTF-16BE with its byte order mark,
// in hex.
func pdfString(s string) string {
	return fmt.Sprintf("<%X>", utf16Text(s))
}
