package build

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// Codes of preflight problems.
const (
	CodeMissingChapter     = "missing-chapter"     // no draft (or no accepted revision) of a chapter
	CodeMissingTranslation = "missing-translation" // no draft of a chapter in a language
	CodeDraft              = "draft"               // a draft that cannot be read
	CodeBrokenReference    = "broken-reference"
	CodeDataset            = "dataset"        // a dataset invalid or missing, or a table it cannot make
	CodeFigure             = "unknown-figure" // a figure missing or unreadable
	CodeFontCoverage       = "font-coverage"
	CodeActivities         = "activities"       // the plan tracker cannot be read
	CodeBibliography       = "bibliography"     // a bibliography file missing or invalid
	CodeCitation           = "unknown-citation" // a citation of a key no bibliography has
	CodeGlossary           = "glossary"         // the glossary missing or invalid
	CodeAbbreviation       = "abbreviation"     // an abbreviation the glossary lacks
	// warnings
	CodeStaleTranslation = "stale-translation"
	CodeNoData           = "no-data"
	CodeOverdue          = "activity-overdue"
)

// Problem is one line of a preflight report.
type Problem struct {
	Severity string `json:"severity"` // error or warning
	Code     string `json:"code"`
	Lang     string `json:"lang,omitempty"`
	Where    string `json:"where,omitempty"` // file:line or file sheet!cell
	File     string `json:"file,omitempty"`  // the file as its author knows it
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"column,omitempty"` // CSV fields
	Cell     string `json:"cell,omitempty"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

func (p Problem) String() string {
	s := p.Message
	if p.Where != "" {
		s = p.Where + ": " + s
	}
	if p.Lang != "" {
		s = "[" + p.Lang + "] " + s
	}
	if p.Hint != "" {
		s += diag.HintSeparator(p.Hint) + p.Hint
	}
	return s
}

// Report is what a preflight found: errors stop a release build; a
// preview renders anyway and prints the report as its last page.
type Report struct {
	Publication string    `json:"publication"`
	Mode        string    `json:"mode"`
	Errors      []Problem `json:"errors"`
	Warnings    []Problem `json:"warnings"`
}

// OK reports whether there is no error.
func (r *Report) OK() bool { return len(r.Errors) == 0 }

// Text is the report for a terminal: a summary line, then one line per
// problem.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "preflight of %s (%s): %d errors, %d warnings\n", r.Publication, r.Mode, len(r.Errors), len(r.Warnings))
	for _, p := range r.Errors {
		b.WriteString("  error: " + p.String() + "\n")
	}
	for _, p := range r.Warnings {
		b.WriteString("  warning: " + p.String() + "\n")
	}
	return b.String()
}

// Err is nil when the report has no error, and otherwise an error whose
// first line counts the errors and whose next lines list them.
func (r *Report) Err() error {
	if r.OK() {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "preflight found %d errors; nothing was rendered (a --preview build renders anyway)", len(r.Errors))
	for _, p := range r.Errors {
		b.WriteString("\n  " + p.String())
	}
	return fmt.Errorf("%s", b.String())
}

// NewProblem is the report line of e, an error or a warning ("error",
// "warning") of one edition (lang) or of all ("").
func NewProblem(severity, lang string, e *diag.Error) Problem {
	p := Problem{Severity: severity, Code: e.Code, Lang: lang, Message: e.Msg, Hint: e.Hint, File: e.File, Line: e.Line, Col: e.Col, Cell: e.Cell}
	switch {
	case e.Cell != "":
		p.Where = e.File + " " + e.Cell
	case e.Line > 0 && e.Col > 0:
		p.Where = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	case e.Line > 0:
		p.Where = fmt.Sprintf("%s:%d", e.File, e.Line)
	default:
		p.Where = e.File
	}
	return p
}

