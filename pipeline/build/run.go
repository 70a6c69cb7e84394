package build

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/progress"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// Request is one build: of a directory (Dir), or of publication Pub from
// the store (Repo), a release or a preview.
type Request struct {
	Dir     string
	Repo    *drafts.Repo
	Pub     string
	Preview bool   // store: latest revisions; both: render despite errors, marked DRAFT
	AsOf    string // overrides the publication's as_of
	Keep    bool   // store the outputs and manifest under builds/ (store builds)
	// OnPreflight, when set, is given the preflight report before
	// anything is rendered.
	OnPreflight func(*Report)
	// Chapter, when set, makes a preview of that chapter alone (Preview
	// must be set): the whole publication is loaded and numbered, so that
	// references to other chapters print their numbers, but only the
	// chapter is typeset, with no cover or contents, and nothing else is
	// made or stored. The report is the problems of the chapter's drafts.
	Chapter string
	Options
}

// Result is what a build made.
type Result struct {
	ID       string
	Mode     string // release, preview, directory
	Sources  *Sources
	Report   *Report
	Outputs  []Output
	Files    []manifest.File // PDFs then the data annex
	Manifest *manifest.Manifest
}

// Run loads the sources leniently, runs the preflight, and unless it
// found errors in a release build, renders the editions, makes the data
// annex and the manifest, and (Keep) stores them. A release build with
// preflight errors returns the result with its report and the report's
// error, having rendered nothing.
func Run(ctx context.Context, req Request) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			what := req.Dir
			if what == "" {
				what = "publication " + req.Pub
			}
			res, err = nil, diag.Recovered(r, "a build of "+what)
		}
	}()
	r := &run{req: req, opt: req.Options, prog: req.Options.Progress}
	if r.prog == nil {
		r.prog = progress.Nop{}
	}
	res = &Result{Mode: "directory"}
	if err := r.load(ctx, res); err != nil {
		return nil, err
	}
	src := res.Sources
	r.prog.Stage("preflight")
	t0 := time.Now()
	rep, eds, err := Preflight(src, r.opt, res.Mode)
	if err != nil {
		return nil, err
	}
	res.Report = rep
	r.stage("preflight", t0)
	if req.Chapter != "" {
		if rep, err = excerpt(src, req, eds, rep); err != nil {
			return nil, err
		}
		res.Report = rep
	}
	if req.OnPreflight != nil {
		req.OnPreflight(rep)
	}
	if !rep.OK() && !req.Preview {
		return res, rep.Err()
	}
	var drep *Report
	if req.Preview {
		drep = rep
	}
	langs := r.opt.Languages
	if len(langs) == 0 {
		langs = src.Pub.Languages
	}
	r.prog.Stage("render " + strings.Join(langs, ", "))
	t0 = time.Now()
	if res.Outputs, err = BuildEditions(src, r.opt, eds, langs, drep); err != nil {
		return nil, err
	}
	r.stage("render", t0)
	if req.Chapter != "" {
		for _, o := range res.Outputs {
			res.Files = append(res.Files, manifest.File{Name: fmt.Sprintf("%s-%s-%s.pdf", src.Pub.ID, req.Chapter, o.Lang), Lang: o.Lang, Data: o.PDF, Pages: o.Pages})
		}
		res.Mode = "chapter preview"
		return res, nil
	}
	for _, o := range res.Outputs {
		r.timings = append(r.timings, manifest.Timing{Stage: "render " + o.Lang, MS: float64(o.Elapsed.Microseconds()) / 1000})
	}
	if err := r.finish(ctx, res); err != nil {
		return nil, err
	}
	return res, nil
}

// run is the state of one Run: its request, and the time each stage took.
type run struct {
	req     Request
	opt     Options
	prog    progress.Reporter
	timings []manifest.Timing
}

func (r *run) stage(name string, since time.Time) {
	r.timings = append(r.timings, manifest.Timing{Stage: name, MS: float64(time.Since(since).Microseconds()) / 1000})
}

