package portal

import (
	"compress/gzip"
	"context"
	"net/url"
	"sync"
)

// pageCache keeps rendered result pages of one catalogue version (a
// snapshot), so that a query asked again (readers ask the same few
// things) is served as a file is. It is bounded: two generations of at
// most cacheGeneration pages each; a page found in the older is moved to
// the newer, and when the newer is full the older is dropped.
type pageCache struct {
	mu       sync.Mutex
	cur, old map[string]*asset
	// asked: queries asked once; a page is kept when its query comes
	// again, so that one-off queries cost no memory
	asked, askedOld map[string]bool
}

// cacheGeneration bounds each generation: with pages of 20 to 60 KB
// (and their gzip forms), at most some 60 MB in all.
const cacheGeneration = 512

// maxCachedQuery bounds the query strings kept: a longer one is answered
// but not kept.
const maxCachedQuery = 512

func (c *pageCache) get(key string) *asset {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.cur[key]; a != nil {
		return a
	}
	if a := c.old[key]; a != nil {
		c.putLocked(key, a)
		return a
	}
	return nil
}

// put keeps a page whose query was asked before.
func (c *pageCache) put(key string, a *asset) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.asked[key] && !c.askedOld[key] {
		if c.asked == nil || len(c.asked) >= 8*cacheGeneration {
			c.askedOld, c.asked = c.asked, map[string]bool{}
		}
		c.asked[key] = true
		return
	}
	c.putLocked(key, a)
}

func (c *pageCache) putLocked(key string, a *asset) {
	if c.cur == nil {
		c.cur = map[string]*asset{}
	}
	if len(c.cur) >= cacheGeneration {
		c.old, c.cur = c.cur, map[string]*asset{}
	}
	c.cur[key] = a
}

// searchPage is the search page for a query, rendered once per catalogue
// version and query.
func (s *Server) searchPage(ctx context.Context, snap *snapshot, lang, rawQuery string) (*asset, error) {
	key := lang + "?" + rawQuery
	cacheable := len(rawQuery) <= maxCachedQuery
	if cacheable {
		if a := snap.results.get(key); a != nil {
			return a, nil
		}
	}
	// as many searches run at once as there are processors: the others
	// wait their turn, in order, rather than all slowing each other down
	select {
	case s.searching <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err() // the reader left
	}
	body, err := s.execute("search", s.search(snap, lang, parseQuery(rawQuery)))
	<-s.searching
	if err != nil {
		return nil, err
	}
	a := newLazyAsset(body, "text/html; charset=utf-8", gzip.BestSpeed)
	if cacheable {
		snap.results.put(key, a)
	}
	return a, nil
}

// parseQuery reads a query string; a malformed one reads as far as it
// can (url.ParseQuery keeps the pairs it could parse).
func parseQuery(raw string) url.Values {
	v, _ := url.ParseQuery(raw)
	return v
}