// Preflight checks everything a build of src needs, before rendering, and
// reports every problem at once. It assembles each edition as a draft to
// find missing chapters and translations, broken cross-references, tables
// and charts their datasets cannot make, and characters no font covers;
// it warns of stale translations, countries without data in a table and
// overdue plan activities. src should come from a lenient load, whose
// problems it reports too. It returns the draft editions, which a preview
// renders.
func Preflight(src *Sources, opt Options, mode string) (*Report, map[string]*typeset.Edition, error) {
	cfg, err := src.config(opt)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckLanguages(src.Pub, opt.Languages); err != nil {
		return nil, nil, err
	}
	f := &flight{src: src, cfg: cfg, rep: &Report{Publication: src.Pub.ID, Mode: mode, Errors: []Problem{}, Warnings: []Problem{}}, seen: map[string]bool{}}
	loaded := map[string]bool{} // "file:line" of load problems, not to repeat them
	for _, e := range src.Problems {
		f.add("error", "", e)
		loaded[fmt.Sprintf("%s:%d", e.File, e.Line)] = true
	}
	langs := opt.Languages
	if len(langs) == 0 {
		langs = src.Pub.Languages
	}
	eds := map[string]*typeset.Edition{}
	for _, lang := range langs {
		ed, err := f.edition(lang, loaded)
		if err != nil {
			return nil, nil, err
		}
		eds[lang] = ed
	}
	// the Chinese edition printing English sources
	src.mu.Lock()
	for _, e := range src.srcWarnings {
		f.add("warning", "zh", e)
	}
	src.srcWarnings = nil
	src.mu.Unlock()
	f.staleTranslations(langs)
	f.noData(eds[langs[0]])
	f.missingAbbreviations(eds[langs[0]])
	f.overdue()
	return f.rep, eds, nil
}

// flight is the state of one preflight: its report, and the problems
// reported so far (a problem of every edition is reported once, without a
// language).
type flight struct {
	src  *Sources
	cfg  *Config
	rep  *Report
	seen map[string]bool
}

func (f *flight) add(severity, lang string, e *diag.Error) {
	p := NewProblem(severity, lang, e)
	key := severity + "|" + p.Code + "|" + p.Where + "|" + p.Message
	if f.seen[key] {
		return
	}
	f.seen[key] = true
	if severity == "error" {
		f.rep.Errors = append(f.rep.Errors, p)
	} else {
		f.rep.Warnings = append(f.rep.Warnings, p)
	}
}

// edition assembles the draft edition of lang and reports its problems
// (those the load reported, at loaded, aside) and the characters no font
// covers.
func (f *flight) edition(lang string, loaded map[string]bool) (*typeset.Edition, error) {
	src, t := f.src, f.cfg.Template
	ed, probs := src.edition(t, lang, true)
	// chapters without a draft in this language: a label referred to may
	// be in one of them
	absent := 0
	for _, id := range src.Pub.Chapters {
		if src.Chapters[id][lang] == nil {
			absent++
		}
	}
	for _, e := range probs {
		if (e.Code == CodeMissingChapter || e.Code == CodeMissingTranslation) && loaded[fmt.Sprintf("%s:%d", e.File, e.Line)] {
			continue // the load already said why (no accepted revision...)
		}
		if e.Code == ms.CodeUnresolved {
			if absent > 0 {
				w := *e
				w.Msg += fmt.Sprintf(" in the chapters there are (%d of %d have no %s draft yet; it may be in one of them)", absent, len(src.Pub.Chapters), lang)
				f.add("warning", lang, &w)
				continue
			}
			e.Code = CodeBrokenReference
		}
		f.add("error", lang, e)
	}
	miss, err := typeset.Uncovered(t, f.cfg.Fonts, ed)
	if err != nil {
		return nil, err
	}
	runes := make([]rune, 0, len(miss))
	for r := range miss {
		runes = append(runes, r)
	}
	sort.Slice(runes, func(i, j int) bool { return runes[i] < runes[j] })
	for _, r := range runes {
		places := miss[r]
		e := &diag.Error{Code: CodeFontCoverage, Msg: fmt.Sprintf("no font of the template covers %q (U+%04X)", r, r),
			Hint: "replace the character, or add a font that has it to the template"}
		e.File, e.Line = splitPlace(places[0])
		if len(places) > 1 {
			e.Msg += fmt.Sprintf(", used %d times", len(places))
		}
		f.add("error", lang, e)
	}
	return ed, nil
}

