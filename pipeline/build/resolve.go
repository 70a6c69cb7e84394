package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/bib"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/glossary"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/safedir"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// A Resolver finds the inputs of one publication: the drafts of its
// chapters, its figures, its datasets and the plan tracker's records. A
// directory (dirResolver) and the store (storeResolver: accepted, latest
// or pinned revisions) resolve them; one step, assemble, reads what they
// find, parses it, uses the caches, records the inputs and loads
// leniently, for directory and store builds, validate and the preflight
// alike.
type Resolver interface {
	// Drafts lists the chapter drafts to read, in a stable order, and the
	// problems of chapters that have none the build may take.
	Drafts(ctx context.Context) ([]*Resolved, diag.List, error)
	// Figure finds the image of a figure path (figures/name.png) and
	// gives the hint for when it is not there.
	Figure(ctx context.Context, ref string) (*Resolved, string, error)
	// Dataset finds dataset name and, for a CSV, its dictionary. A
	// dataset that is nowhere is a *missingError.
	Dataset(ctx context.Context, name string) (data, dict *Resolved, err error)
	// Activities reads the tracker's progress records and says where
	// they came from.
	Activities(ctx context.Context, reg *activity.Register) ([]activity.Record, []manifest.Input, error)
	// PubFile finds a file the publication names: a bibliography
	// (manifest.InBibliography) or its glossary (manifest.InGlossary).
	PubFile(ctx context.Context, kind, file string) (*Resolved, error)
}

// pubFiles are the kinds of files a publication names: what the field of
// publication.yaml is called, how large one may be, and what it is
// stored as.
var pubFiles = map[string]struct {
	field string
	limit int64
	sub   string
}{
	manifest.InBibliography: {"bibliography", bib.MaxFileSize, drafts.Bibliographies},
	manifest.InGlossary:     {"glossary", glossary.MaxSize, drafts.Glossaries},
}

// Resolved is one file a resolver found.
type Resolved struct {
	Name string // for messages: a path, or a revision's name
	// Chapter and Lang are where a resolver knows a draft belongs (the
	// store's keys say); empty for a directory's drafts, whose front
	// matter says.
	Chapter, Lang string
	// Input records it in the manifest. Its SHA256 is known before
	// reading for a stored revision (then the caches are used without
	// reading), after it for a file.
	Input manifest.Input
	Ext   string // datasets: .xlsx or .csv
	read  func(ctx context.Context) ([]byte, error)
}

// missingError is a dataset that is nowhere: the tables that name it say
// so at their lines, with where it was looked for and how to add it.
type missingError struct{ where, hint string }

func (e *missingError) Error() string { return e.where }

// assembler reads, parses and files what a resolver finds.
type assembler struct {
	res Resolver
	opt Options
	src *Sources
}

// assemble loads publication pub (recorded as pubIn) through res.
func assemble(ctx context.Context, pub *publication.Publication, pubIn manifest.Input, res Resolver, cfg *Config, opt Options) (*Sources, error) {
	src := &Sources{Pub: pub, Config: cfg, Chapters: map[string]map[string]*ms.Chapter{}, Images: map[string]*typeset.Image{}, Datasets: map[string]*dataset.Dataset{}, DatasetInputs: map[string]manifest.Input{}}
	src.Inputs = append(src.Inputs, pubIn)
	a := &assembler{res: res, opt: opt, src: src}
	// the tracker's records are read while the drafts are
	type records struct {
		reg    *activity.Register
		recs   []activity.Record
		inputs []manifest.Input
		err    error
	}
	rc := make(chan records, 1)
	if reg := cfg.Register; reg != nil {
		go func() {
			recs, inputs, err := res.Activities(ctx, reg)
			rc <- records{reg, recs, inputs, err}
		}()
	}
	if err := a.drafts(ctx); err != nil {
		return nil, err
	}
	if err := src.keep(opt, src.readImages(a.figure(ctx)), CodeFigure); err != nil {
		return nil, err
	}
	if err := a.datasets(ctx); err != nil {
		return nil, err
	}
	if err := a.bibliography(ctx); err != nil {
		return nil, err
	}
	if err := a.glossary(ctx); err != nil {
		return nil, err
	}
	if cfg.Register != nil {
		x := <-rc
		src.Register = x.reg
		if x.err != nil && !isProblem(x.err) {
			return nil, x.err // the store failed
		}
		if err := src.keep(opt, x.err, CodeActivities); err != nil {
			return nil, err
		}
		src.Records, src.ActivityInputs = x.recs, x.inputs
		src.Inputs = append(src.Inputs, x.inputs...)
	}
	manifest.SortInputs(src.Inputs)
	return src, nil
}

