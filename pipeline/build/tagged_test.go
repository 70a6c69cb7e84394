package build

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// structLine is one line of pdfinfo -struct-text: an element (its role
// and depth; a note shows its identifier, "Note <note12>") or a text (a
// quoted string).
var structElem = regexp.MustCompile(`^(\s*)([A-Za-z0-9]+)(?: <[^>]*>)?( \((block|inline)\)|:)?$`)

// TestTaggedStructure: both editions are tagged PDFs (pdfinfo: Tagged:
// yes) whose structure tree (poppler's pdfinfo -struct-text) has the
// elements of an outlook: Document, a Sect per chapter with its H1, H2
// headings, P, L/LI/Lbl/LBody, Table/TR/TH (scope Column)/TD with a
// Caption, Figure with alt text, Note, TOC/TOCI, and in the Chinese
// edition English words as Spans with /Lang en; and whose texts, read in
// the tree's order, come in the order of the pages' content (pdftotext
// -raw): the reading order of the tree is the document's. Running heads and folios are
// artifacts: no element holds one alone.
func TestTaggedStructure(t *testing.T) {
	needTool(t, "pdfinfo")
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		t.Run(o.Lang, func(t *testing.T) {
			path := writeTemp(t, o.PDF)
			info, err := exec.Command("pdfinfo", path).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).Match(info) {
				t.Fatalf("pdfinfo does not report a tagged PDF:\n%s", info)
			}
			out, err := exec.Command("pdfinfo", "-struct-text", path).Output()
			if err != nil {
				t.Fatal(err)
			}
			roles := map[string]int{}
			var texts, notes []string
			var prev string
			figureAt := -1 // the indentation of the Figure element being read, -1 outside
			var figureTexts []bool
			for _, l := range strings.Split(string(out), "\n") {
				trimmed := strings.TrimSpace(l)
				switch {
				case strings.HasPrefix(trimmed, `"`):
					s, err := strconv.Unquote(trimmed)
					if err != nil {
						s = strings.Trim(trimmed, `"`)
					}
					figureTexts = append(figureTexts, figureAt >= 0)
					if prev == "Note" {
						figureTexts = figureTexts[:len(figureTexts)-1]
						// a footnote is read after the element its page
						// breaks (a list, a paragraph), not inside it
						notes = append(notes, s)
						continue
					}
					texts = append(texts, s)
				case strings.HasPrefix(trimmed, "/Scope"):
					if prev != "TH" {
						t.Errorf("a /Scope on %s", prev)
					}
					roles["TH scoped"]++
				default:
					if m := structElem.FindStringSubmatch(l); m != nil {
						roles[m[2]]++
						prev = m[2]
						if figureAt >= 0 && len(m[1]) <= figureAt {
							figureAt = -1
						}
						if m[2] == "Figure" && figureAt < 0 {
							figureAt = len(m[1])
						}
					}
				}
			}
			for _, r := range []string{"Document", "Sect", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TH scoped", "TD", "Caption", "Figure", "TOC", "TOCI", "Note"} {
				if roles[r] == 0 {
					t.Errorf("no %s element in the structure tree (%v)", r, roles)
				}
			}
			if roles["Document"] != 1 || roles["TH"] != roles["TH scoped"] {
				t.Errorf("%d Document elements, %d TH of which %d scoped", roles["Document"], roles["TH"], roles["TH scoped"])
			}
			if !inObjectStreams(t, o.PDF, `/S /Figure [^>]*/Alt <FEFF[0-9A-F]{8,}>`) {
				t.Error("no figure carries alt text")
			}
			// English words in the Chinese edition are spans in English
			if o.Lang == "zh" && !inObjectStreams(t, o.PDF, `/S /Span /P \d+ 0 R /Lang <FEFF0065006E>`) {
				t.Error("no English span carries /Lang en")
			}
			// reading order: each text of the tree is found in the page
			// text after the one before it
			// (without the dot leaders of the contents, which are artifacts)
			undot := strings.NewReplacer(".", "", "…", "")
			raw, err := exec.Command("pdftotext", "-raw", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			page := undot.Replace(squeeze(string(raw)))
			pos, found := 0, 0
			for _, s := range texts {
				s = undot.Replace(squeeze(s))
				if len(s) < 4 {
					continue // a bullet, a number: found anywhere
				}
				i := strings.Index(page[pos:], s)
				if i < 0 {
					if strings.Contains(page, s) {
						t.Errorf("%q comes earlier in the pages than in the structure tree", s)
					} else {
						t.Errorf("%q of the structure tree is not in the pages' text", s)
					}
					continue
				}
				pos += i + len(s)
				found++
			}
			if found < 200 {
				t.Errorf("only %d texts followed in reading order", found)
			}
			// words stay apart where a line breaks: every word of the tree
			// is a word of the pages (a line's last word run into the next
			// line's first, "communitiesand", is not)
			if o.Lang == "en" {
				words := map[string]bool{}
				clean := func(w string) string { return strings.Trim(w, ".,;:()[]\"'“”‘’!?") }
				for _, w := range strings.Fields(string(raw)) {
					words[clean(w)] = true
				}
				joined := 0
				for i, s := range texts {
					if figureTexts[i] {
						continue // a chart's labels: its alt text is what is read
					}
					for _, w := range strings.Fields(s) {
						if w = clean(w); w != "" && !words[w] && !strings.ContainsAny(w, "-–—/.") {
							joined++
							if joined <= 5 {
								t.Errorf("%q in the structure tree is no word of the pages (words run together at a line break?)", w)
							}
						}
					}
				}
			}
			for _, s := range notes {
				if !strings.Contains(page, undot.Replace(squeeze(s))) {
					t.Errorf("the note %q is not in the pages' text", s)
				}
			}
			if len(notes) == 0 && o.Lang == "en" {
				t.Error("no footnote in the structure tree")
			}
		})
	}
}

