package typeset

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// LayoutCache keeps the pages of the chapters laid out by earlier renders
// with one template and font set, so that a rebuild (aceo watch) lays out
// only the chapters that changed. A chapter always opens on a right-hand
// page and its layout does not depend on what comes before it, so its
// pages can be reused whole; the contents and lists are set again from the
// page numbers. The editions may share one cache.
type LayoutCache struct {
	mu   sync.Mutex
	m    map[string]*chapterPages
	used map[string]bool
	imgs map[*Image]string // hash of each image's bytes
	tpls map[*Template]string
}

// NewLayoutCache returns an empty cache.
func NewLayoutCache() *LayoutCache {
	return &LayoutCache{m: map[string]*chapterPages{}, used: map[string]bool{}, imgs: map[*Image]string{}, tpls: map[*Template]string{}}
}

// chapterPages is what laying out one chapter produced.
type chapterPages struct {
	pages                []*Page // first page has index 1
	dests                map[string]Dest
	toc, tables, figures []listEntry
	boxes                []listEntry
	missing              map[rune][]string
}

// Sweep forgets the chapters not used since the last Sweep, and returns
// how many were reused and how many are kept.
func (c *LayoutCache) Sweep() (kept int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if !c.used[k] {
			delete(c.m, k)
		}
	}
	c.used = map[string]bool{}
	return len(c.m)
}

func (c *LayoutCache) get(key string) *chapterPages {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp := c.m[key]
	if cp != nil {
		c.used[key] = true
	}
	return cp
}

func (c *LayoutCache) put(key string, cp *chapterPages) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = cp
	c.used[key] = true
}

func (c *LayoutCache) imageSHA(img *Image) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.imgs[img]; ok {
		return s
	}
	sum := sha256.Sum256(img.Data)
	s := hex.EncodeToString(sum[:])
	c.imgs[img] = s
	return s
}

// templateSHA hashes a template's settings: each build loads its own
// copy of the template.
func (c *LayoutCache) templateSHA(t *Template) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.tpls[t]; ok {
		return s
	}
	b, _ := json.Marshal(t)
	sum := sha256.Sum256(b)
	s := hex.EncodeToString(sum[:])
	c.tpls[t] = s
	return s
}

// typed is a block with its type, so that two kinds of block with the same
// fields never hash alike.
type typed struct {
	T string
	B ms.Block
}

// chapterKey names everything the layout of ch depends on: the template's
// settings, the fonts (fs by identity: a cache serves one font set), the
// language, the chapter as numbered and cross-referenced, and the bytes of
// its images.
func (c *LayoutCache) chapterKey(t *Template, fs *FontSet, ed *Edition, ch *ms.Chapter) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %p %s %s\n", c.templateSHA(t), fs, ed.Lang, ed.Pub.ID)
	blocks := make([]typed, len(ch.Blocks))
	for i, b := range ch.Blocks {
		blocks[i] = typed{fmt.Sprintf("%T", b), b}
	}
	enc := json.NewEncoder(h)
	enc.Encode(struct {
		File       string
		Meta       ms.FrontMatter
		Number     int
		Appendix   string
		Unnumbered bool
		Blocks     []typed
		Footnotes  map[int][]ms.Span
	}{ch.File, ch.Meta, ch.Number, ch.Appendix, ch.Unnumbered, blocks, ch.Footnotes})
	ch.Walk(func(b ms.Block) {
		if f, ok := b.(*ms.Figure); ok {
			if img := ed.Images[f.Src]; img != nil {
				fmt.Fprintf(h, "img %s %s\n", f.Src, c.imageSHA(img))
			}
		}
	})
	return hex.EncodeToString(h.Sum(nil))
}

// EditionKey names everything an edition's PDF depends on, given the
// cache's template and fonts: the publication, the draft mark and every
// chapter's key. Two renders with the same key give the same bytes.
func (c *LayoutCache) EditionKey(t *Template, fs *FontSet, ed *Edition) string {
	h := sha256.New()
	pub, _ := json.Marshal(ed.Pub)
	fmt.Fprintf(h, "%s\n%s\n%s\nexcerpt=%v\n", ed.Lang, pub, ed.Draft, ed.Excerpt)
	for _, ch := range ed.Chapters {
		fmt.Fprintf(h, "%s\n", c.chapterKey(t, fs, ed, ch))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// replay puts a cached chapter's pages after the body's, as laying it out
// again would: on a right-hand page, with its destinations, contents and
// list entries, and the characters it lacks.
func (e *engine) replay(body *paginator, cp *chapterPages) {
	if (body.offset+len(body.pages))%2 == 1 {
		body.blank()
	}
	first := body.offset + len(body.pages) + 1
	for _, p := range cp.pages {
		q := *p
		q.index = first + p.index - 1
		q.Items = p.Items[:len(p.Items):len(p.Items)] // running heads are appended to a copy
		q.Outline = append([]OutlineEntry(nil), p.Outline...)
		body.pages = append(body.pages, &q)
	}
	for k, d := range cp.dests {
		e.dests[k] = Dest{Page: first + d.Page - 1, Y: d.Y}
	}
	e.toc = append(e.toc, cp.toc...)
	e.tables = append(e.tables, cp.tables...)
	e.figures = append(e.figures, cp.figures...)
	e.boxes = append(e.boxes, cp.boxes...)
	for r, places := range cp.missing {
		e.missing[r] = append(e.missing[r], places...)
	}
}

// record lays out ch and keeps its pages in the cache under key.
func (e *engine) record(body *paginator, ch *ms.Chapter, key string) {
	start := len(body.pages)
	toc, tables, figures, boxes := len(e.toc), len(e.tables), len(e.figures), len(e.boxes)
	e.destRec = map[string]Dest{}
	e.missRec = map[rune][]string{}
	e.runChapter(body, e.chapterItems(ch))
	pages := body.pages[start:]
	if len(pages) > 0 && pages[0].Blank {
		pages = pages[1:] // the blank that put the chapter on a right-hand page
	}
	if len(pages) == 0 {
		e.destRec, e.missRec = nil, nil
		return
	}
	first := pages[0].index
	cp := &chapterPages{dests: map[string]Dest{}, missing: e.missRec,
		toc: append([]listEntry(nil), e.toc[toc:]...), tables: append([]listEntry(nil), e.tables[tables:]...), figures: append([]listEntry(nil), e.figures[figures:]...),
		boxes: append([]listEntry(nil), e.boxes[boxes:]...)}
	for _, p := range pages {
		q := *p
		q.index = p.index - first + 1
		q.Items = append([]Item(nil), p.Items...)
		q.Outline = append([]OutlineEntry(nil), p.Outline...)
		cp.pages = append(cp.pages, &q)
	}
	for k, d := range e.destRec {
		cp.dests[k] = Dest{Page: d.Page - first + 1, Y: d.Y}
	}
	e.destRec, e.missRec = nil, nil
	e.ed.Cache.put(key, cp)
}