// read reads a resolved file and fills in its hash.
func (r *Resolved) bytes(ctx context.Context) ([]byte, error) {
	data, err := r.read(ctx)
	if err == nil && r.Input.SHA256 == "" {
		r.Input.SHA256 = sha(data)
	}
	return data, err
}

// cacheKey names a resolved file's content for the caches: its key and
// hash (empty while the hash is not known).
func (r *Resolved) cacheKey() string {
	if r.Input.SHA256 == "" {
		return ""
	}
	return r.Input.Key + "@" + r.Input.SHA256
}

// isProblem reports whether err is a problem with an input (a diag error
// or list), not a failure of the store or the file system.
func isProblem(err error) bool {
	var d *diag.Error
	var l diag.List
	return errors.As(err, &d) || errors.As(err, &l)
}

// drafts reads and parses every draft the resolver lists, on every core
// (a store's reads are round trips), and files them in the resolver's
// order; the draft being judged (Options.Candidate) takes the place of
// the one of its chapter and language, or of the file it was read from.
func (a *assembler) drafts(ctx context.Context) error {
	src, cand := a.src, a.opt.Candidate
	list, missing, err := a.res.Drafts(ctx)
	if err != nil {
		return err
	}
	type job struct {
		rv   *Resolved
		data []byte
		ch   *ms.Chapter
		err  error
	}
	var jobs []*job
	for _, rv := range list {
		if cand != nil && (rv.Chapter != "" && rv.Chapter == cand.Meta.Chapter && rv.Lang == cand.Meta.Lang || sameFile(rv.Name, cand.File)) {
			continue
		}
		j := &job{rv: rv}
		if k := rv.cacheKey(); k != "" {
			j.ch = a.opt.Cache.chapter(k)
		}
		jobs = append(jobs, j)
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for w := 0; w < max(runtime.GOMAXPROCS(0), 16); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if j.data, j.err = j.rv.bytes(ctx); j.err != nil {
					continue
				}
				if j.ch = a.opt.Cache.chapter(j.rv.cacheKey()); j.ch == nil {
					j.ch, j.err = parseDraft(j.rv.Name, j.data)
				}
			}
		}()
	}
	for _, j := range jobs {
		if j.ch == nil {
			next <- j
		}
	}
	close(next)
	wg.Wait()
	var errs diag.List
	for _, j := range jobs {
		if j.err != nil {
			var ie *diag.InternalError
			if errors.As(j.err, &ie) || !isProblem(j.err) {
				return j.err // a bug, or the store failed: not a problem of the draft
			}
			errs.Merge(j.err)
			if j.ch == nil {
				// the chapter and language it names, as far as they can be read
				if j.rv.Chapter != "" {
					src.claim(j.rv.Chapter, j.rv.Lang)
				} else {
					src.claim(ms.Claims(j.data))
				}
				continue
			}
			// a draft whose text has problems still holds its place, so
			// that it is not also reported missing
		} else {
			a.opt.Cache.putChapter(j.rv.cacheKey(), j.ch)
		}
		if cand != nil && j.ch.Meta.Chapter == cand.Meta.Chapter && j.ch.Meta.Lang == cand.Meta.Lang {
			continue // the candidate takes the place of this draft
		}
		if e := src.add(j.ch); len(e) > 0 {
			errs = append(errs, e...)
			continue
		}
		src.Inputs = append(src.Inputs, chapterInput(j.ch, j.rv.Input))
	}
	if cand != nil {
		if e := src.add(cand); len(e) > 0 {
			errs = append(errs, e...)
		} else {
			src.Inputs = append(src.Inputs, chapterInput(cand, manifest.Input{Key: cand.File, SHA256: sha(cand.Source)}))
		}
	}
	all := append(diag.WithCode(missing.Err(), CodeMissingChapter), diag.WithCode(errs.Err(), CodeDraft)...)
	return src.keep(a.opt, all.Err(), CodeDraft)
}

