package activity

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/aceo-project/aceo/pipeline/dataset"
)

// State is where an activity stands against its commitments as of a date.
// States are ordered by concern: an activity with several commitments
// takes the highest.
type State int

// States, from least to most concern.
const (
	Met          State = iota // every commitment met in time
	MetLate                   // met, but after a deadline
	Open                      // no dated commitment to judge
	OnTrack                   // not yet met, not yet due
	DueSoon                   // due within DueSoonDays
	PartlyMissed              // a recurring activity missed some of its times
	Overdue                   // a deadline passed, or a target was not reached in time
	Cancelled                 // the latest record cancels the activity
)

var stateKeys = []string{"met", "met-late", "open", "on-track", "due-soon", "partly-missed", "overdue", "cancelled"}

// Key is the state's stable name: met, met-late, open, on-track, due-soon,
// partly-missed, overdue, cancelled.
func (s State) Key() string { return stateKeys[s] }

// Flagged reports states an editor must act on: overdue or partly missed.
func (s State) Flagged() bool { return s == Overdue || s == PartlyMissed }

// DueSoonDays is how close to a deadline an unmet commitment is due soon.
const DueSoonDays = 90

// Occurrence is one expected time of a recurring activity: a year (or
// "the next one" of an every-n-years activity) with the times held.
type Occurrence struct {
	From, To time.Time // the period it falls in (To: last day)
	Expected int
	Held     []string // dates of the events held in it
	State    string   // held, missed, pending
}

// Label names the occurrence's period: "2012", or "2012-2014".
func (o Occurrence) Label() string {
	if o.From.Year() == o.To.Year() {
		return strconv.Itoa(o.From.Year())
	}
	return fmt.Sprintf("%d-%d", o.From.Year(), o.To.Year())
}

// CommitmentStatus is how one commitment stands.
type CommitmentStatus struct {
	*Commitment
	State       State
	Date        string       // when a deadline or start was met
	Occurrences []Occurrence // for Every
	// for Target
	Participants, Priority int
	// for EachCountry: codes with a done record, in the countries' order
	Countries []string
	// for Languages: those with a done record
	Langs []string
}

// Status is where an activity stands as of a date.
type Status struct {
	Activity    *Activity
	State       State
	Commitments []CommitmentStatus
	Records     []Record // the activity's records up to the date, in date order
	Latest      *Record  // the last of them
}

// Evaluate computes the state of every activity of the register as of
// asOf from the records (any order; those dated after asOf are left
// out). Items take the most concerning state of their sub-items.
func Evaluate(reg *Register, records []Record, asOf time.Time) []Status {
	byRef := map[string][]Record{}
	sorted := append([]Record(nil), records...)
	SortRecords(sorted)
	for _, r := range sorted {
		if d, err := parseDate(r.Date); err == nil && !d.After(asOf) {
			byRef[r.Ref] = append(byRef[r.Ref], r)
		}
	}
	out := make([]Status, len(reg.Activities))
	index := map[*Activity]int{}
	for i, a := range reg.Activities {
		index[a] = i
		out[i] = evaluate(a, byRef[a.Ref], asOf)
	}
	// items take the worst of their sub-items, deepest first
	for i := len(reg.Activities) - 1; i >= 0; i-- {
		a := reg.Activities[i]
		if len(a.Children) == 0 {
			continue
		}
		st := out[i].State
		if len(a.Commitments) == 0 && (out[i].Latest == nil || out[i].Latest.Status != "cancelled") {
			st = Met
			for _, c := range a.Children {
				if s := out[index[c]].State; s != Cancelled && s > st {
					st = s
				}
			}
		}
		out[i].State = st
	}
	return out
}

