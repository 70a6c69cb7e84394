package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

func pinOf(in manifest.Input) string { return in.Kind + "/" + in.Item + "/" + in.Lang }

// FromStore assembles a publication from the store: for a release build
// the accepted revision of every chapter in every language, for a
// preview the latest; figures and datasets in their latest revision, and
// every batch of activity records. It returns the sources and the
// revisions used (also in Sources.Inputs).
func FromStore(ctx context.Context, r *drafts.Repo, pubID string, preview bool, opt Options) (*Sources, []manifest.Input, error) {
	// the definition and the listing of every revision, side by side: on a
	// remote store each is a round trip
	type listing struct {
		all map[string][]drafts.Revision
		err error
	}
	lc := make(chan listing, 1)
	go func() {
		all, err := r.AllRevisions(ctx, pubID)
		lc <- listing{all, err}
	}()
	pub, rv, err := r.PublicationSource(ctx, pubID)
	if err != nil {
		return nil, nil, err
	}
	// the fonts are parsed while the listing runs on the server
	preloadFonts(pub, opt)
	l := <-lc
	if l.err != nil {
		return nil, nil, l.err
	}
	src, err := fromStoreWith(ctx, r, pub, manifest.Input{Kind: manifest.InPublication, Item: pub.ID, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256}, preview, nil, l.all, opt)
	if err != nil {
		return nil, nil, err
	}
	return src, src.Inputs, nil
}

// FromInputs assembles a publication from exactly the stored revisions
// listed (a build's manifest), whatever was submitted or accepted since.
func FromInputs(ctx context.Context, r *drafts.Repo, inputs []manifest.Input, opt Options) (*Sources, error) {
	pins := map[string]manifest.Input{}
	var pubIn *manifest.Input
	for i, in := range inputs {
		pins[pinOf(in)] = in
		if in.Kind == manifest.InPublication {
			pubIn = &inputs[i]
		}
	}
	if pubIn == nil {
		return nil, fmt.Errorf("the inputs name no publication definition")
	}
	pub, err := r.PublicationAt(ctx, pubIn.Key, pubIn.SHA256)
	if err != nil {
		return nil, err
	}
	return fromStore(ctx, r, pub, *pubIn, false, pins, opt)
}

// fromStore reads the drafts of pub: pinned to the given revisions when
// pins is set, else the accepted (or, preview, the latest) ones.
func fromStore(ctx context.Context, r *drafts.Repo, pub *publication.Publication, pubIn manifest.Input, preview bool, pins map[string]manifest.Input, opt Options) (*Sources, error) {
	return fromStoreWith(ctx, r, pub, pubIn, preview, pins, nil, opt)
}

