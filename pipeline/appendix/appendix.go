// Package appendix writes the generated appendices of a publication
// that tracks the Action Plan: the implementation status of every
// activity, capacity building (training held and its participants by
// country), and institutions and funding. They are chapters like the
// authors', made from the plan register and the progress records as of
// the publication's date, worded in each language from the template's
// labels.
package appendix

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
)

// Input is what the appendices report on.
type Input struct {
	// Pub lists the appendices and gives the date they report as of
	// (as_of) and the notice under their tables.
	Pub      *publication.Publication
	Register *activity.Register
	Records  []activity.Record
	// Label gives the template's label of key in lang: the appendices'
	// wording.
	Label func(lang, key string) string
}

// Chapters builds the generated appendices the publication lists, in
// lang, lettered from A.
func Chapters(in Input, lang string) ([]*ms.Chapter, error) {
	s := in
	if len(s.Pub.Appendices) == 0 {
		return nil, nil
	}
	if s.Register == nil {
		return nil, diag.At(s.Pub.File, 0, "the appendices need the plan register, which was not loaded", "")
	}
	asOf, err := time.Parse("2006-01-02", s.Pub.AsOf)
	if err != nil {
		return nil, diag.At(s.Pub.File, 0, fmt.Sprintf("as_of %q is not a date", s.Pub.AsOf), "write it as YYYY-MM-DD")
	}
	a := &appx{pub: s.Pub, reg: s.Register, lang: lang, asOf: asOf,
		w:   activity.Words{Lang: lang, Label: func(k string) string { return in.Label(lang, k) }},
		sts: activity.Evaluate(s.Register, s.Records, asOf)}
	for _, r := range s.Records {
		if r.Date <= s.Pub.AsOf {
			a.nrec++
		}
	}
	var out []*ms.Chapter
	for i, kind := range s.Pub.Appendices {
		var title string
		var blocks []ms.Block
		switch kind {
		case "action-plan-status":
			title, blocks = a.status()
		case "capacity-building":
			title, blocks = a.training()
		case "institutions-funding":
			title, blocks = a.institutions()
		}
		letter := string(rune('A' + i))
		out = append(out, &ms.Chapter{File: "appendix " + letter + " (" + kind + ")", Appendix: letter, Blocks: blocks,
			Meta: ms.FrontMatter{Publication: s.Pub.ID, Chapter: "appendix-" + kind, Lang: lang, Title: title}})
	}
	return out, nil
}

type appx struct {
	pub  *publication.Publication
	reg  *activity.Register
	lang string
	asOf time.Time
	w    activity.Words
	sts  []activity.Status
	nrec int
}

func (a *appx) l(key string, args ...any) string {
	if len(args) == 0 {
		return a.w.Label(key)
	}
	return fmt.Sprintf(a.w.Label(key), args...)
}

func spans(s string) []ms.Span { return []ms.Span{{Text: s}} }

func bold(s string) []ms.Span { return []ms.Span{{Text: s, Style: ms.Bold}} }

func para(s string) *ms.Paragraph { return &ms.Paragraph{Content: spans(s)} }

func textRow(cells ...string) ms.Row {
	r := make(ms.Row, len(cells))
	for i, c := range cells {
		r[i] = spans(c)
	}
	return r
}

func (a *appx) asOfText() string { return a.w.Date(a.asOf.Format("2006-01-02")) }

// notes are the lines under every appendix table: the source, and the
// publication's notice (a sample edition's data are illustrative).
func (a *appx) sourceNotes() [][]ms.Span {
	n := [][]ms.Span{spans(a.l("appx.source", a.nrec, a.asOfText()))}
	if notice := a.pub.Notice.In(a.lang); notice != "" {
		n = append(n, spans(notice))
	}
	return n
}

// evidence writes a record's evidence for print: a link without its
// scheme, or the stored document's short name.
func evidence(r *activity.Record) []ms.Span {
	e := r.Evidence
	switch {
	case e == "":
		return nil
	case strings.HasPrefix(e, activity.EvidencePrefix):
		base := path.Base(e)
		ext := path.Ext(base)
		name := strings.TrimSuffix(base, ext)
		if len(name) > 12 {
			name = name[:12]
		}
		return []ms.Span{{Text: "[" + name + ext + "]"}}
	}
	shown := strings.TrimPrefix(strings.TrimPrefix(e, "https://"), "http://")
	return []ms.Span{{Text: shown, Link: e}}
}

func (a *appx) recordText(r *activity.Record) string {
	note := r.Note.In(a.lang)
	if note == "" {
		note = r.Event.In(a.lang)
	}
	s := a.w.Status(r.Status) + " " + a.w.Date(r.Date)
	if a.lang == "zh" {
		s = a.w.Date(r.Date) + a.w.Status(r.Status)
	}
	if note != "" {
		sep := ": "
		if a.lang == "zh" {
			sep = "："
		}
		s += sep + note
	}
	return s
}

