package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/starter"
)

// NewChapter makes the starting draft of chapter in lang for the
// publication of req: a directory (req.Dir) or the store (req.Repo and
// req.Pub). It returns the draft and where the directory's layout puts it
// (DIR/LANG/NN-CHAPTER.md), or, for the store, a file name for the
// working directory (NN-CHAPTER.LANG.md). A translation names the English
// draft it starts from: the directory's, by its hash, or the store's
// revision that the build takes. The draft is judged by CheckChapter
// before it is returned: what aceo new writes, aceo validate accepts.
// Nothing is written.
func NewChapter(ctx context.Context, req Request, chapter, lang string) ([]byte, string, error) {
	opt := req.Options
	opt.Lenient = true
	var (
		src  *Sources
		name string
		c    = starter.Context{Chapter: chapter, Lang: lang}
		err  error
	)
	switch {
	case req.Dir != "":
		if src, err = Load(req.Dir, opt); err != nil {
			return nil, "", err
		}
	case req.Repo != nil:
		if src, _, err = FromStore(ctx, req.Repo, req.Pub, true, opt); err != nil {
			return nil, "", err
		}
	default:
		return nil, "", fmt.Errorf("new chapter: no publication (a directory or a store)")
	}
	pub := src.Pub
	c.Pub = pub
	if err := CheckLanguages(pub, []string{lang}); err != nil {
		return nil, "", err
	}
	idx := slices.Index(pub.Chapters, chapter)
	if idx < 0 {
		if near := diag.Nearest(chapter, pub.Chapters); near != "" {
			return nil, "", fmt.Errorf("publication %s has no chapter %q; did you mean %q?", pub.ID, chapter, near)
		}
		return nil, "", fmt.Errorf("publication %s has no chapter %q: its chapters are %s (add it to publication.yaml first)", pub.ID, chapter, strings.Join(pub.Chapters, ", "))
	}
	// files are numbered as the chapters are: front chapters 00
	num := 0
	if !slices.Contains(pub.Front, chapter) {
		for _, c := range pub.Chapters[:idx+1] {
			if !slices.Contains(pub.Front, c) {
				num++
			}
		}
	}
	if req.Dir != "" {
		name = filepath.Join(req.Dir, lang, fmt.Sprintf("%02d-%s.md", num, chapter))
		if old := src.Chapters[chapter][lang]; old != nil {
			return nil, "", fmt.Errorf("chapter %s already has a %s draft in %s: %s; edit that one", chapter, lang, req.Dir, old.File)
		}
		if src.claimed[chapter+"/"+lang] {
			return nil, "", fmt.Errorf("chapter %s already has a %s draft in %s (aceo validate shows its problems); edit that one", chapter, lang, req.Dir)
		}
		if entries, err := os.ReadDir(filepath.Join(req.Dir, "figures")); err == nil {
			for _, e := range entries {
				if ext := strings.ToLower(filepath.Ext(e.Name())); !e.IsDir() && (ext == ".png" || ext == ".jpg" || ext == ".jpeg") {
					c.Figures = append(c.Figures, "figures/"+e.Name())
				}
			}
		}
	} else {
		name = fmt.Sprintf("%02d-%s.%s.md", num, chapter, lang)
		all, err := req.Repo.AllRevisions(ctx, pub.ID)
		if err != nil {
			return nil, "", err
		}
		for k := range all {
			if f, ok := strings.CutPrefix(k, drafts.Figures+"/"); ok {
				c.Figures = append(c.Figures, "figures/"+f)
			}
		}
	}
	sort.Strings(c.Figures)
	c.Datasets = src.Datasets
	if lang != ms.SourceLang {
		if req.Dir != "" {
			en := src.Chapters[chapter][ms.SourceLang]
			if en == nil {
				return nil, "", fmt.Errorf("chapter %s has no English draft in %s to translate yet; it is written first (aceo new chapter %s %s --lang en --dir %s)", chapter, req.Dir, pub.ID, chapter, req.Dir)
			}
			c.TranslatedFrom, c.SourceTitle = "sha256:"+sha(en.Source), en.Meta.Title
		} else {
			basis, err := req.Repo.TranslationBasis(ctx, pub.ID, chapter)
			if err != nil {
				return nil, "", err
			}
			c.TranslatedFrom = basis.ID
			if data, err := req.Repo.Read(ctx, basis); err == nil {
				if en, _ := ms.Parse(basis.Name(), data); en != nil {
					c.SourceTitle = en.Meta.Title
				}
			}
		}
	}
	data, err := starter.Draft(c)
	if err != nil {
		return nil, "", err
	}
	v, err := CheckChapter(ctx, req, name, data)
	if err != nil {
		return nil, "", err
	}
	if !v.OK() {
		return nil, "", &diag.InternalError{Panic: "the starting draft does not validate: " + v.Err().Error(), While: "aceo new chapter " + pub.ID + " " + chapter}
	}
	return data, name, nil
}