func evaluate(a *Activity, recs []Record, asOf time.Time) Status {
	s := Status{Activity: a, Records: recs, State: Open}
	if len(recs) > 0 {
		s.Latest = &recs[len(recs)-1]
	}
	if len(a.Commitments) > 0 {
		s.State = Met
	}
	for i := range a.Commitments {
		c := &a.Commitments[i]
		cs := CommitmentStatus{Commitment: c}
		switch {
		case c.Deadline != "" && len(c.Languages) > 0:
			cs.State, cs.Date, cs.Langs = inLanguages(c, recs, asOf)
		case c.Deadline != "":
			cs.State, cs.Date = byDeadline(c.Deadline, recs, asOf, "done")
		case c.Once:
			cs.State, cs.Date = once(c, recs)
		case c.Start != "":
			cs.State, cs.Date = byDeadline(c.Start, recs, asOf, "done", "in-progress")
		case c.Every != nil:
			cs.State, cs.Occurrences = recurrence(c.Every, recs, asOf)
		case c.Target != nil:
			cs.State, cs.Participants, cs.Priority = target(c.Target, recs, asOf)
		case c.EachCountry:
			cs.State, cs.Countries = eachCountry(recs)
		}
		if cs.State > s.State {
			s.State = cs.State
		}
		s.Commitments = append(s.Commitments, cs)
	}
	if s.Latest != nil && s.Latest.Status == "cancelled" {
		s.State = Cancelled
	}
	return s
}

// once judges work due at some time, no date set: met by the first done
// record that counts (of an event, or of no one country, when asked);
// open before, never overdue.
func once(c *Commitment, recs []Record) (State, string) {
	for _, r := range recs {
		if r.Status != "done" || c.Events && len(r.Event) == 0 && len(r.Attendance) == 0 || c.Regional && r.Country != "" {
			continue
		}
		return Met, r.Date
	}
	return Open, ""
}

// inLanguages judges a deadline for editions in several languages: met
// when each has a done record, on the date of the last of them.
func inLanguages(c *Commitment, recs []Record, asOf time.Time) (State, string, []string) {
	due, _ := parseDate(c.Deadline)
	first := map[string]string{}
	for _, r := range recs {
		if r.Status == "done" && r.Lang != "" && first[r.Lang] == "" {
			first[r.Lang] = r.Date
		}
	}
	var have []string
	last := ""
	for _, l := range c.Languages {
		if d := first[l]; d != "" {
			have = append(have, l)
			last = max(last, d)
		}
	}
	if len(have) < len(c.Languages) {
		return pending(due, asOf), "", have
	}
	if d, _ := parseDate(last); d.After(due) {
		return MetLate, last, have
	}
	return Met, last, have
}

func endOfYear(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC) }

// pending is the state of something not yet done that is due on due.
func pending(due, asOf time.Time) State {
	switch {
	case asOf.After(due):
		return Overdue
	case due.Sub(asOf) <= DueSoonDays*24*time.Hour:
		return DueSoon
	}
	return OnTrack
}

// byDeadline judges a deadline: met by the first record with one of the
// statuses.
func byDeadline(deadline string, recs []Record, asOf time.Time, statuses ...string) (State, string) {
	due, _ := parseDate(deadline)
	for _, r := range recs {
		for _, st := range statuses {
			if r.Status == st {
				if d, _ := parseDate(r.Date); d.After(due) {
					return MetLate, r.Date
				}
				return Met, r.Date
			}
		}
	}
	return pending(due, asOf), ""
}

// held lists the dates of the done records.
func held(recs []Record) []time.Time {
	var out []time.Time
	for _, r := range recs {
		if r.Status == "done" {
			d, _ := parseDate(r.Date)
			out = append(out, d)
		}
	}
	return out
}

func recurrence(e *Recurrence, recs []Record, asOf time.Time) (State, []Occurrence) {
	dates := held(recs)
	if e.MaxYears > 0 {
		return interval(e, dates, asOf)
	}
	var occ []Occurrence
	state := Met
	last := e.To
	if last == 0 || last > asOf.Year() {
		// open-ended, or not over: periods up to the one holding asOf
		last = asOf.Year()
		if e.To != 0 && e.To < last {
			last = e.To
		}
	}
	for y := e.From; y <= last; y += e.Years {
		o := Occurrence{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: endOfYear(y + e.Years - 1), Expected: e.Times}
		for _, d := range dates {
			if !d.Before(o.From) && !d.After(o.To) {
				o.Held = append(o.Held, d.Format(dateLayout))
			}
		}
		var st State
		switch {
		case len(o.Held) >= o.Expected:
			o.State, st = "held", Met
		case asOf.After(o.To):
			o.State, st = "missed", PartlyMissed
		default:
			o.State, st = "pending", pending(o.To, asOf)
		}
		if st > state {
			state = st
		}
		occ = append(occ, o)
	}
	if e.From > asOf.Year() {
		state = OnTrack
	}
	if state == Met && (e.To == 0 || e.To > asOf.Year()) {
		// every period so far held, more to come
		state = OnTrack
	}
	return state, occ
}