// chapterInput records a chapter draft as an input.
func chapterInput(ch *ms.Chapter, in manifest.Input) manifest.Input {
	in.Kind, in.Item, in.Lang = manifest.InChapter, ch.Meta.Chapter, ch.Meta.Lang
	return in
}

// figure reads, for readImages, the image of a figure path through the
// resolver, from the cache when it holds it, and records it.
func (a *assembler) figure(ctx context.Context) func(ref string) ([]byte, string, error) {
	return func(ref string) ([]byte, string, error) {
		rv, hint, err := a.res.Figure(ctx, ref)
		if err != nil {
			return nil, hint, err
		}
		data := a.opt.Cache.image(rv.cacheKey())
		if data == nil {
			if data, err = rv.bytes(ctx); err != nil {
				return nil, hint, err
			}
			a.opt.Cache.putImage(rv.cacheKey(), data)
		}
		a.src.Inputs = append(a.src.Inputs, rv.Input)
		return data, "", nil
	}
}

// datasets reads and parses the datasets the tables name, in name order.
func (a *assembler) datasets(ctx context.Context) error {
	src := a.src
	var errs diag.List
	for _, name := range slices.Sorted(maps.Keys(src.datasetRefs())) {
		ds, err := a.dataset(ctx, name)
		var me *missingError
		switch {
		case errors.As(err, &me):
			src.missingDataset(name, me.where, me.hint)
		case err != nil && !isProblem(err):
			return err
		case err != nil:
			src.brokenDataset(name, err)
			errs.Merge(err)
		default:
			src.Datasets[name] = ds
		}
	}
	return src.keep(a.opt, errs.Err(), CodeDataset)
}

// dataset resolves, reads (unless the cache holds it) and parses one
// dataset, and records its files.
func (a *assembler) dataset(ctx context.Context, name string) (*dataset.Dataset, error) {
	data, dict, err := a.res.Dataset(ctx, name)
	if err != nil {
		return nil, err
	}
	key := data.cacheKey()
	if dict != nil && key != "" && dict.cacheKey() != "" {
		key += "|" + dict.cacheKey()
	}
	ds := a.opt.Cache.dataset(key)
	var raw, rawDict []byte
	if ds == nil || key == "" {
		if raw, err = data.bytes(ctx); err != nil {
			return nil, err
		}
		if dict != nil {
			if rawDict, err = dict.bytes(ctx); err != nil {
				return nil, err
			}
		}
	}
	a.src.DatasetInputs[name] = data.Input
	a.src.Inputs = append(a.src.Inputs, data.Input)
	if dict != nil {
		a.src.DatasetInputs[name+"-indicators"] = dict.Input
		a.src.Inputs = append(a.src.Inputs, dict.Input)
	}
	if ds != nil && key != "" {
		return ds, nil
	}
	if data.Ext == ".xlsx" {
		ds, err = dataset.ReadXLSXContext(ctx, name, data.Name, raw)
	} else {
		ds, err = dataset.ReadCSVContext(ctx, name, data.Name, raw, dict.Name, rawDict)
	}
	if err != nil {
		return nil, err
	}
	key = data.cacheKey()
	if dict != nil {
		key += "|" + dict.cacheKey()
	}
	a.opt.Cache.putDataset(key, ds)
	return ds, nil
}