// status is the appendix "Implementation status of the Action Plan": one
// table grouped by plan section.
func (a *appx) status() (string, []ms.Block) {
	title := a.l("appx.status.title")
	blocks := []ms.Block{para(a.l("appx.status.intro", a.reg.Title.In(a.lang), a.asOfText()))}
	t := &ms.Table{NoAnnex: true, Caption: spans(a.l("appx.status.caption", a.asOfText())),
		Align:  []ms.Align{ms.AlignLeft, ms.AlignLeft, ms.AlignLeft, ms.AlignLeft, ms.AlignLeft, ms.AlignLeft},
		Header: []ms.Row{textRow(a.l("appx.status.col.ref"), a.l("appx.status.col.activity"), a.l("appx.status.col.lead"), a.l("appx.status.col.commitment"), a.l("appx.status.col.status"), a.l("appx.status.col.progress"))}}
	section := ""
	sep := a.w.Label("list_separator")
	leads := map[string]bool{}
	for _, st := range a.sts {
		act := st.Activity
		if act.Section != section {
			section = act.Section
			t.Rows = append(t.Rows, ms.Row{bold(section + "\u2002" + a.reg.SectionTitle(section).In(a.lang))})
		}
		var lead []string
		for _, l := range act.Lead {
			lead = append(lead, a.reg.LeadAbbr(l, a.lang))
			leads[l] = true
		}
		var commit []string
		var progress []ms.Span
		addProgress := func(s string) {
			if s == "" {
				return
			}
			if len(progress) > 0 {
				progress = append(progress, ms.Span{Text: sep})
			}
			progress = append(progress, ms.Span{Text: s})
		}
		for _, cs := range st.Commitments {
			commit = append(commit, a.w.Commitment(cs.Commitment))
			if cs.Date != "" && st.Latest != nil && st.Latest.Date == cs.Date {
				continue // the latest record, shown below, says when
			}
			addProgress(a.w.Progress(cs))
		}
		if r := st.Latest; r != nil && !(len(act.Children) > 0 && len(act.Commitments) == 0) {
			addProgress(a.recordText(r))
			if ev := evidence(r); ev != nil {
				progress = append(progress, ms.Span{Text: sep})
				progress = append(progress, ev...)
			}
		}
		state := a.w.State(st.State)
		stateCell := spans(state)
		titleCell := spans(act.Title.In(a.lang))
		if len(act.Children) > 0 {
			titleCell = bold(act.Title.In(a.lang))
		}
		if st.State.Flagged() {
			stateCell = bold("▲\u00a0" + state)
		}
		t.Rows = append(t.Rows, ms.Row{spans(act.Ref), titleCell, spans(strings.Join(lead, sep)), spans(strings.Join(commit, sep)), stateCell, progress})
	}
	var abbr []string
	for _, k := range slices.Sorted(maps.Keys(leads)) {
		abbr = append(abbr, a.reg.LeadAbbr(k, a.lang)+(map[bool]string{true: "：", false: ": "}[a.lang == "zh"])+a.reg.Leads[k].Name.In(a.lang))
	}
	t.Notes = append([][]ms.Span{
		spans(a.l("appx.status.flag_note")),
		spans(a.l("appx.status.states_note", activity.DueSoonDays)),
		spans(strings.Join(abbr, sep)),
	}, a.sourceNotes()...)
	blocks = append(blocks, t)
	return title, blocks
}

