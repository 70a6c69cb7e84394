package activity

import (
	"fmt"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/rivo/uniseg"
)

// Words gives the wording of a label in one language (a template's
// labels): state and status names, commitment and progress phrases.
// Formats take their arguments in the order documented by each key; a
// language may reorder them with %[n]d.
type Words struct {
	Lang  string
	Label func(key string) string
}

func (w Words) f(key string, args ...any) string { return fmt.Sprintf(w.Label(key), args...) }

// State names a state: the label "state.<key>".
func (w Words) State(s State) string { return w.Label("state." + s.Key()) }

// Status names a recorded status: the label "status.<status>".
func (w Words) Status(s string) string { return w.Label("status." + s) }

// Date writes a day, or "the end of YYYY" for 31 December.
func (w Words) Date(s string) string {
	d, err := parseDate(s)
	if err != nil {
		return s
	}
	if d.Month() == 12 && d.Day() == 31 {
		return w.f("date.end_of_year", d.Year())
	}
	if w.Lang == "zh" {
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	return d.Format("2 January 2006")
}

// Day writes a day as the language writes dates: 15 November 2013, or
// 2013年11月15日 (Date says "the end of 2013" for 31 December instead).
func (w Words) Day(s string) string {
	d, err := parseDate(s)
	if err != nil {
		return s
	}
	if w.Lang == "zh" {
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	return d.Format("2 January 2006")
}

// langs names languages: "English and Chinese", "英文和中文".
func (w Words) langs(codes []string) string {
	var names []string
	for _, l := range codes {
		names = append(names, w.Label("lang_name."+l))
	}
	if len(names) == 2 {
		return w.f("two_things", names[0], names[1])
	}
	return strings.Join(names, w.Label("list_separator"))
}

// Country names a country by its code.
func (w Words) Country(code string) string {
	if c, ok := dataset.CountryByCode(code); ok {
		return c.Name(w.Lang)
	}
	return code
}

// Commitment says what a commitment promises, in the plan's wording when
// the register gives it.
func (w Words) Commitment(c *Commitment) string {
	if t := c.Text.In(w.Lang); t != "" && (c.Text[w.Lang] != "" || w.Lang == "en") {
		return t
	}
	switch {
	case c.Deadline != "" && len(c.Languages) > 0:
		return w.f("commit.deadline_in", w.Date(c.Deadline), w.langs(c.Languages))
	case c.Deadline != "":
		return w.f("commit.deadline", w.Date(c.Deadline))
	case c.Start != "":
		return w.f("commit.start", w.Date(c.Start))
	case c.Every != nil:
		e := c.Every
		switch {
		case e.MaxYears > 0:
			return w.f("commit.every_n_m", e.Years, e.MaxYears)
		case e.Times == 1 && e.Years == 1:
			return w.f("commit.annual", e.From, e.To)
		case e.Years == 1:
			return w.f("commit.times_a_year", e.Times, e.From, e.To)
		default:
			return w.f("commit.every_n", e.Years, e.From, e.To)
		}
	case c.Target != nil:
		t := c.Target
		from, _ := parseDate(t.From)
		to, _ := parseDate(t.To)
		key := "commit.target"
		if t.Approx {
			key = "commit.target_about"
		}
		s := w.f(key, t.Participants, from.Year(), to.Year())
		if t.Priority == "ldc" {
			s += w.Label("commit.priority_ldc")
		}
		return s
	case c.EachCountry:
		return w.Label("commit.each_country")
	}
	return ""
}

// Progress says how a commitment stands: the times held or missed, the
// participants, the countries.
func (w Words) Progress(cs CommitmentStatus) string {
	sep := w.Label("list_separator")
	switch {
	case len(cs.Languages) > 0 && cs.Date == "":
		if len(cs.Langs) == 0 {
			return ""
		}
		return w.f("progress.langs", w.langs(cs.Langs))
	case cs.Deadline != "" || cs.Start != "" || cs.Once:
		if cs.Date != "" {
			return w.f("progress.done_on", w.Date(cs.Date))
		}
		return ""
	case cs.Every != nil:
		var parts []string
		for _, o := range cs.Occurrences {
			switch {
			case o.State == "held" || o.State == "late":
				if o.Expected > 1 || len(o.Held) > 1 {
					parts = append(parts, w.f("progress.held_n", o.Label(), len(o.Held), o.Expected))
				} else {
					parts = append(parts, w.f("progress.held", o.Label()))
				}
			case o.State == "missed" && o.Expected > 1:
				parts = append(parts, w.f("progress.missed_n", o.Label(), len(o.Held), o.Expected))
			case o.State == "missed":
				parts = append(parts, w.f("progress.missed", o.Label()))
			case cs.Every.MaxYears > 0:
				parts = append(parts, w.f("progress.next_by", o.To.Year()))
			case o.Expected > 1:
				parts = append(parts, w.f("progress.pending_n", o.Label(), len(o.Held), o.Expected))
			default:
				parts = append(parts, w.f("progress.pending", o.Label()))
			}
		}
		if len(parts) == 0 && cs.Every.MaxYears > 0 {
			return w.Label("progress.not_yet_held")
		}
		return strings.Join(parts, sep)
	case cs.Target != nil:
		s := w.f("progress.participants", cs.Participants)
		if cs.Target.Priority == "ldc" && cs.Participants > 0 {
			s += sep + w.f("progress.ldc_share", Percent(cs.Priority, cs.Participants))
		}
		return s
	case cs.EachCountry:
		return w.f("progress.countries", len(cs.Countries), len(dataset.Countries))
	}
	return ""
}

// Percent is 100 n / total, rounded.
func Percent(n, total int) int {
	if total == 0 {
		return 0
	}
	return (200*n + total) / (2 * total)
}

// Summary is one line per activity for the command line: reference,
// state, commitments and progress, the latest record.
func (w Words) Summary(reg *Register, s Status) string {
	var b strings.Builder
	a := s.Activity
	fmt.Fprintf(&b, "%-8s %s %s", a.Ref, pad(w.State(s.State), 16), a.Title.In(w.Lang))
	indent := strings.Repeat(" ", 26)
	for _, cs := range s.Commitments {
		fmt.Fprintf(&b, "\n%s%s", indent, w.Commitment(cs.Commitment))
		if p := w.Progress(cs); p != "" {
			if w.Lang == "zh" {
				b.WriteString("：" + p) // full-width, as Chinese text has it
			} else {
				b.WriteString(": " + p)
			}
		}
	}
	if r := s.Latest; r != nil {
		note := r.Note.In(w.Lang)
		if note == "" {
			note = r.Event.In(w.Lang)
		}
		date := r.Date
		if w.Lang == "zh" {
			date = w.Day(r.Date)
		}
		fmt.Fprintf(&b, "\n%s%s %s %s", indent, date, w.Status(r.Status), note)
	}
	return b.String()
}

// pad fills s with spaces to n columns of a terminal (Chinese characters
// take two).
func pad(s string, n int) string {
	if w := uniseg.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// AsOf parses an as-of date; empty means today.
func AsOf(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	d, err := parseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("as-of date %q is not a date: write it as YYYY-MM-DD", s)
	}
	return d, nil
}