// bibliography reads and checks the bibliography files the publication
// names into one library; a key given twice, in one file or two, is a
// problem.
func (a *assembler) bibliography(ctx context.Context) error {
	files := a.src.Pub.Bibliography
	if len(files) == 0 {
		return nil
	}
	var errs diag.List
	var all [][]*bib.Entry
	for _, f := range files {
		rv, err := a.res.PubFile(ctx, manifest.InBibliography, f)
		if err != nil {
			if !isProblem(err) {
				return err
			}
			errs.Merge(err)
			continue
		}
		data, err := rv.bytes(ctx)
		if err != nil {
			if !isProblem(err) {
				return err
			}
			errs.Merge(err)
			continue
		}
		a.src.Inputs = append(a.src.Inputs, rv.Input)
		es, err := ParseBibliography(rv.Name, data)
		errs.Merge(err)
		errs.Merge(bib.Check(es))
		all = append(all, es)
	}
	lib, err := bib.NewLibrary(all...)
	errs.Merge(err)
	a.src.Bib = lib
	return a.src.keep(a.opt, errs.Err(), CodeBibliography)
}

// glossary reads the glossary the publication names.
func (a *assembler) glossary(ctx context.Context) error {
	file := a.src.Pub.Glossary
	if file == "" {
		return nil
	}
	rv, err := a.res.PubFile(ctx, manifest.InGlossary, file)
	var data []byte
	if err == nil {
		data, err = rv.bytes(ctx)
	}
	if err != nil {
		if !isProblem(err) {
			return err
		}
		return a.src.keep(a.opt, err, CodeGlossary)
	}
	a.src.Inputs = append(a.src.Inputs, rv.Input)
	g, err := glossary.Parse(rv.Name, data)
	a.src.Glossary = g
	return a.src.keep(a.opt, err, CodeGlossary)
}

// ParseBibliography reads a bibliography file by its extension: BibTeX
// (.bib) or CSL-JSON (.json).
func ParseBibliography(name string, data []byte) ([]*bib.Entry, error) {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return bib.ParseCSLJSON(name, data)
	}
	return bib.ParseBibTeX(name, data)
}

// parseDraft parses a draft; a bug met while parsing it is an internal
// error that names the file or revision, not a crash.
func parseDraft(name string, data []byte) (ch *ms.Chapter, err error) {
	defer func() {
		if r := recover(); r != nil {
			ch, err = nil, diag.Recovered(r, name)
		}
	}()
	return parseDraftFunc(name, data)
}

// parseDraftFunc parses a draft; tests replace it to meet a bug.
var parseDraftFunc = ms.Parse

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// dirResolver finds a publication's inputs in its directory: every *.md
// draft below it (matched to chapters by their front matter, so files may
// be named and arranged freely), figures under figures/, datasets in
// DIR/datasets/ or datasets/<pub>/ of the repository layout (chapters/<pub>/
// beside datasets/<pub>/), and tracker workbooks in DIR/activities/ or
// datasets/<plan>/. Every file is read through safedir: regular files
// inside those directories only, within the size limits of submissions.
// Nothing is looked up relative to the working directory.
type dirResolver struct {
	dir  string
	root *safedir.Dir
	pub  *publication.Publication

	once  sync.Once
	roots []*safedir.Dir // the dataset directories that exist
}

func (d *dirResolver) datasetDirs() []string {
	return []string{filepath.Join(d.dir, "datasets"), filepath.Join(d.dir, "..", "..", "datasets", d.pub.ID)}
}

func (d *dirResolver) close() {
	closeRoots(d.roots)
}