// inObjectStreams reports whether pattern matches in one of pdf's object
// streams (where the structure elements are), decompressed.
func inObjectStreams(t *testing.T, pdf []byte, pattern string) bool {
	t.Helper()
	return regexp.MustCompile(pattern).Match(objectStreamTexts(t, pdf))
}

// TestMetadata: both editions carry XMP metadata with the title, authors,
// language and the same dates as the information dictionary (which the
// trailer names: with an output intent it once named the ICC profile
// instead), an sRGB output intent, and a file identifier.
func TestMetadata(t *testing.T) {
	needTool(t, "pdfinfo")
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		path := writeTemp(t, o.PDF)
		info, err := exec.Command("pdfinfo", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Metadata Stream: yes", "CreationDate:    Fri Nov 15 00:00:00 2013", "Title:  "} {
			if !strings.Contains(string(info), want) {
				t.Errorf("%s: pdfinfo lacks %q:\n%s", o.Lang, want, info)
			}
		}
		meta, err := exec.Command("pdfinfo", "-meta", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		title := map[string]string{"en": "ASEAN-China Environment Outlook", "zh": "中国—东盟环境展望"}[o.Lang]
		for _, want := range []string{
			`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + title + `</rdf:li>`,
			`<dc:language><rdf:Bag><rdf:li>` + map[string]string{"en": "en", "zh": "zh-CN"}[o.Lang] + `</rdf:li>`,
			`<xmp:CreateDate>2013-11-15T00:00:00</xmp:CreateDate>`,
			`<dc:creator><rdf:Seq><rdf:li>`,
		} {
			if !strings.Contains(string(meta), want) {
				t.Errorf("%s: the XMP metadata lacks %s:\n%s", o.Lang, want, meta)
			}
		}
		for _, want := range []string{"/OutputIntents [", "/S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)", "/ID [<"} {
			if !bytes.Contains(o.PDF, []byte(want)) {
				t.Errorf("%s: no %s in the file", o.Lang, want)
			}
		}
	}
}

// TestCrossReferenceStream: the cross-reference stream of both editions
// decodes (PNG Up predictor rows of 7 bytes), lists every object, points
// each object written in the file at its "N 0 obj" and each compressed one
// into an object stream that holds it; and it stays small, about a byte
// an entry compressed (it was over 2 before the predictor).
func TestCrossReferenceStream(t *testing.T) {
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		pdf := o.PDF
		at := bytes.LastIndex(pdf, []byte("startxref"))
		start, err := strconv.Atoi(strings.Fields(string(pdf[at+len("startxref"):]))[0])
		if err != nil {
			t.Fatal(err)
		}
		head := regexp.MustCompile(`(?s)^(\d+) 0 obj\s*<<(.*?)/Length (\d+)>>\nstream\n`).FindSubmatch(pdf[start:])
		if head == nil || !bytes.Contains(head[2], []byte("/Type /XRef")) || !bytes.Contains(head[2], []byte("/DecodeParms <</Columns 7 /Predictor 12>>")) {
			t.Fatalf("%s: no cross-reference stream with the Up predictor at %d", o.Lang, start)
		}
		n, _ := strconv.Atoi(string(head[3]))
		body := start + len(head[0])
		r, err := zlib.NewReader(bytes.NewReader(pdf[body : body+n]))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(r)
		if err != nil || len(raw)%8 != 0 {
			t.Fatalf("%s: cross-reference stream of %d bytes: %v", o.Lang, len(raw), err)
		}
		size, _ := strconv.Atoi(regexp.MustCompile(`/Size (\d+)`).FindStringSubmatch(string(head[2]))[1])
		if len(raw)/8 != size {
			t.Fatalf("%s: %d entries, /Size %d", o.Lang, len(raw)/8, size)
		}
		var prev [7]byte
		inFile, compressed := 0, 0
		for i := 0; i < len(raw); i += 8 {
			if raw[i] != 2 {
				t.Fatalf("%s: entry %d has filter %d, not Up", o.Lang, i/8, raw[i])
			}
			var row [7]byte
			for j := range row {
				row[j] = raw[i+1+j] + prev[j]
			}
			prev = row
			num := i / 8
			a := int(row[1])<<24 | int(row[2])<<16 | int(row[3])<<8 | int(row[4])
			switch row[0] {
			case 1:
				inFile++
				if !bytes.HasPrefix(pdf[a:], []byte(strconv.Itoa(num)+" 0 obj")) {
					t.Errorf("%s: object %d at %d is not there", o.Lang, num, a)
				}
			case 2:
				compressed++
				stm := regexp.MustCompile(`^` + strconv.Itoa(a) + ` 0 obj\s*<</Type /ObjStm /N (\d+)`)
				loc := bytes.Index(pdf, []byte("\n"+strconv.Itoa(a)+" 0 obj"))
				m := stm.FindSubmatch(pdf[loc+1:])
				if loc < 0 || m == nil {
					t.Fatalf("%s: object %d is in %d, not an object stream", o.Lang, num, a)
				}
				if count, _ := strconv.Atoi(string(m[1])); int(row[5])<<8|int(row[6]) >= count {
					t.Errorf("%s: object %d is number %d of a stream of %d", o.Lang, num, int(row[5])<<8|int(row[6]), count)
				}
			}
		}
		if inFile == 0 || compressed == 0 {
			t.Errorf("%s: %d objects in the file, %d in object streams", o.Lang, inFile, compressed)
		}
		if n > 2*size {
			t.Errorf("%s: the cross-reference stream takes %d bytes for %d entries", o.Lang, n, size)
		}
		// pages and bookmarks are small dictionaries: in object streams
		pages := regexp.MustCompile(`<</Type /Page\n`)
		if plain := len(pages.FindAll(pdf, -1)) + len(outlineRE.FindAll(pdf, -1)); plain > 0 {
			t.Errorf("%s: %d page dictionaries or outline items outside the object streams", o.Lang, plain)
		}
		objs := objectStreamTexts(t, pdf)
		if got := len(pages.FindAll(objs, -1)); got != o.Pages {
			t.Errorf("%s: %d page dictionaries in object streams for %d pages", o.Lang, got, o.Pages)
		}
	}
}

// TestTextObjects: the lines of a paragraph share one text object (BT
// ... ET), each line moved from the one before ("0 -14.6 Td"), and no text
// object crosses the start or end of a marked-content sequence, nor holds
// a path (a marked-content sequence holds whole text objects or lies in
// one). Checked on every page content stream of both editions.
func TestTextObjects(t *testing.T) {
	_, outs := buildSamples(t)
	streams := regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
	for _, o := range outs["aceo-sample"] {
		bts, tjs, moves := 0, 0, 0
		for _, m := range streams.FindAllSubmatchIndex(o.PDF, -1) {
			n, _ := strconv.Atoi(string(o.PDF[m[2]:m[3]]))
			r, err := zlib.NewReader(bytes.NewReader(o.PDF[m[1] : m[1]+n]))
			if err != nil {
				continue // not a zlib stream (an image)
			}
			data, err := io.ReadAll(r)
			if err != nil {
				continue
			}
			open := false
			for _, line := range strings.Split(string(data), "\n") {
				f := strings.Fields(line)
				if len(f) == 0 {
					continue
				}
				op := f[len(f)-1]
				switch {
				case f[0] == "BT":
					if open {
						t.Fatalf("%s: BT inside a text object: %q", o.Lang, line)
					}
					open = true
					bts++
				case op == "ET":
					open = false
				case op == "BDC" || op == "BMC" || op == "EMC" || op == "re" || op == "l" || op == "S" || op == "f":
					if open {
						t.Fatalf("%s: %s inside a text object: %q", o.Lang, op, line)
					}
				}
				if strings.HasSuffix(line, "] TJ") {
					tjs++
					if f[0] != "BT" {
						moves++
						if !open {
							t.Fatalf("%s: a line moved outside a text object: %q", o.Lang, line)
						}
					}
				}
			}
			if open {
				t.Errorf("%s: a content stream ends inside a text object", o.Lang)
			}
		}
		if tjs == 0 || moves < tjs/3 {
			t.Errorf("%s: %d text objects for %d lines, %d of them moved from the line before", o.Lang, bts, tjs, moves)
		}
		t.Logf("%s: %d text objects for %d lines", o.Lang, bts, tjs)
	}
}

// objectStreamTexts are pdf's object streams, decompressed.
func objectStreamTexts(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var all []byte
	streams := regexp.MustCompile(`(?s)<<[^>]*/Type /ObjStm[^>]*/Length (\d+)>>\nstream\n`)
	for _, m := range streams.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		r, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		all = append(append(all, data...), '\n')
	}
	return all
}

// TestLinksTagged: every link annotation of both editions (cross-references,
// contents entries, URLs, index pages) is an object of its own with the
// print flag (PDF/A), a key in the parent tree and an alternate
// description (PDF/UA), and sits in a Link element of the structure tree
// (pdfinfo -struct-text: "Object N 0") beside the link's text; notes
// carry an identifier.
func TestLinksTagged(t *testing.T) {
	needTool(t, "pdfinfo")
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		objs := objectStreamTexts(t, o.PDF)
		if bytes.Contains(o.PDF, []byte("/Subtype /Link")) {
			t.Errorf("%s: a link annotation written inside a page", o.Lang)
		}
		all := regexp.MustCompile(`<</Type /Annot /Subtype /Link [^\n]*`).FindAll(objs, -1)
		good := regexp.MustCompile(`^<</Type /Annot /Subtype /Link /F 4 .* /StructParent \d+ /Contents <FEFF[0-9A-F]{4,}>>>$`)
		var contents []string
		for _, a := range all {
			if !good.Match(a) {
				t.Errorf("%s: link annotation %s", o.Lang, a)
				continue
			}
			hex := regexp.MustCompile(`/Contents <FEFF([0-9A-F]*)>`).FindSubmatch(a)[1]
			var u []uint16
			for i := 0; i+4 <= len(hex); i += 4 {
				v, _ := strconv.ParseUint(string(hex[i:i+4]), 16, 16)
				u = append(u, uint16(v))
			}
			contents = append(contents, string(utf16.Decode(u)))
		}
		// a link whose text is in the other language carries it
		if o.Lang == "zh" && !regexp.MustCompile(`/S /Link /P \d+ 0 R /Lang <FEFF0065006E>`).Match(objs) {
			t.Errorf("%s: no Link element with the other language", o.Lang)
		}
		// the alternate description is the link's text, each word once
		want := map[string]string{"en": "Summary for policymakers vii", "zh": "决策者摘要 vii"}[o.Lang]
		if !slices.Contains(contents, want) {
			t.Errorf("%s: no link described as %q among %q", o.Lang, want, contents[:min(12, len(contents))])
		}
		for _, c := range contents {
			if f := strings.Fields(c); len(f) > 0 && len(f[0])%2 == 0 && len(f[0]) >= 6 && f[0][:len(f[0])/2] == f[0][len(f[0])/2:] {
				t.Errorf("%s: link described as %q", o.Lang, c)
			}
		}
		path := writeTemp(t, o.PDF)
		out, err := exec.Command("pdfinfo", "-struct-text", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(out), "\n")
		links, refs, withText := 0, 0, 0
		for i, l := range lines {
			if strings.TrimSpace(l) != "Link (inline)" {
				continue
			}
			links++
			depth := len(l) - len(strings.TrimLeft(l, " "))
			hasText := false
			for _, k := range lines[i+1:] {
				if len(k)-len(strings.TrimLeft(k, " ")) <= depth {
					break
				}
				switch s := strings.TrimSpace(k); {
				case regexp.MustCompile(`^Object \d+ 0$`).MatchString(s):
					refs++
				case strings.HasPrefix(s, `"`) && len(s) > 2:
					hasText = true
				}
			}
			if hasText {
				withText++
			}
		}
		if len(all) < 20 || refs != len(all) || links == 0 || withText != links {
			t.Errorf("%s: %d link annotations, %d of them in %d Link elements, %d with text", o.Lang, len(all), refs, links, withText)
		}
		if regexp.MustCompile(`/S /Note (/P \d+ 0 R )?(?:[^I]|I[^D])*>>`).Match(objs) && !regexp.MustCompile(`/S /Note /P \d+ 0 R /ID \(note\d+\)`).Match(objs) {
			t.Errorf("%s: a note without an identifier", o.Lang)
		}
		notes := regexp.MustCompile(`/S /Note `).FindAll(objs, -1)
		ids := regexp.MustCompile(`/S /Note /P \d+ 0 R /ID \(note\d+\)`).FindAll(objs, -1)
		if len(notes) == 0 || len(ids) != len(notes) {
			t.Errorf("%s: %d notes, %d with an identifier", o.Lang, len(notes), len(ids))
		}
		t.Logf("%s: %d link annotations in %d Link elements; %d notes", o.Lang, len(all), links, len(notes))
	}
}

