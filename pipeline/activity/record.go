package activity

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/layout"
)

// Statuses a progress record may give, in the order of a life cycle.
var Statuses = []string{"planned", "in-progress", "done", "delayed", "cancelled"}

// Record is one dated progress update of an activity. A "done" record of
// a recurring activity is one time it was held (an event); Attendance
// counts its participants by country.
type Record struct {
	Ref        string         `json:"ref"`
	Date       string         `json:"date"` // YYYY-MM-DD
	Status     string         `json:"status"`
	Note       Text           `json:"note,omitempty"`
	Event      Text           `json:"event,omitempty"`    // the event's name, for events
	Evidence   string         `json:"evidence,omitempty"` // https:// link or a stored document's key
	Country    string         `json:"country,omitempty"`  // the country the record concerns (focal points)
	Source     string         `json:"source,omitempty"`   // funding source id
	AmountUSD  float64        `json:"amount_usd,omitempty"`
	Attendance map[string]int `json:"attendance,omitempty"` // participants by country code
	// Lang is the language of the edition the record is about (a report
	// published in English, en, or in Chinese, zh), when it matters.
	Lang string `json:"lang,omitempty"`
	// ID is the record's own id, from a tracker's record_id column; empty
	// when the record is known by its reference, date and kind (Key).
	ID string `json:"id,omitempty"`
	// Retracts, on a retraction, is the Key of the record it withdraws,
	// with the Reason; the withdrawn record stays in the history.
	Retracts string `json:"retracts,omitempty"`
	Reason   string `json:"reason,omitempty"`

	// Origin says where the record came from (file and row, or the
	// revision it is stored in), for messages; Seq is its order of
	// recording, which breaks ties between records of one date.
	Origin string `json:"-"`
	Seq    int    `json:"-"`
}

// FieldError is a problem with one field of a record.
type FieldError struct {
	Field string // json name of the field; a country code for attendance
	Msg   string
	Hint  string
}

// EvidencePrefix is where stored evidence documents are kept.
const EvidencePrefix = layout.ActivityEvidence

// NormalizeStatus maps what people type ("In progress", "DONE") to a status,
// or returns "".
func NormalizeStatus(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, " ", "-")
	s = strings.ReplaceAll(s, "_", "-")
	if s == "canceled" {
		s = "cancelled"
	}
	for _, v := range Statuses {
		if s == v {
			return v
		}
	}
	return ""
}

// Participants is the total attendance of the record.
func (r *Record) Participants() int {
	n := 0
	for _, v := range r.Attendance {
		n += v
	}
	return n
}