func (d *dirResolver) Drafts(ctx context.Context) ([]*Resolved, diag.List, error) {
	var rels []string
	err := fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(p, ".md") && !strings.EqualFold(e.Name(), "README.md") {
			rels = append(rels, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read drafts: %w", err)
	}
	out := make([]*Resolved, len(rels))
	for i, rel := range rels {
		name := d.root.Name(rel)
		out[i] = &Resolved{Name: name, Input: manifest.Input{Key: name}, read: func(context.Context) ([]byte, error) {
			data, err := d.root.ReadFile(rel, drafts.MaxDraftSize, "draft")
			if errors.Is(err, fs.ErrNotExist) {
				return nil, diag.At(name, 0, "the draft disappeared while the build read the directory", "build again")
			}
			return data, err
		}}
	}
	// filed in the order of their paths, so that reports are stable
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil, nil
}

func (d *dirResolver) Figure(ctx context.Context, ref string) (*Resolved, string, error) {
	hint := "put the image under figures/ in the publication directory (PNG or JPEG)"
	data, err := d.root.ReadFile(ref, drafts.MaxFigureSize, "figure")
	if err != nil {
		return nil, hint, err
	}
	return &Resolved{Name: d.root.Name(ref), Input: manifest.Input{Kind: manifest.InFigure, Item: ref, Key: filepath.Join(d.dir, filepath.FromSlash(ref)), SHA256: sha(data)},
		read: func(context.Context) ([]byte, error) { return data, nil }}, "", nil
}

func (d *dirResolver) Dataset(ctx context.Context, name string) (*Resolved, *Resolved, error) {
	d.once.Do(func() { d.roots = openRoots(d.datasetDirs()) })
	file := func(r *safedir.Dir, rel, item, what string) (*Resolved, error) {
		data, err := r.ReadFile(rel, drafts.MaxDatasetSize, what)
		if err != nil {
			return nil, err
		}
		return &Resolved{Name: r.Name(rel), Ext: path.Ext(rel), Input: manifest.Input{Kind: manifest.InDataset, Item: item, Key: r.Name(rel), SHA256: sha(data)},
			read: func(context.Context) ([]byte, error) { return data, nil }}, nil
	}
	for _, r := range d.roots {
		x, c := name+".xlsx", name+".csv"
		if rv, err := file(r, x, name, "dataset"); !errors.Is(err, fs.ErrNotExist) {
			return rv, nil, err
		}
		rv, err := file(r, c, name, "dataset")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		dictRel := name + drafts.DictionarySuffix
		dict, err := file(r, dictRel, name+"-indicators", "indicator dictionary")
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, diag.At(r.Name(c), 0, "no indicator dictionary beside it", "add "+dictRel)
		}
		return rv, dict, err
	}
	return nil, nil, &missingError{where: "it is not in " + strings.Join(d.datasetDirs(), ", "), hint: "put " + name + ".xlsx or " + name + ".csv there, or correct the name"}
}

// Activities reads the tracker workbooks (*.xlsx) of DIR/activities/, or
// else of datasets/<plan>/; none means nothing is recorded yet.
func (d *dirResolver) Activities(ctx context.Context, reg *activity.Register) ([]activity.Record, []manifest.Input, error) {
	roots := openRoots([]string{filepath.Join(d.dir, "activities"), filepath.Join(d.dir, "..", "..", "datasets", reg.ID)})
	defer closeRoots(roots)
	for _, r := range roots {
		files, _ := fs.Glob(r.FS(), "*.xlsx")
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		var errs diag.List
		var recs []activity.Record
		var inputs []manifest.Input
		for _, rel := range files {
			f := r.Name(rel)
			data, err := r.ReadFile(rel, drafts.MaxDatasetSize, "activity tracker")
			if err != nil {
				errs.Merge(err)
				continue
			}
			got, err := activity.ReadTracker(f, data, reg, time.Now().UTC())
			if err != nil {
				errs.Merge(err)
				continue
			}
			for i := range got {
				got[i].Seq = len(recs) // the order of recording, across workbooks
				recs = append(recs, got[i])
			}
			inputs = append(inputs, manifest.Input{Kind: manifest.InActivities, Item: filepath.Base(f), Key: f, SHA256: sha(data)})
		}
		return recs, inputs, errs.Err()
	}
	return nil, nil, nil
}