// training is the appendix "Capacity building": the sessions held, the
// participants by country against the target, the share from the least
// developed AMS, and a chart.
func (a *appx) training() (string, []ms.Block) {
	title := a.l("appx.training.title")
	var st *activity.Status
	var every, target *activity.CommitmentStatus
	for i := range a.sts {
		for k := range a.sts[i].Commitments {
			cs := &a.sts[i].Commitments[k]
			if cs.Target != nil && st == nil {
				st = &a.sts[i]
				target = cs
			}
		}
	}
	if st == nil {
		return title, []ms.Block{para(a.l("appx.training.none"))}
	}
	for k := range st.Commitments {
		if st.Commitments[k].Every != nil {
			every = &st.Commitments[k]
		}
	}
	tg := target.Target
	from, _ := time.Parse("2006-01-02", tg.From)
	to, _ := time.Parse("2006-01-02", tg.To)
	var sessions []activity.Record
	for _, r := range st.Records {
		if r.Status == "done" {
			sessions = append(sessions, r)
		}
	}
	if len(sessions) == 0 {
		return title, []ms.Block{para(a.l("appx.training.none"))}
	}
	expected, missed := 0, []string{}
	if every != nil {
		for _, o := range every.Occurrences {
			expected += o.Expected
			if o.State == "missed" {
				missed = append(missed, a.l("appx.training.missed_item", o.Label(), len(o.Held), o.Expected))
			}
		}
	}
	reached := a.l("appx.training.reached")
	if target.State != activity.Met {
		reached = a.l("appx.training.not_reached", activity.Percent(target.Participants, tg.Participants))
	}
	intro := a.l("appx.training.intro", tg.Participants, from.Year(), to.Year(), a.asOfText(), len(sessions), expected,
		target.Participants, reached, activity.Percent(target.Priority, target.Participants))
	blocks := []ms.Block{para(intro)}

	// sessions
	ts := &ms.Table{Caption: spans(a.l("appx.training.sessions_caption")),
		Align:  []ms.Align{ms.AlignLeft, ms.AlignLeft, ms.AlignRight, ms.AlignRight},
		Header: []ms.Row{textRow(a.l("appx.training.col.date"), a.l("appx.training.col.session"), a.l("appx.training.col.participants"), a.l("appx.training.col.ldc"))}}
	byCountry := map[string]int{}
	total, ldc := 0, 0
	for _, r := range sessions {
		n, nl := 0, 0
		for code, k := range r.Attendance {
			n += k
			byCountry[code] += k
			if c, ok := dataset.CountryByCode(code); ok && c.LDC {
				nl += k
			}
		}
		total += n
		ldc += nl
		name := r.Event.In(a.lang)
		if name == "" {
			name = r.Note.In(a.lang)
		}
		ts.Rows = append(ts.Rows, textRow(a.w.Date(r.Date), name, dataset.FormatNumber(float64(n), 0), dataset.FormatNumber(float64(nl), 0)))
	}
	ts.Rows = append(ts.Rows, ms.Row{bold(a.l("appx.training.total")), nil, bold(dataset.FormatNumber(float64(total), 0)), bold(dataset.FormatNumber(float64(ldc), 0))})
	if len(missed) > 0 {
		ts.Notes = append(ts.Notes, spans(a.l("appx.training.missed_note", strings.Join(missed, a.w.Label("list_separator")))))
	}
	ts.Notes = append(ts.Notes, a.sourceNotes()...)
	blocks = append(blocks, ts)

	// participants by country, and the chart
	tc := &ms.Table{Caption: spans(a.l("appx.training.country_caption", from.Year(), to.Year())),
		Align:  []ms.Align{ms.AlignLeft, ms.AlignRight, ms.AlignRight},
		Header: []ms.Row{textRow(a.l("appx.training.col.country"), a.l("appx.training.col.participants"), a.l("appx.training.col.share"))}}
	chart := &ms.Chart{Caption: spans(a.l("appx.training.chart_caption", from.Year(), to.Year())), Kind: "bar", Unit: a.l("appx.training.unit"),
		Series: []ms.Series{{Name: a.l("appx.training.col.participants")}}}
	var ldcNames []string
	for _, c := range dataset.Countries {
		n := byCountry[c.Code]
		name := c.Name(a.lang)
		if c.LDC {
			ldcNames = append(ldcNames, name)
			name += "\u00a0*"
		}
		share := "0.0"
		if total > 0 {
			share = dataset.FormatNumber(100*float64(n)/float64(total), 1)
		}
		tc.Rows = append(tc.Rows, textRow(name, dataset.FormatNumber(float64(n), 0), share))
		if c.AMS || n > 0 {
			chart.Categories = append(chart.Categories, c.Name(a.lang))
			chart.Series[0].Values = append(chart.Series[0].Values, float64(n))
			chart.Series[0].Missing = append(chart.Series[0].Missing, false)
		}
	}
	ldcShare := "0.0"
	if total > 0 {
		ldcShare = dataset.FormatNumber(100*float64(ldc)/float64(total), 1)
	}
	tc.Rows = append(tc.Rows, ms.Row{spans("*\u00a0" + a.l("appx.training.ldc_mark")), spans(dataset.FormatNumber(float64(ldc), 0)), spans(ldcShare)})
	tc.Rows = append(tc.Rows, ms.Row{bold(a.l("appx.training.total")), bold(dataset.FormatNumber(float64(total), 0)), bold("100.0")})
	tc.Notes = append([][]ms.Span{spans("* " + strings.Join(ldcNames, a.w.Label("list_separator")) + "（" + a.l("appx.training.ldc_mark") + "）")}, a.sourceNotes()...)
	if a.lang != "zh" {
		tc.Notes[0] = spans("* " + a.l("appx.training.ldc_mark") + ": " + strings.Join(ldcNames, ", ") + ".")
	}
	blocks = append(blocks, tc)
	chart.Notes = a.sourceNotes()
	blocks = append(blocks, chart)
	return title, blocks
}