// Check validates the record against the register; today bounds the date
// of what was done. It normalizes the status.
func (r *Record) Check(reg *Register, today time.Time) []FieldError {
	var errs []FieldError
	bad := func(field, hint, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Msg: fmt.Sprintf(format, args...), Hint: hint})
	}
	a := reg.Activity(r.Ref)
	if a == nil {
		bad("ref", "use one of the register's references: "+reg.Refs(), "%q is not an activity of %s", r.Ref, reg.ID)
	}
	d, err := parseDate(r.Date)
	switch {
	case err != nil:
		bad("date", "write the date as YYYY-MM-DD", "%q is not a date", r.Date)
	case d.Year() < 2000:
		bad("date", "check the year", "%s is before the plan", r.Date)
	case reg.Period.From != "" && r.Date < reg.Period.From && NormalizeStatus(r.Status) == "done":
		// work done before the plan began is not the plan's progress
		bad("date", "check the year; work done before the plan belongs to no commitment of it", "%s is before the plan's period, which begins on %s", r.Date, reg.Period.From)
	}
	if r.Lang != "" && r.Lang != "en" && r.Lang != "zh" {
		bad("lang", "write en for an English edition, zh for a Chinese one, or leave it empty", "edition language %q is not en or zh", r.Lang)
	}
	st := NormalizeStatus(r.Status)
	if st == "" {
		bad("status", "use one of "+strings.Join(Statuses, ", "), "%q is not a status", r.Status)
	} else {
		r.Status = st
	}
	if st == "done" && err == nil && d.After(today) {
		bad("date", "record what was done once it is done; use planned for a future date", "%s is in the future", r.Date)
	}
	if r.Country != "" {
		if _, ok := dataset.CountryByCode(r.Country); !ok {
			bad("country", "use one of "+countryCodes(), "%q is not a country code", r.Country)
		}
	}
	regional := false // the activity also has work of no one country
	if a != nil {
		for _, c := range a.Commitments {
			regional = regional || c.Once && c.Regional
		}
	}
	if a != nil && r.Country == "" && !regional {
		for _, c := range a.Commitments {
			if c.EachCountry && st == "done" {
				bad("country", "say which country ("+countryCodes()+")", "activity %s is recorded per country, but no country is given", r.Ref)
			}
		}
	}
	if r.Source != "" {
		if _, ok := reg.Source(r.Source); !ok {
			var ids []string
			for _, s := range reg.FundingSources {
				ids = append(ids, s.ID)
			}
			bad("source", "use one of "+strings.Join(ids, ", "), "%q is not a funding source of the plan", r.Source)
		}
	}
	if r.AmountUSD < 0 {
		bad("amount_usd", "give the amount in US dollars, or leave it empty", "amount %v is negative", r.AmountUSD)
	}
	codes := make([]string, 0, len(r.Attendance))
	for c := range r.Attendance {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		n := r.Attendance[c]
		if _, ok := dataset.CountryByCode(c); !ok {
			bad(c, "use one of "+countryCodes(), "%q is not a country code", c)
		}
		if n < 0 {
			bad(c, "give the number of participants", "%d participants is negative", n)
		}
	}
	if len(r.Attendance) > 0 && st != "" && st != "done" {
		bad("status", "attendance is counted when an event is done; set the status to done", "attendance given with status %s", st)
	}
	if r.Evidence != "" {
		if strings.HasPrefix(r.Evidence, EvidencePrefix) {
			if strings.Contains(r.Evidence, "..") {
				bad("evidence", "", "%q is not a stored document key", r.Evidence)
			}
		} else if u, err := url.Parse(r.Evidence); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("evidence", "give an http(s) link, or store the document with --evidence-file", "%q is not a link", r.Evidence)
		}
	}
	for lang := range r.Note {
		if lang != "en" && lang != "zh" {
			bad("note", "give notes in en and zh", "note language %q is not supported", lang)
		}
	}
	return errs
}

// Key is the record's identity, which an updated tracker's row keeps: its
// record id when it has one, else its activity, date, kind (an event held,
// funding from a source, or a state) and country. A later record of the
// same Key supersedes it.
func (r *Record) Key() string {
	if r.ID != "" {
		return "id " + r.ID
	}
	kind := "state"
	switch {
	case len(r.Event) > 0 || len(r.Attendance) > 0:
		kind = "event"
	case r.Source != "":
		kind = "funding " + r.Source
	}
	k := r.Ref + " " + r.Date + " " + kind
	if r.Country != "" {
		k += " " + r.Country
	}
	return k
}

// same reports whether two records say the same thing (where they came
// from aside).
func same(a, b Record) bool {
	a.Origin, a.Seq, b.Origin, b.Seq = "", 0, "", 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// Effective keeps, of records in order of recording, the latest of each
// Key, in the order of its first recording, and leaves out the records a
// later retraction withdrew and the retractions themselves: the records
// the states are judged on. A corrected row replaces its record; it is
// never counted twice.
func Effective(recs []Record) []Record {
	latest := map[string]int{}
	var order []string
	retracted := map[string]bool{}
	for i, r := range recs {
		if r.Retracts != "" {
			retracted[r.Retracts] = true
			continue
		}
		k := r.Key()
		if _, seen := latest[k]; !seen {
			order = append(order, k)
		}
		latest[k] = i
		delete(retracted, k) // recorded again after its retraction
	}
	out := make([]Record, 0, len(order))
	for _, k := range order {
		if !retracted[k] {
			out = append(out, recs[latest[k]])
		}
	}
	return out
}

// SortRecords orders records by date, then by order of recording.
func SortRecords(rs []Record) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Date != rs[j].Date {
			return rs[i].Date < rs[j].Date
		}
		return rs[i].Seq < rs[j].Seq
	})
}