// fromStoreWith is fromStore with the listing of every revision already
// made (nil: list them now, unless pinned).
func fromStoreWith(ctx context.Context, r *drafts.Repo, pub *publication.Publication, pubIn manifest.Input, preview bool, pins map[string]manifest.Input, all map[string][]drafts.Revision, opt Options) (*Sources, error) {
	if all == nil {
		preloadFonts(pub, opt)
	}
	src := &Sources{Pub: pub, Chapters: map[string]map[string]*ms.Chapter{}, Images: map[string]*typeset.Image{}, Datasets: map[string]*dataset.Dataset{}, DatasetInputs: map[string]manifest.Input{}}
	src.Inputs = append(src.Inputs, pubIn)
	// pinned returns the revision the pins give for an input.
	pinned := func(kind, item, lang, ext string) (drafts.Revision, bool) {
		in, ok := pins[pinOf(manifest.Input{Kind: kind, Item: item, Lang: lang})]
		if !ok {
			return drafts.Revision{}, false
		}
		return drafts.Revision{ID: in.Rev, Key: in.Key, SHA256: in.SHA256, Ext: path.Ext(in.Key), Pub: pub.ID, Item: item, Lang: lang}, true
	}
	// every revision of the publication in one listing (a rebuild from a
	// manifest needs none: its revisions are named)
	if pins == nil && all == nil {
		var err error
		if all, err = r.AllRevisions(ctx, pub.ID); err != nil {
			return nil, err
		}
	}
	// the activity records, while the drafts are read
	type records struct {
		recs    []activity.Record
		batches []activity.Batch
		err     error
	}
	rc := make(chan records, 1)
	if len(pub.Appendices) > 0 {
		go func() {
			log := &activity.Log{Store: r.Store}
			var x records
			if pins != nil {
				var keys []string
				for _, in := range pinsOf(pins, manifest.InActivities) {
					keys = append(keys, in.Key)
				}
				x.recs, x.batches, x.err = log.ReadBatches(ctx, keys)
			} else {
				x.recs, x.batches, x.err = log.Records(ctx)
			}
			rc <- x
		}()
	}
	type job struct {
		id, lang string
		rv       drafts.Revision
		ch       *ms.Chapter
		err      error
	}
	var jobs []*job
	var errs diag.List
	cand := opt.Candidate
	if cand != nil {
		errs = append(errs, diag.WithCode(intake.Membership(pub, cand), CodeDraft)...)
	}
	for _, id := range pub.Chapters {
		for _, lang := range pub.Languages {
			if cand != nil && cand.Meta.Chapter == id && cand.Meta.Lang == lang {
				// the draft being judged takes the place of the stored one
				if src.Chapters[id] == nil {
					src.Chapters[id] = map[string]*ms.Chapter{}
				}
				src.Chapters[id][lang] = cand
				continue
			}
			var rv drafts.Revision
			if pins != nil {
				var ok bool
				if rv, ok = pinned(manifest.InChapter, id, lang, ".md"); !ok {
					errs.Add(diag.At(pubIn.Key, pub.ChapterLine[id], fmt.Sprintf("the build's inputs name no %s revision of chapter %q", lang, id), ""))
					continue
				}
			} else {
				revs := all[drafts.Chapters+"/"+id+"/"+lang]
				switch {
				case len(revs) == 0:
					errs.Add(diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q has no %s draft in the store", id, lang),
						"the author submits it with: aceo submit chapter FILE"))
					continue
				case preview:
					rv = revs[len(revs)-1]
				default:
					reviews, err := r.Reviews(ctx, pub.ID, id, lang)
					if err != nil {
						return nil, err
					}
					// the newest accepted revision, in submission order
					acc := drafts.NewestAccepted(revs, reviews)
					for _, x := range revs {
						if x.ID == acc {
							rv = x
						}
					}
					if acc == "" {
						errs.Add(diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q (%s) has no accepted revision", id, lang),
							fmt.Sprintf("an editor accepts one with: aceo review accept --lang %s %s %s %s, or build with --preview", lang, pub.ID, id, revs[len(revs)-1].ID)))
						continue
					}
				}
			}
			jobs = append(jobs, &job{id: id, lang: lang, rv: rv, ch: opt.Cache.chapter(rv.Key)})
		}
	}
	// read and parse the drafts not cached, several at a time: on a remote
	// store each read is a round trip
	next := make(chan *job)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				data, err := readRevision(ctx, r, opt.Revisions, j.rv)
				if err != nil {
					j.err = err
					continue
				}
				j.ch, j.err = parseDraft(j.rv.Name(), data)
				if j.err != nil {
					j.ch = nil // a stored draft with problems is reported, not built
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
	for _, j := range jobs {
		if j.err != nil {
			var d *diag.Error
			var l diag.List
			if !errors.As(j.err, &d) && !errors.As(j.err, &l) {
				return nil, j.err // the store failed, not the draft
			}
			errs = append(errs, diag.WithCode(j.err, CodeDraft)...)
			src.claim(j.id, j.lang)
			continue
		}
		opt.Cache.putChapter(j.rv.Key, j.ch)
		if src.Chapters[j.id] == nil {
			src.Chapters[j.id] = map[string]*ms.Chapter{}
		}
		src.Chapters[j.id][j.lang] = j.ch
		src.Inputs = append(src.Inputs, manifest.Input{Kind: manifest.InChapter, Item: j.id, Lang: j.lang, Key: j.rv.Key, Rev: j.rv.ID, SHA256: j.rv.SHA256})
	}
	if err := src.keep(opt, errs.Err(), CodeMissingChapter); err != nil {
		return nil, err
	}
	// latest gives the revision of a figure or dataset: pinned, or the
	// latest submitted.
	latest := func(kind, sub, name, hint string) (drafts.Revision, []byte, error) {
		var rv drafts.Revision
		if pins != nil {
			var ok bool
			if rv, ok = pinned(kind, name, "", ""); !ok {
				return rv, nil, diag.At(pubIn.Key, 0, fmt.Sprintf("the build's inputs name no revision of %s %q", kind, name), "")
			}
		} else {
			revs := all[sub+"/"+name]
			if len(revs) == 0 {
				return rv, nil, diag.At(pub.File, 0, fmt.Sprintf("%s %q is used but not in the store", kind, name), hint)
			}
			rv = revs[len(revs)-1]
		}
		if data := opt.Cache.image(rv.Key); data != nil {
			src.Inputs = append(src.Inputs, manifest.Input{Kind: kind, Item: name, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256})
			return rv, data, nil
		}
		data, err := readRevision(ctx, r, opt.Revisions, rv)
		if err == nil {
			src.Inputs = append(src.Inputs, manifest.Input{Kind: kind, Item: name, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256})
			if kind == manifest.InFigure {
				opt.Cache.putImage(rv.Key, data)
			}
		}
		return rv, data, err
	}
	err := src.readImages(func(ref string) ([]byte, string, error) {
		name := strings.TrimSuffix(path.Base(ref), path.Ext(ref))
		_, data, err := latest(manifest.InFigure, drafts.Figures, name, "")
		if err != nil {
			return nil, "submit it with: aceo submit figure --pub " + pub.ID + " " + path.Base(ref), err
		}
		return data, "", nil
	})
	if err := src.keep(opt, err, CodeFigure); err != nil {
		return nil, err
	}
	for _, name := range sortedNames(src.datasetRefs()) {
		hint := "submit it with: aceo submit dataset --pub " + pub.ID + " " + name + ".xlsx"
		if pins == nil && len(all[drafts.Datasets+"/"+name]) == 0 {
			// the tables that name it say so at their lines
			src.missingDataset(name, "it is not in the store", hint)
			continue
		}
		rv, data, err := latest(manifest.InDataset, drafts.Datasets, name, hint)
		if err != nil {
			if err := src.keep(opt, err, CodeDataset); err != nil {
				return nil, err
			}
			continue
		}
		ds := opt.Cache.dataset(rv.Key)
		switch {
		case ds != nil:
		case rv.Ext == ".xlsx":
			ds, err = dataset.ReadXLSXContext(ctx, name, rv.Name(), data)
		default:
			drv, dict, derr := latest(manifest.InDataset, drafts.Datasets, name+"-indicators", hint)
			if derr != nil {
				if err := src.keep(opt, derr, CodeDataset); err != nil {
					return nil, err
				}
				continue
			}
			if ds = opt.Cache.dataset(rv.Key + "|" + drv.Key); ds == nil {
				ds, err = dataset.ReadCSVContext(ctx, name, rv.Name(), data, drv.Name(), dict)
				if err == nil {
					opt.Cache.putDataset(rv.Key+"|"+drv.Key, ds)
				}
			}
		}
		if err == nil && rv.Ext == ".xlsx" {
			opt.Cache.putDataset(rv.Key, ds)
		}
		if err != nil {
			src.brokenDataset(name, err)
			if err := src.keep(opt, err, CodeDataset); err != nil {
				return nil, err
			}
			continue
		}
		src.Datasets[name] = ds
		src.DatasetInputs[name] = manifest.Input{Kind: manifest.InDataset, Item: name, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256}
	}
	if len(pub.Appendices) > 0 {
		reg, err := activity.LoadRegister(orDefault(opt.Templates), pub.Plan)
		if err != nil {
			return nil, err
		}
		x := <-rc
		recs, batches := x.recs, x.batches
		if x.err != nil {
			return nil, x.err
		}
		src.Register, src.Records = reg, recs
		for _, b := range batches {
			in := manifest.Input{Kind: manifest.InActivities, Item: b.ID, Key: b.Key, Rev: b.ID, SHA256: b.SHA256}
			src.ActivityInputs = append(src.ActivityInputs, in)
			src.Inputs = append(src.Inputs, in)
		}
	}
	return src, nil
}