// PubFile reads a file of the publication's directory that
// publication.yaml names.
func (d *dirResolver) PubFile(ctx context.Context, kind, file string) (*Resolved, error) {
	pf := pubFiles[kind]
	data, err := d.root.ReadFile(file, pf.limit, pf.field)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, diag.At(d.pub.File, 0, fmt.Sprintf("%s %q is not in %s", pf.field, file, d.dir), "put the file beside publication.yaml, or correct its name under "+pf.field+":")
	}
	if err != nil {
		return nil, err
	}
	name, _ := publication.BibliographyName(file)
	return &Resolved{Name: d.root.Name(file), Input: manifest.Input{Kind: kind, Item: name, Key: d.root.Name(file), SHA256: sha(data)},
		read: func(context.Context) ([]byte, error) { return data, nil }}, nil
}

// storeResolver finds a publication's inputs in the store. Which revision
// of a chapter a build takes is the policy's (drafts.Accepted for a
// release, drafts.Latest for a preview), or, when pins are set (a rebuild
// from a manifest), exactly the revision each pin names. Figures and
// datasets are taken in their latest revision, or pinned.
type storeResolver struct {
	r      *drafts.Repo
	pub    *publication.Publication
	pubIn  manifest.Input
	policy drafts.Policy
	pins   map[string]manifest.Input    // nil unless pinned
	all    map[string][]drafts.Revision // every revision of the publication, unless pinned
	cache  *RevisionCache               // the builder's disk cache of revisions
}

// revision makes a resolved file of a stored revision.
func (s *storeResolver) revision(rv drafts.Revision, kind, item, lang string) *Resolved {
	return &Resolved{Name: rv.Name(), Ext: rv.Ext, Input: manifest.Input{Kind: kind, Item: item, Lang: lang, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256},
		read: func(ctx context.Context) ([]byte, error) { return readRevision(ctx, s.r, s.cache, rv) }}
}

// pinned returns the revision the pins give for an input.
func (s *storeResolver) pinned(kind, item, lang string) (drafts.Revision, bool) {
	in, ok := s.pins[pinOf(manifest.Input{Kind: kind, Item: item, Lang: lang})]
	if !ok {
		return drafts.Revision{}, false
	}
	return drafts.Revision{ID: in.Rev, Key: in.Key, SHA256: in.SHA256, Ext: path.Ext(in.Key), Pub: s.pub.ID, Item: item, Lang: lang}, true
}

func (s *storeResolver) Drafts(ctx context.Context) ([]*Resolved, diag.List, error) {
	pub := s.pub
	var out []*Resolved
	var missing diag.List
	for _, id := range pub.Chapters {
		for _, lang := range pub.Languages {
			rv, err := s.draft(ctx, id, lang)
			switch {
			case err != nil && !isProblem(err):
				return nil, nil, err
			case err != nil:
				missing.Merge(err)
			default:
				r := s.revision(rv, manifest.InChapter, id, lang)
				r.Chapter, r.Lang = id, lang
				out = append(out, r)
			}
		}
	}
	return out, missing, nil
}

// draft is the revision of chapter id in lang the build takes.
func (s *storeResolver) draft(ctx context.Context, id, lang string) (drafts.Revision, error) {
	pub := s.pub
	if s.pins != nil {
		rv, ok := s.pinned(manifest.InChapter, id, lang)
		if !ok {
			return rv, diag.At(s.pubIn.Key, pub.ChapterLine[id], fmt.Sprintf("the build's inputs name no %s revision of chapter %q", lang, id), "")
		}
		return rv, nil
	}
	revs := s.all[drafts.Chapters+"/"+id+"/"+lang]
	if len(revs) == 0 {
		return drafts.Revision{}, diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q has no %s draft in the store", id, lang),
			"the author submits it with: aceo submit chapter FILE")
	}
	var reviews []drafts.Review
	if s.policy != drafts.Latest {
		var err error
		if reviews, err = s.r.Reviews(ctx, pub.ID, id, lang); err != nil {
			return drafts.Revision{}, err
		}
	}
	rv := drafts.Choose(s.policy, revs, reviews)
	if rv == nil {
		return drafts.Revision{}, diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q (%s) has no accepted revision", id, lang),
			fmt.Sprintf("an editor accepts one with: aceo review accept --lang %s %s %s %s, or build with --preview", lang, pub.ID, id, revs[len(revs)-1].ID))
	}
	return *rv, nil
}

