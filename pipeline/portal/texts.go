package portal

import (
	"context"
	"fmt"
	"log"

	"github.com/aceo-project/aceo/pipeline/reading"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/search"
)

// releaseTexts is what the catalogue reads of a release besides its
// entry: its editions' contents and its search index.
type releaseTexts struct {
	contents map[string]*reading.Contents // by language
	index    *search.Index
}

// searched reports whether search covers release r: the newest release of
// each publication that is not withdrawn (older releases of a
// publication are earlier versions of the same text).
func searched(cat *release.Catalog, r *release.Release) bool {
	return r.Withdrawn == nil && cat.Latest(r.Publication) == r
}

// loadTexts reads the contents files and search indexes of the
// catalogue's releases, each checked against its SHA-256, reusing what an
// earlier refresh read (a released file never changes). A file that
// cannot be read or parsed is left out and logged: the pages and the
// rest of the search go on.
func (s *Server) loadTexts(ctx context.Context, cat *release.Catalog) map[*release.Release]*releaseTexts {
	out := map[*release.Release]*releaseTexts{}
	cache := map[string]any{}
	for i := range cat.Releases {
		r := &cat.Releases[i]
		rt := &releaseTexts{contents: map[string]*reading.Contents{}}
		for _, f := range r.Files {
			if f.Kind != release.KindContents && !(f.Kind == release.KindIndex && f.Name == release.IndexName && searched(cat, r)) {
				continue
			}
			key := f.Key + "@" + f.SHA256
			v, ok := s.texts[key]
			if !ok {
				var err error
				if v, err = s.loadText(ctx, f); err != nil {
					log.Printf("catalogue: %s/%s: %v", r.Publication, r.Name, err)
					continue
				}
			}
			cache[key] = v
			switch v := v.(type) {
			case *reading.Contents:
				rt.contents[v.Lang] = v
			case *search.Index:
				rt.index = v
			}
		}
		out[r] = rt
	}
	s.texts = cache // only what the catalogue still names
	return out
}

func (s *Server) loadText(ctx context.Context, f release.File) (any, error) {
	if f.Size > search.MaxIndexSize {
		return nil, fmt.Errorf("%s: %d bytes, more than the catalogue reads", f.Key, f.Size)
	}
	data, err := release.Fetch(ctx, s.cfg.Store, f)
	if err != nil {
		return nil, err
	}
	if f.Kind == release.KindIndex {
		return search.Parse(f.Key, data)
	}
	return reading.Parse(f.Key, data)
}

// newSearcher joins the indexes of the releases search covers.
func newSearcher(cat *release.Catalog, texts map[*release.Release]*releaseTexts) *search.Searcher {
	var ixs []*search.Index
	for i := range cat.Releases {
		r := &cat.Releases[i]
		if rt := texts[r]; rt != nil && rt.index != nil && searched(cat, r) {
			ixs = append(ixs, rt.index)
		}
	}
	return search.NewSearcher(ixs)
}