// preloadFonts starts parsing the primary fonts of pub's template in the
// background; the renderer takes them when it needs them.
func preloadFonts(pub *publication.Publication, opt Options) {
	if opt.Fonts != nil && opt.Templates != nil {
		if t, err := typeset.LoadTemplate(opt.Templates, pub.Template); err == nil {
			go opt.Fonts.Preload(t.PrimaryFontFiles())
		}
	}
}

// readRevision reads a revision from the builder's revision cache, or
// from the store (and keeps it in the cache).
func readRevision(ctx context.Context, r *drafts.Repo, c *RevisionCache, rv drafts.Revision) ([]byte, error) {
	// the name of a revision is the hash of its content: the cache is
	// keyed by it, and Get checks the bytes against it
	name := strings.TrimSuffix(path.Base(rv.Key), path.Ext(rv.Key))
	if data := c.Get(name); data != nil {
		return data, nil
	}
	data, err := r.Read(ctx, rv) // checked against its name
	if err == nil {
		c.Put(name, data)
	}
	return data, err
}

// pinsOf lists the pinned inputs of one kind, by key.
func pinsOf(pins map[string]manifest.Input, kind string) []manifest.Input {
	var out []manifest.Input
	for _, in := range pins {
		if in.Kind == kind {
			out = append(out, in)
		}
	}
	manifest.SortInputs(out)
	return out
}

// OutputFiles lists a build's files: a PDF per edition, then the data
// annex when there is one.
func OutputFiles(src *Sources, outs []Output, annex []byte) []manifest.File {
	var files []manifest.File
	for _, o := range outs {
		files = append(files, manifest.File{Name: FileName(src.Pub, o.Lang), Lang: o.Lang, Pages: o.Pages, ContentType: "application/pdf", Data: o.PDF})
	}
	if annex != nil {
		files = append(files, manifest.File{Name: AnnexName(src.Pub.ID), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: annex})
	}
	return files
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// parseDraft parses a stored draft; a bug met while parsing it is an
// internal error that names the revision, not a crash.
func parseDraft(name string, data []byte) (ch *ms.Chapter, err error) {
	defer func() {
		if r := recover(); r != nil {
			ch, err = nil, diag.Recovered(r, name)
		}
	}()
	return ms.Parse(name, data)
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