// latest is the revision of a figure or dataset the build takes: pinned,
// or the latest submitted.
func (s *storeResolver) latest(kind, sub, name, hint string) (drafts.Revision, error) {
	if s.pins != nil {
		rv, ok := s.pinned(kind, name, "")
		if !ok {
			return rv, diag.At(s.pubIn.Key, 0, fmt.Sprintf("the build's inputs name no revision of %s %q", kind, name), "")
		}
		return rv, nil
	}
	revs := s.all[sub+"/"+name]
	if len(revs) == 0 {
		return drafts.Revision{}, diag.At(s.pub.File, 0, fmt.Sprintf("%s %q is used but not in the store", kind, name), hint)
	}
	return revs[len(revs)-1], nil
}

func (s *storeResolver) Figure(ctx context.Context, ref string) (*Resolved, string, error) {
	name := strings.TrimSuffix(path.Base(ref), path.Ext(ref))
	hint := "submit it with: aceo submit figure --pub " + s.pub.ID + " " + path.Base(ref)
	rv, err := s.latest(manifest.InFigure, drafts.Figures, name, "")
	if err != nil {
		return nil, hint, err
	}
	return s.revision(rv, manifest.InFigure, name, ""), "", nil
}

func (s *storeResolver) Dataset(ctx context.Context, name string) (*Resolved, *Resolved, error) {
	hint := "submit it with: aceo submit dataset --pub " + s.pub.ID + " " + name + ".xlsx"
	if s.pins == nil && len(s.all[drafts.Datasets+"/"+name]) == 0 {
		return nil, nil, &missingError{where: "it is not in the store", hint: hint}
	}
	rv, err := s.latest(manifest.InDataset, drafts.Datasets, name, hint)
	if err != nil {
		return nil, nil, err
	}
	data := s.revision(rv, manifest.InDataset, name, "")
	if rv.Ext == ".xlsx" {
		return data, nil, nil
	}
	drv, err := s.latest(manifest.InDataset, drafts.Datasets, name+"-indicators", hint)
	if err != nil {
		return nil, nil, err
	}
	return data, s.revision(drv, manifest.InDataset, name+"-indicators", ""), nil
}

// Activities reads every batch of records in the store, or the pinned
// batches.
func (s *storeResolver) Activities(ctx context.Context, reg *activity.Register) ([]activity.Record, []manifest.Input, error) {
	log := &activity.Log{Store: s.r.Store}
	var recs []activity.Record
	var batches []activity.Batch
	var err error
	if s.pins != nil {
		var keys []string
		for _, in := range pinsOf(s.pins, manifest.InActivities) {
			keys = append(keys, in.Key)
		}
		recs, batches, err = log.ReadBatches(ctx, keys)
	} else {
		recs, batches, err = log.Records(ctx)
	}
	if err != nil {
		return nil, nil, err
	}
	var inputs []manifest.Input
	for _, b := range batches {
		inputs = append(inputs, manifest.Input{Kind: manifest.InActivities, Item: b.ID, Key: b.Key, Rev: b.ID, SHA256: b.SHA256})
	}
	return recs, inputs, nil
}

// PubFile is the latest revision of a file the publication names,
// submitted under its name, or the pinned one.
func (s *storeResolver) PubFile(ctx context.Context, kind, file string) (*Resolved, error) {
	pf := pubFiles[kind]
	name, ext := publication.BibliographyName(file)
	rv, err := s.latest(kind, pf.sub, name, "submit it with: aceo submit "+pf.field+" --pub "+s.pub.ID+" "+file)
	if err != nil {
		return nil, err
	}
	if rv.Ext != ext {
		return nil, diag.At(s.pub.File, 0, fmt.Sprintf("%s %q is in the store as %s%s", pf.field, file, name, rv.Ext), "name it "+name+rv.Ext+" under "+pf.field+":, or submit "+file)
	}
	r := s.revision(rv, kind, name, "")
	r.Name = file // as the authors know it; its problems are at its lines
	return r, nil
}