// staleTranslations warns of translations made from another English
// draft than the one built.
func (f *flight) staleTranslations(langs []string) {
	src := f.src
	for _, id := range src.Pub.Chapters {
		en := src.Chapters[id][ms.SourceLang]
		if en == nil {
			continue
		}
		enSHA := sha(en.Source)
		enRev := ""
		for _, in := range src.Inputs {
			if in.Kind == manifest.InChapter && in.Item == id && in.Lang == ms.SourceLang {
				enRev = in.Rev
			}
		}
		for _, lang := range langs {
			ch := src.Chapters[id][lang]
			if lang == ms.SourceLang || ch == nil {
				continue
			}
			from := ch.Meta.TranslatedFrom
			if from == "sha256:"+enSHA || (enRev != "" && (from == enRev || (len(from) >= 20 && strings.HasPrefix(enRev, from)))) {
				continue
			}
			f.add("warning", lang, &diag.Error{Code: CodeStaleTranslation, File: ch.File, Line: 1,
				Msg:  fmt.Sprintf("the %s translation of %q was made from another English draft than the one built (translated_from: %s)", lang, id, from),
				Hint: "update the translation, then set translated_from: sha256:" + enSHA})
		}
	}
}

// noData warns of countries without data in a dataset table of edition
// ed (the first language's, once).
func (f *flight) noData(ed *typeset.Edition) {
	if ed == nil {
		return
	}
	for _, ch := range ed.Chapters {
		ch.Walk(func(b ms.Block) {
			tb, ok := b.(*ms.Table)
			if !ok || tb.Notes == nil || tb.NoAnnex || ch.Appendix != "" {
				return
			}
			if empty := emptyRows(tb); len(empty) > 0 {
				f.add("warning", "", &diag.Error{Code: CodeNoData, File: ch.File, Line: tb.SrcLine,
					Msg:  fmt.Sprintf("table %s (%s) has no data for %s", tb.Number, ms.PlainText(tb.Caption), strings.Join(empty, ", ")),
					Hint: "add the observations to the dataset, or leave those countries out of the table"})
			}
		})
	}
}

// overdue warns of the plan activities the appendices report overdue.
func (f *flight) overdue() {
	src, t := f.src, f.cfg.Template
	if len(src.Pub.Appendices) == 0 || src.Register == nil {
		return
	}
	asOf, err := time.Parse("2006-01-02", src.Pub.AsOf)
	if err != nil {
		return
	}
	w := activity.Words{Lang: "en", Label: func(k string) string { return t.Label("en", k) }}
	for _, st := range activity.Flagged(activity.Evaluate(src.Register, src.Records, asOf)) {
		if len(st.Activity.Children) > 0 && len(st.Activity.Commitments) == 0 {
			continue // its sub-items are reported
		}
		f.add("warning", "", &diag.Error{Code: CodeOverdue, File: src.Register.File, Line: st.Activity.Line,
			Msg:  fmt.Sprintf("activity %s (%s) is %s as of %s", st.Activity.Ref, st.Activity.Title.In("en"), strings.ToLower(w.State(st.State)), src.Pub.AsOf),
			Hint: "record its progress with aceo activity update " + st.Activity.Ref})
	}
}

// emptyRows lists the row labels of a table whose every value is missing
// (".."), and the column headers likewise.
func emptyRows(t *ms.Table) []string {
	var out []string
	cols := 0
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	colHas := make([]bool, cols)
	for _, r := range t.Rows {
		has := false
		for i := 1; i < len(r); i++ {
			v := strings.TrimSpace(ms.PlainText(r[i]))
			if v != ".." && v != "" {
				has = true
				colHas[i] = true
			}
		}
		if !has && len(r) > 1 {
			out = append(out, ms.PlainText(r[0]))
		}
	}
	if len(t.Header) > 0 && len(t.Rows) > 0 {
		for i := 1; i < cols && i < len(t.Header[0]); i++ {
			if !colHas[i] {
				out = append(out, ms.PlainText(t.Header[0][i]))
			}
		}
	}
	return out
}

func splitPlace(s string) (string, int) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	var n int
	fmt.Sscanf(s[i+1:], "%d", &n)
	return s[:i], n
}
