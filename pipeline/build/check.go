package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Verdict is the judgement of one chapter draft in the context of its
// publication: the problems a build's preflight attributes to it.
type Verdict struct {
	File     string      `json:"file"`
	Chapter  *ms.Chapter `json:"-"` // nil when the draft cannot be parsed
	Errors   []Problem   `json:"errors"`
	Warnings []Problem   `json:"warnings"`
}

// OK reports whether the draft may be submitted: no error.
func (v *Verdict) OK() bool { return len(v.Errors) == 0 }

// Err is nil for an acceptable draft, else the errors as a diag.List.
func (v *Verdict) Err() error {
	var l diag.List
	for _, p := range v.Errors {
		l.Add(p.Diag())
	}
	return l.Err()
}

// In returns the verdict with its messages and hints in lang (en, zh).
func (v *Verdict) In(lang string) *Verdict {
	c := *v
	c.Errors, c.Warnings = problemsIn(lang, v.Errors), problemsIn(lang, v.Warnings)
	return &c
}

// In returns the problem with its message and hint in lang (en, zh).
func (p Problem) In(lang string) Problem {
	p.Message, p.Hint = diag.Translate(lang, p.Message), diag.Translate(lang, p.Hint)
	return p
}

// In returns the report with its messages and hints in lang (en, zh).
func (r *Report) In(lang string) *Report {
	c := *r
	c.Errors, c.Warnings = problemsIn(lang, r.Errors), problemsIn(lang, r.Warnings)
	return &c
}

func problemsIn(lang string, ps []Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = p.In(lang)
	}
	return out
}

// Diag turns a problem back into a diag.Error.
func (p Problem) Diag() *diag.Error {
	e := &diag.Error{File: p.File, Line: p.Line, Col: p.Col, Cell: p.Cell, Msg: p.Message, Hint: p.Hint, Code: p.Code}
	if e.File == "" {
		e.File = p.Where
	}
	return e
}

// PublicationDir finds the publication directory a file belongs to: the
// nearest folder, the file's own or a parent, that holds a
// publication.yaml. It returns "" when there is none.
func PublicationDir(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return ""
	}
	for dir := filepath.Dir(abs); ; {
		if st, err := os.Stat(filepath.Join(dir, "publication.yaml")); err == nil && st.Mode().IsRegular() {
			// as the file was named: relative names stay relative, so
			// that messages name files as the author typed them
			if !filepath.IsAbs(file) {
				if wd, err := os.Getwd(); err == nil {
					if rel, err := filepath.Rel(wd, dir); err == nil {
						return rel
					}
				}
			}
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// CheckChapter is the one verdict on a chapter draft, which aceo validate,
// aceo submit, the upload page and aceo status all give: the draft (data,
// named file as its author knows it) takes the place of its chapter and
// language in the publication of req (a directory, req.Dir, or the
// latest revisions in the store, req.Repo), and the build's own preflight
// runs; the problems it attributes to the draft are the verdict. A draft
// that cannot be parsed is judged on its own (every problem of its front
// matter and text), with nothing else loaded. The error is for a failure
// to judge (a store that does not answer), not for the draft.
func CheckChapter(ctx context.Context, req Request, file string, data []byte) (verdict *Verdict, err error) {
	defer func() {
		if r := recover(); r != nil {
			verdict, err = nil, diag.Recovered(r, "a check of "+file)
		}
	}()
	v := &Verdict{File: file, Errors: []Problem{}, Warnings: []Problem{}}
	fail := func(err error, code string) *Verdict {
		for _, e := range diag.WithCode(err, code) {
			if e.File == "" {
				e.File = file
			}
			v.Errors = append(v.Errors, NewProblem("error", "", e))
		}
		return v
	}
	if err := intake.CheckDraftSize(file, data); err != nil {
		return fail(err, CodeDraft), nil
	}
	ch, perr := ms.Parse(file, data)
	if perr != nil {
		fail(perr, CodeDraft)
		if ch == nil {
			return v, nil // nothing more can be judged
		}
	}
	v.Chapter = ch
	opt := req.Options
	opt.Lenient = true
	opt.Candidate = ch
	opt.Cache = nil // the candidate must not be cached as a revision
	var src *Sources
	switch {
	case req.Dir != "":
		src, err = Load(req.Dir, opt)
	case req.Repo != nil:
		pub := req.Pub
		if pub == "" {
			pub = ch.Meta.Publication
		}
		if _, perr := req.Repo.Publication(ctx, pub); perr != nil {
			if errors.Is(perr, store.ErrNotExist) || !publication.ValidID(pub) {
				return fail(diag.At(file, ms.FrontLine(data, "publication"), perr.Error(), ""), CodeDraft), nil
			}
			return nil, perr
		}
		src, _, err = FromStore(ctx, req.Repo, pub, true, opt)
	default:
		return nil, fmt.Errorf("check %s: no publication to check it against (a directory or a store)", file)
	}
	if err != nil {
		var d *diag.Error
		var l diag.List
		if errors.As(err, &d) || errors.As(err, &l) {
			// the publication itself cannot be loaded: say so against the draft
			return fail(err, CodeDraft), nil
		}
		return nil, err
	}
	rep, _, err := Preflight(src, opt, "check")
	if err != nil {
		return nil, err
	}
	for _, p := range rep.Errors {
		if p.File == file {
			v.Errors = append(v.Errors, p)
		}
	}
	for _, p := range rep.Warnings {
		if p.File == file {
			v.Warnings = append(v.Warnings, p)
		}
	}
	return v, nil
}

// UseVerdict makes r's submissions of chapter drafts judged by
// CheckChapter against the latest revisions of their publication, with
// opt's templates and fonts: what aceo validate refuses, aceo submit and
// the upload page refuse too.
func UseVerdict(r *drafts.Repo, opt Options) *drafts.Repo {
	r.Judge = func(ctx context.Context, file string, data []byte) error {
		v, err := CheckChapter(ctx, Request{Repo: r, Options: opt}, file, data)
		if err != nil {
			return err
		}
		return v.Err()
	}
	return r
}
