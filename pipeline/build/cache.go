package build

import (
	"sync"

	"github.com/aceo-project/aceo/pipeline/dataset"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// Cache keeps, from one build to the next of a long-running process (aceo
// watch), what does not change when an input does not: parsed drafts,
// datasets and figures by the key of their stored revision (revisions are
// immutable and named by their content), the layout of each chapter, and
// each edition's PDF. Fonts are kept by the FontSet the builds share.
type Cache struct {
	Layout *typeset.LayoutCache

	mu       sync.Mutex
	chapters map[string]*ms.Chapter
	datasets map[string]*dataset.Dataset
	images   map[string][]byte
	pdfs     map[string]cachedPDF // by language
}

type cachedPDF struct {
	key   string
	pdf   []byte
	pages int
	// the summary for policymakers made with it
	summary      []byte
	summaryPages int
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{Layout: typeset.NewLayoutCache(), chapters: map[string]*ms.Chapter{}, datasets: map[string]*dataset.Dataset{},
		images: map[string][]byte{}, pdfs: map[string]cachedPDF{}}
}

func (c *Cache) chapter(key string) *ms.Chapter {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chapters[key]
}

func (c *Cache) putChapter(key string, ch *ms.Chapter) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chapters[key] = ch
}

func (c *Cache) dataset(key string) *dataset.Dataset {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.datasets[key]
}

func (c *Cache) putDataset(key string, ds *dataset.Dataset) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.datasets[key] = ds
}

func (c *Cache) image(key string) []byte {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.images[key]
}

func (c *Cache) putImage(key string, data []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.images[key] = data
}

func (c *Cache) pdf(lang, key string) (cachedPDF, bool) {
	if c == nil {
		return cachedPDF{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pdfs[lang]
	return p, ok && p.key == key
}

func (c *Cache) putPDF(lang string, p cachedPDF) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pdfs[lang] = p
}
