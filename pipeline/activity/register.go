// Package activity tracks the activities of the ASEAN-China Environmental
// Cooperation Action Plan: the register of actions and their commitments
// (deadlines, recurrences, targets), dated progress records, and each
// activity's state as of a date.
package activity

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
	"go.yaml.in/yaml/v4"
)

// Text is a string in several languages.
type Text = publication.Text

// DefaultPlan is the register used when a publication names none.
const DefaultPlan = "action-plan-2011-2013"

// Register is one plan's list of activities.
type Register struct {
	ID     string `yaml:"id"`
	Title  Text   `yaml:"title"`
	Period struct {
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"period"`
	Leads          map[string]Lead `yaml:"leads"`
	Sections       []Section       `yaml:"sections"`
	Activities     []*Activity     `yaml:"activities"`
	FundingSources []Source        `yaml:"funding_sources"`

	File  string               `yaml:"-"`
	byRef map[string]*Activity // every activity by reference
}

// Lead is a body that leads activities: its name, and the abbreviation
// tables use (default: its key).
type Lead struct {
	Name Text `yaml:"name"`
	Abbr Text `yaml:"abbr"`
}

// Section is a part of the plan that groups activities.
type Section struct {
	ID    string `yaml:"id"`
	Title Text   `yaml:"title"`
}

// Source is one of the plan's funding sources.
type Source struct {
	ID   string `yaml:"id"`
	Name Text   `yaml:"name"`
}

// Activity is one action of the plan: a numbered item ("1.2") or a
// numbered sub-item that carries a commitment ("1.2.3").
type Activity struct {
	Ref         string       `yaml:"ref"`
	Section     string       `yaml:"section"` // default: the previous activity's
	Title       Text         `yaml:"title"`
	Lead        []string     `yaml:"lead"`
	Commitments []Commitment `yaml:"commitments"`

	Line     int         `yaml:"-"` // in the register file
	Parent   *Activity   `yaml:"-"` // "1.2" for "1.2.3", when listed
	Children []*Activity `yaml:"-"`
}

// Commitment is what the plan promises for an activity. Exactly one of
// Deadline, Start, Every, Target and EachCountry is set.
type Commitment struct {
	Deadline    string      `yaml:"deadline"`     // done no later than this day
	Start       string      `yaml:"start"`        // started no later than this day
	Every       *Recurrence `yaml:"every"`        // held periodically
	Target      *Target     `yaml:"target"`       // participants over a period
	EachCountry bool        `yaml:"each_country"` // done for each of the eleven countries
	// Once is done at least once, with no date set ("organize technical
	// workshops at appropriate time"): met by a done record, never overdue.
	// Events counts only records of events held (an event name or an
	// attendance), Regional only records of no one country.
	Once     bool `yaml:"once"`
	Events   bool `yaml:"events"`
	Regional bool `yaml:"regional"`
	// Languages, on a deadline, are the editions the work is due in: met
	// when a done record of each language (Record.Lang) is there.
	Languages []string `yaml:"languages"`
	Text      Text     `yaml:"text"` // the plan's wording, optional
}

// Recurrence is an activity held Times times in each period of Years
// years from year From to year To (0: open-ended). With MaxYears it is
// "every Years to MaxYears years": the next time is due at the latest
// MaxYears after the last.
type Recurrence struct {
	Times    int `yaml:"times"`
	Years    int `yaml:"years"`
	MaxYears int `yaml:"max_years"`
	From     int `yaml:"from"`
	To       int `yaml:"to"`
	// AsNecessary: held "as necessary", so a time not held is never
	// overdue (the plan's "once every 2 to 3 years as necessary").
	AsNecessary bool `yaml:"as_necessary"`
}

// Target is a number of participants to reach over a period.
type Target struct {
	Participants int    `yaml:"participants"`
	Approx       bool   `yaml:"approx"` // "around": reached at 90%
	From         string `yaml:"from"`
	To           string `yaml:"to"`
	Priority     string `yaml:"priority"` // "ldc": report the share from least developed AMS
	// Countries whose participants count: "ams" for the ASEAN Member
	// States only ("professionals from AMS"); all by default.
	Countries string `yaml:"countries"`
}

// ApproxShare is the share of an approximate target ("around 100") that
// counts as reaching it.
const ApproxShare = 0.9

// Needed is the number of participants that reaches the target.
func (t *Target) Needed() int {
	if t.Approx {
		return int(float64(t.Participants)*ApproxShare + 0.5)
	}
	return t.Participants
}

// Activity returns the activity with reference ref, or nil.
func (r *Register) Activity(ref string) *Activity { return r.byRef[ref] }

// SectionTitle returns the title of section id.
func (r *Register) SectionTitle(id string) Text {
	for _, s := range r.Sections {
		if s.ID == id {
			return s.Title
		}
	}
	return nil
}

// Source returns the funding source with id, if the register lists it.
func (r *Register) Source(id string) (Source, bool) {
	for _, s := range r.FundingSources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

// Refs lists the references of the register, for messages.
func (r *Register) Refs() string {
	var refs []string
	for _, a := range r.Activities {
		refs = append(refs, a.Ref)
	}
	return strings.Join(refs, ", ")
}

// LeadNames returns the names of the activity's lead bodies in lang.
func (r *Register) LeadNames(a *Activity, lang string) []string {
	var out []string
	for _, l := range a.Lead {
		out = append(out, r.Leads[l].Name.In(lang))
	}
	return out
}

// LeadAbbr returns the abbreviation of lead body key in lang.
func (r *Register) LeadAbbr(key, lang string) string {
	if a := r.Leads[key].Abbr.In(lang); a != "" {
		return a
	}
	return key
}

// LoadRegister reads the register of plan id from dir (the templates:
// registers/<id>.yaml).
func LoadRegister(dir fs.FS, id string) (*Register, error) {
	if id == "" {
		id = DefaultPlan
	}
	if !publication.ValidID(id) {
		return nil, fmt.Errorf("plan register %q: not a valid name", id)
	}
	data, err := fs.ReadFile(dir, "registers/"+id+".yaml")
	if err != nil {
		return nil, fmt.Errorf("plan register %q: %w (registers live in templates/registers/)", id, err)
	}
	return ParseRegister("templates/registers/"+id+".yaml", data)
}

var refRE = regexp.MustCompile(`^(III\.)?[1-9][0-9]?(\.[1-9][0-9]?){1,2}$`)

const dateLayout = "2006-01-02"

func parseDate(s string) (time.Time, error) { return time.Parse(dateLayout, s) }

// ParseRegister validates the YAML text of a register named file.
func ParseRegister(file string, data []byte) (*Register, error) {
	var r Register
	if err := strictyaml.Decode(file, data, 1, &r); err != nil {
		return nil, err
	}
	r.File = file
	lines := itemLines(data, "activities")
	var errs diag.List
	bad := func(line int, format string, args ...any) { errs.Add(diag.Errorf(file, line, format, args...)) }
	if _, err := parseDate(r.Period.From); err != nil {
		bad(0, "period.from %q is not a date (YYYY-MM-DD)", r.Period.From)
	}
	if _, err := parseDate(r.Period.To); err != nil {
		bad(0, "period.to %q is not a date (YYYY-MM-DD)", r.Period.To)
	}
	for _, k := range sortedLeads(r.Leads) {
		if l := r.Leads[k]; l.Name["en"] == "" || l.Name["zh"] == "" {
			bad(0, "lead %s needs a name in en and zh", k)
		}
	}
	sections := map[string]bool{}
	for _, s := range r.Sections {
		sections[s.ID] = true
		if s.Title["en"] == "" || s.Title["zh"] == "" {
			bad(0, "section %s needs a title in en and zh", s.ID)
		}
	}
	r.byRef = map[string]*Activity{}
	section := ""
	for i, a := range r.Activities {
		if i < len(lines) {
			a.Line = lines[i]
		}
		if !refRE.MatchString(a.Ref) {
			bad(a.Line, "reference %q is not a plan reference such as 1.2, 1.2.3 or III.1.2", a.Ref)
		}
		if r.byRef[a.Ref] != nil {
			bad(a.Line, "reference %s is listed twice", a.Ref)
		}
		r.byRef[a.Ref] = a
		if a.Section == "" {
			a.Section = section
		}
		section = a.Section
		if !sections[a.Section] {
			bad(a.Line, "activity %s: section %q is not one of the sections listed", a.Ref, a.Section)
		}
		if a.Title["en"] == "" || a.Title["zh"] == "" {
			bad(a.Line, "activity %s needs a title in en and zh", a.Ref)
		}
		if len(a.Lead) == 0 {
			bad(a.Line, "activity %s has no lead body", a.Ref)
		}
		for _, l := range a.Lead {
			if _, ok := r.Leads[l]; !ok {
				bad(a.Line, "activity %s: lead %q is not one of the leads listed", a.Ref, l)
			}
		}
		if i := strings.LastIndex(a.Ref, "."); i > 0 {
			if p := r.byRef[a.Ref[:i]]; p != nil {
				a.Parent = p
				p.Children = append(p.Children, a)
			}
		}
		for k, c := range a.Commitments {
			if msg := c.check(); msg != "" {
				bad(a.Line, "activity %s, commitment %d: %s", a.Ref, k+1, msg)
			}
		}
	}
	for _, s := range r.FundingSources {
		if s.ID == "" || s.Name["en"] == "" || s.Name["zh"] == "" {
			bad(0, "funding source %q needs an id and a name in en and zh", s.ID)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &r, nil
}

// check validates a commitment and fills defaults; it returns what is
// wrong, or "".
func (c *Commitment) check() string {
	n := 0
	if c.Deadline != "" {
		n++
		if _, err := parseDate(c.Deadline); err != nil {
			return fmt.Sprintf("deadline %q is not a date (YYYY-MM-DD)", c.Deadline)
		}
	}
	if c.Start != "" {
		n++
		if _, err := parseDate(c.Start); err != nil {
			return fmt.Sprintf("start %q is not a date (YYYY-MM-DD)", c.Start)
		}
	}
	if e := c.Every; e != nil {
		n++
		if e.Times == 0 {
			e.Times = 1
		}
		if e.Years == 0 {
			e.Years = 1
		}
		switch {
		case e.Times < 0 || e.Years < 0:
			return "every: times and years must be positive"
		case e.MaxYears != 0 && e.MaxYears < e.Years:
			return "every: max_years must not be less than years"
		case e.MaxYears != 0 && e.Times != 1:
			return "every: max_years (every n to m years) goes with times: 1"
		case e.MaxYears == 0 && e.From == 0:
			return "every: give the first year (from)"
		case e.To != 0 && e.To < e.From:
			return "every: to is before from"
		}
	}
	if t := c.Target; t != nil {
		n++
		from, err1 := parseDate(t.From)
		to, err2 := parseDate(t.To)
		switch {
		case t.Participants <= 0:
			return "target: participants must be a positive number"
		case err1 != nil || err2 != nil:
			return "target: from and to must be dates (YYYY-MM-DD)"
		case to.Before(from):
			return "target: to is before from"
		case t.Priority != "" && t.Priority != "ldc":
			return fmt.Sprintf("target: priority %q is not known (use ldc)", t.Priority)
		}
	}
	if c.EachCountry {
		n++
	}
	if c.Once {
		n++
		if len(c.Text) == 0 {
			return "once: give the plan's wording (text)"
		}
	}
	if (c.Events || c.Regional) && !c.Once {
		return "events and regional go with once"
	}
	for _, l := range c.Languages {
		if l != "en" && l != "zh" {
			return fmt.Sprintf("languages: %q is not en or zh", l)
		}
	}
	if len(c.Languages) > 0 && c.Deadline == "" {
		return "languages go with a deadline"
	}
	if t := c.Target; t != nil && t.Countries != "" && t.Countries != "ams" {
		return fmt.Sprintf("target: countries %q is not known (use ams)", t.Countries)
	}
	if n != 1 {
		return "give exactly one of deadline, start, every, target, each_country or once"
	}
	return ""
}

// itemLines returns the line of each item of the top-level sequence key.
func itemLines(data []byte, key string) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			var out []int
			for _, it := range m.Content[i+1].Content {
				out = append(out, it.Line)
			}
			return out
		}
	}
	return nil
}

func sortedLeads(m map[string]Lead) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// countryCodes lists the eleven countries' codes, for messages.
func countryCodes() string {
	var cs []string
	for _, c := range dataset.Countries {
		cs = append(cs, c.Code)
	}
	return strings.Join(cs, ", ")
}