// load loads the sources leniently (the preflight reports every problem
// at once), from the directory or the store, and applies --as-of.
func (r *run) load(ctx context.Context, res *Result) error {
	start := time.Now()
	req := r.req
	lopt := r.opt
	lopt.Lenient = true
	var err error
	if req.Dir != "" {
		r.prog.Stage("load " + req.Dir)
		res.Sources, err = Load(req.Dir, lopt)
	} else {
		r.prog.Stage("load " + req.Pub)
		res.Mode = "release"
		if req.Preview {
			res.Mode = "preview"
		}
		res.Sources, _, err = FromStore(ctx, req.Repo, req.Pub, req.Preview, lopt)
	}
	if err != nil {
		return err
	}
	r.stage("load", start)
	if req.AsOf != "" {
		if _, err := time.Parse("2006-01-02", req.AsOf); err != nil {
			return fmt.Errorf("--as-of %q is not a date: write it as YYYY-MM-DD", req.AsOf)
		}
		res.Sources.Pub.AsOf = req.AsOf
	}
	return nil
}

// finish makes the data annex, names the build, stores its files (Keep)
// and writes its manifest.
func (r *run) finish(ctx context.Context, res *Result) error {
	req, src := r.req, res.Sources
	r.prog.Stage("data annex")
	t0 := time.Now()
	annex, err := Annex(src, r.opt, res.Outputs)
	if err != nil {
		return err
	}
	r.stage("annex", t0)
	res.Files = OutputFiles(src, res.Outputs, annex)
	now := time.Now().UTC()
	if req.Repo != nil {
		now = req.Repo.Time()
	}
	res.ID = manifest.ID(now, res.Mode, res.Files)
	keep := req.Keep && req.Repo != nil
	var keys []string
	if keep {
		r.prog.Stage("store in " + req.Repo.Store.String())
		t0 = time.Now()
		if keys, err = manifest.StoreFiles(ctx, req.Repo.Store, src.Pub.ID, res.ID, res.Files, r.prog); err != nil {
			return err
		}
		r.stage("store", t0)
	}
	m, err := NewManifest(res.ID, res.Mode, now, src, r.opt, res.Files, r.timings)
	if err != nil {
		return err
	}
	m.Preflight = res.Report
	for i := range keys {
		m.Outputs[i].Key = keys[i]
	}
	if keep {
		if _, err := manifest.Store(ctx, req.Repo.Store, m); err != nil {
			return err
		}
	}
	res.Manifest = m
	return nil
}

// excerpt keeps, in every edition, the chapter req.Chapter alone (a
// chapter of the publication or one of its appendices) and marks the
// editions as excerpts; the report keeps the problems of that chapter's
// drafts. Numbers and references were resolved over the whole
// publication before.
func excerpt(src *Sources, req Request, eds map[string]*typeset.Edition, rep *Report) (*Report, error) {
	id := req.Chapter
	if !req.Preview {
		return nil, fmt.Errorf("--chapter makes a preview of one chapter: add --preview")
	}
	ids := append(append([]string(nil), src.Pub.Chapters...), src.Pub.Appendices...)
	if !slices.Contains(ids, id) {
		if near := diag.Nearest(id, ids); near != "" {
			return nil, fmt.Errorf("publication %s has no chapter %q; did you mean %q?", src.Pub.ID, id, near)
		}
		return nil, fmt.Errorf("publication %s has no chapter %q: its chapters are %s", src.Pub.ID, id, strings.Join(ids, ", "))
	}
	for _, ed := range eds {
		var keep []*ms.Chapter
		for _, ch := range ed.Chapters {
			if ch.Meta.Chapter == id || (ch.Appendix != "" && ch.Meta.Chapter == "appendix-"+id) {
				keep = append(keep, ch)
			}
		}
		ed.Chapters, ed.Excerpt = keep, true
	}
	files := map[string]bool{}
	for _, ch := range src.Chapters[id] {
		files[ch.File] = true
	}
	mine := func(ps []Problem) []Problem {
		out := []Problem{}
		for _, p := range ps {
			if files[p.File] {
				out = append(out, p)
			}
		}
		return out
	}
	return &Report{Publication: rep.Publication, Mode: rep.Mode, Errors: mine(rep.Errors), Warnings: mine(rep.Warnings)}, nil
}