// TestConformanceClaims: both editions declare PDF/A-2u and PDF/UA-1 in
// well-formed XMP (with the extension schema PDF/A-2 asks for pdfuaid),
// and hold the clauses of those standards that aceo's other tests do not
// already check: a binary comment after the header, every font embedded
// with a ToUnicode map (pdffonts), and heading levels that never skip
// one (H3 right after H1).
func TestConformanceClaims(t *testing.T) {
	needTool(t, "pdfinfo")
	needTool(t, "pdffonts")
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		path := writeTemp(t, o.PDF)
		binary := len(o.PDF) > 14 && o.PDF[9] == '%'
		for _, c := range o.PDF[10:min(14, len(o.PDF))] {
			binary = binary && c >= 0x80
		}
		if !bytes.HasPrefix(o.PDF, []byte("%PDF-1.")) || !binary {
			t.Errorf("%s: header %q", o.Lang, o.PDF[:20])
		}
		meta, err := exec.Command("pdfinfo", "-meta", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(meta[bytes.Index(meta, []byte("<x:xmpmeta")):bytes.Index(meta, []byte("<?xpacket end"))], new(any)); err != nil {
			t.Errorf("%s: the XMP metadata is not well-formed: %v", o.Lang, err)
		}
		for _, want := range []string{
			`<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>`,
			`<pdfuaid:part>1</pdfuaid:part>`,
			`<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>`,
		} {
			if !bytes.Contains(meta, []byte(want)) {
				t.Errorf("%s: the metadata lacks %s", o.Lang, want)
			}
		}
		fonts, err := exec.Command("pdffonts", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(string(fonts)), "\n")[2:]
		for _, r := range rows {
			f := strings.Fields(r)
			if len(f) < 5 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
				t.Errorf("%s: font not embedded with a ToUnicode map: %s", o.Lang, r)
			}
		}
		if len(rows) < 3 {
			t.Errorf("%s: %d fonts", o.Lang, len(rows))
		}
		st, err := exec.Command("pdfinfo", "-struct-text", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		prev, n := 0, 0
		for _, l := range strings.Split(string(st), "\n") {
			m := regexp.MustCompile(`^\s*H([1-6]) `).FindStringSubmatch(l)
			if m == nil {
				continue
			}
			h := int(m[1][0] - '0')
			if h > prev+1 {
				t.Errorf("%s: H%d right after H%d: %s", o.Lang, h, prev, strings.TrimSpace(l))
			}
			prev = h
			n++
		}
		if n < 20 {
			t.Errorf("%s: %d headings", o.Lang, n)
		}
	}
}