// institutions is the appendix "Institutional arrangements and funding".
func (a *appx) institutions() (string, []ms.Block) {
	title := a.l("appx.inst.title")
	blocks := []ms.Block{para(a.l("appx.inst.intro", a.asOfText()))}
	sep := a.w.Label("list_separator")

	// National Focal Points: the latest done record per country
	var nfp *activity.Status
	var others []*activity.Status
	var funding []*activity.Status
	for i := range a.sts {
		st := &a.sts[i]
		switch {
		case strings.HasPrefix(st.Activity.Section, "III.2"):
			funding = append(funding, st)
		case !strings.HasPrefix(st.Activity.Section, "III.1"):
		case len(st.Commitments) > 0 && st.Commitments[0].EachCountry:
			nfp = st
		default:
			others = append(others, st)
		}
	}
	blocks = append(blocks, &ms.Heading{Level: 1, Content: spans(a.l("appx.inst.nfp_heading"))})
	tn := &ms.Table{Caption: spans(a.l("appx.inst.nfp_caption")), Align: []ms.Align{ms.AlignLeft, ms.AlignLeft, ms.AlignLeft},
		Header: []ms.Row{textRow(a.l("appx.inst.col.country"), a.l("appx.inst.col.focal_point"), a.l("appx.inst.col.designated"))}}
	latest := map[string]*activity.Record{}
	if nfp != nil {
		for i := range nfp.Records {
			r := &nfp.Records[i]
			switch r.Status {
			case "done":
				latest[r.Country] = r
			case "cancelled":
				delete(latest, r.Country)
			}
		}
	}
	for _, c := range dataset.Countries {
		r := latest[c.Code]
		if r == nil {
			tn.Rows = append(tn.Rows, textRow(c.Name(a.lang), a.l("appx.inst.not_designated"), ""))
			continue
		}
		tn.Rows = append(tn.Rows, textRow(c.Name(a.lang), r.Note.In(a.lang), a.w.Date(r.Date)))
	}
	tn.Notes = a.sourceNotes()
	blocks = append(blocks, tn)

	blocks = append(blocks, &ms.Heading{Level: 1, Content: spans(a.l("appx.inst.jise_heading"))})
	tj := &ms.Table{Caption: spans(a.l("appx.inst.jise_caption")), Align: []ms.Align{ms.AlignLeft, ms.AlignLeft, ms.AlignLeft},
		Header: []ms.Row{textRow(a.l("appx.status.col.ref"), a.l("appx.inst.col.item"), a.l("appx.inst.col.latest"))}}
	for _, st := range others {
		latest := a.l("appx.inst.none")
		if st.Latest != nil {
			latest = a.recordText(st.Latest)
		}
		tj.Rows = append(tj.Rows, textRow(st.Activity.Ref, st.Activity.Title.In(a.lang), latest))
	}
	tj.Notes = a.sourceNotes()
	blocks = append(blocks, tj)

	blocks = append(blocks, &ms.Heading{Level: 1, Content: spans(a.l("appx.inst.funding_heading"))})
	tf := &ms.Table{Caption: spans(a.l("appx.inst.funding_caption")), Align: []ms.Align{ms.AlignLeft, ms.AlignLeft, ms.AlignRight},
		Header: []ms.Row{textRow(a.l("appx.inst.col.source"), a.l("appx.inst.col.support"), a.l("appx.inst.col.amount"))}}
	total := 0.0
	for _, src := range a.reg.FundingSources {
		var notes []string
		amount, any := 0.0, false
		for _, st := range funding {
			for _, r := range st.Records {
				if r.Source != src.ID || r.Status != "done" {
					continue
				}
				if n := r.Note.In(a.lang); n != "" {
					notes = append(notes, n)
				}
				if r.AmountUSD > 0 {
					amount += r.AmountUSD
					any = true
				}
			}
		}
		support := strings.Join(notes, sep)
		if support == "" {
			support = a.l("appx.inst.none")
		}
		amt := ".."
		if any {
			amt = dataset.FormatNumber(amount, 0)
			total += amount
		}
		tf.Rows = append(tf.Rows, textRow(src.Name.In(a.lang), support, amt))
	}
	tf.Rows = append(tf.Rows, ms.Row{bold(a.l("appx.inst.funding_total")), nil, bold(dataset.FormatNumber(total, 0))})
	tf.Notes = append([][]ms.Span{spans(a.l("appx.inst.funding_note"))}, a.sourceNotes()...)
	blocks = append(blocks, tf)
	return title, blocks
}