// interval judges "every Years to MaxYears years": each time held is an
// occurrence; the next is due at the latest by the end of the year MaxYears
// after the last one. Before the first there is nothing to judge unless
// From gives its year.
func interval(e *Recurrence, dates []time.Time, asOf time.Time) (State, []Occurrence) {
	var occ []Occurrence
	prev := 0
	for _, d := range dates {
		y := d.Year()
		if prev != 0 && y-prev < e.Years {
			// held again too soon to count as the next time: add it to the last
			occ[len(occ)-1].Held = append(occ[len(occ)-1].Held, d.Format(dateLayout))
			continue
		}
		o := Occurrence{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: endOfYear(y), Expected: 1, Held: []string{d.Format(dateLayout)}, State: "held"}
		if prev != 0 {
			o.From = time.Date(prev+e.Years, 1, 1, 0, 0, 0, 0, time.UTC)
			o.To = endOfYear(prev + e.MaxYears)
			if y > prev+e.MaxYears {
				// held, but late: the gap was longer than allowed
				o.State = "late"
			}
		}
		occ = append(occ, o)
		prev = y
	}
	var next Occurrence
	switch {
	case prev == 0 && e.From == 0:
		// not yet held: no date was set for the first time
		return Open, nil
	case prev == 0:
		// from: the first time falls within the interval after that year
		next = Occurrence{From: time.Date(e.From, 1, 1, 0, 0, 0, 0, time.UTC), To: endOfYear(e.From + e.MaxYears - 1), Expected: 1}
	default:
		next = Occurrence{From: time.Date(prev+e.Years, 1, 1, 0, 0, 0, 0, time.UTC), To: endOfYear(prev + e.MaxYears), Expected: 1}
	}
	state := OnTrack
	switch {
	case asOf.After(next.To) && e.AsNecessary:
		// held as necessary: a time not held is no failure
		next.State, state = "pending", Open
	case asOf.After(next.To):
		next.State, state = "missed", Overdue
	default:
		next.State = "pending"
		state = max(state, pending(next.To, asOf))
	}
	for _, o := range occ {
		if o.State == "late" && !e.AsNecessary {
			state = max(state, PartlyMissed)
		}
	}
	if e.To != 0 && next.From.Year() > e.To {
		// the period is over and every time was held
		if state == OnTrack || state == DueSoon {
			state = Met
		}
		return state, occ
	}
	return state, append(occ, next)
}

func target(t *Target, recs []Record, asOf time.Time) (State, int, int) {
	from, _ := parseDate(t.From)
	to, _ := parseDate(t.To)
	n, ldc := 0, 0
	reached := ""
	for _, r := range recs {
		d, _ := parseDate(r.Date)
		if r.Status != "done" || d.Before(from) || d.After(to) {
			continue
		}
		for code, k := range r.Attendance {
			c, ok := dataset.CountryByCode(code)
			if t.Countries == "ams" && (!ok || !c.AMS) {
				continue // "professionals from AMS": China's do not count
			}
			n += k
			if ok && c.LDC {
				ldc += k
			}
		}
		if reached == "" && n >= t.Needed() {
			reached = r.Date
		}
	}
	if reached != "" {
		return Met, n, ldc
	}
	return pending(to, asOf), n, ldc
}

func eachCountry(recs []Record) (State, []string) {
	have := map[string]bool{}
	for _, r := range recs {
		switch r.Status {
		case "done":
			have[r.Country] = true
		case "cancelled":
			delete(have, r.Country) // a designation withdrawn
		}
	}
	var codes []string
	for _, c := range dataset.Countries {
		if have[c.Code] {
			codes = append(codes, c.Code)
		}
	}
	if len(codes) == len(dataset.Countries) {
		return Met, codes
	}
	return Open, codes
}

// Flagged returns the statuses whose state is flagged (overdue or partly
// missed), in register order.
func Flagged(sts []Status) []Status {
	var out []Status
	for _, s := range sts {
		if s.State.Flagged() {
			out = append(out, s)
		}
	}
	return out
}

// Sessions returns the done records of the activities with a target, in
// date order: the events (training sessions) held.
func Sessions(sts []Status) []Record {
	var out []Record
	for _, s := range sts {
		for _, c := range s.Commitments {
			if c.Target == nil {
				continue
			}
			for _, r := range s.Records {
				if r.Status == "done" {
					out = append(out, r)
				}
			}
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
