package activity

import (
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/templates"
)

const testRegister = `
id: test-plan
title: {en: Test plan, zh: 测试计划}
period: {from: "2011-01-01", to: "2013-12-31"}
leads:
  L: {name: {en: Lead, zh: 牵头}}
sections:
  - {id: II.1, title: {en: One, zh: 一}}
activities:
  - {ref: "1.1", section: II.1, title: {en: Item, zh: 项}, lead: [L]}
  - ref: "1.1.1"
    title: {en: Deadline, zh: 期限}
    lead: [L]
    commitments: [{deadline: "2011-12-31"}]
  - ref: "1.1.2"
    title: {en: Start, zh: 启动}
    lead: [L]
    commitments: [{start: "2011-12-31"}]
  - ref: "1.1.3"
    title: {en: Annual, zh: 每年}
    lead: [L]
    commitments: [{every: {from: 2011, to: 2013}}]
  - ref: "1.1.4"
    title: {en: Twice a year and a target, zh: 每年两次和目标}
    lead: [L]
    commitments:
      - every: {times: 2, from: 2011, to: 2013}
      - target: {participants: 100, approx: true, from: "2011-01-01", to: "2013-12-31", priority: ldc}
  - ref: "1.1.5"
    title: {en: Every 2 to 3 years, zh: 每2至3年}
    lead: [L]
    commitments: [{every: {years: 2, max_years: 3}}]
  - ref: "1.1.6"
    title: {en: Each country, zh: 各国}
    lead: [L]
    commitments: [{each_country: true}]
  - {ref: "1.1.7", title: {en: No commitment, zh: 无承诺}, lead: [L]}
`

func date(s string) time.Time {
	d, err := parseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func rec(ref, day, status string) Record { return Record{Ref: ref, Date: day, Status: status} }

func event(ref, day string, att map[string]int) Record {
	return Record{Ref: ref, Date: day, Status: "done", Attendance: att}
}

func TestEvaluate(t *testing.T) {
	reg, err := ParseRegister("test.yaml", []byte(testRegister))
	if err != nil {
		t.Fatal(err)
	}
	all11 := func() []Record {
		var rs []Record
		for _, c := range []string{"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN"} {
			rs = append(rs, Record{Ref: "1.1.6", Date: "2011-05-01", Status: "done", Country: c})
		}
		return rs
	}
	cases := []struct {
		name   string
		ref    string
		asOf   string
		recs   []Record
		want   State
		detail func(t *testing.T, s Status)
	}{
		{"deadline met", "1.1.1", "2012-06-01", []Record{rec("1.1.1", "2011-03-01", "in-progress"), rec("1.1.1", "2011-11-30", "done")}, Met,
			func(t *testing.T, s Status) {
				if s.Commitments[0].Date != "2011-11-30" {
					t.Errorf("met on %q", s.Commitments[0].Date)
				}
			}},
		{"deadline met late", "1.1.1", "2012-06-01", []Record{rec("1.1.1", "2012-02-10", "done")}, MetLate, nil},
		{"deadline overdue", "1.1.1", "2012-01-01", []Record{rec("1.1.1", "2011-06-01", "in-progress")}, Overdue, nil},
		{"deadline due soon", "1.1.1", "2011-10-15", nil, DueSoon, nil},
		{"deadline on track", "1.1.1", "2011-03-01", []Record{rec("1.1.1", "2011-02-01", "planned")}, OnTrack, nil},
		{"done after the as-of date is not yet done", "1.1.1", "2011-11-01", []Record{rec("1.1.1", "2011-11-30", "done")}, DueSoon, nil},
		{"delayed is not done", "1.1.1", "2012-01-05", []Record{rec("1.1.1", "2011-12-01", "delayed")}, Overdue, nil},
		{"cancelled", "1.1.1", "2012-06-01", []Record{rec("1.1.1", "2011-06-01", "cancelled")}, Cancelled, nil},
		{"start met by in-progress", "1.1.2", "2013-01-01", []Record{rec("1.1.2", "2011-09-01", "in-progress")}, Met, nil},
		{"start late", "1.1.2", "2013-01-01", []Record{rec("1.1.2", "2012-03-01", "in-progress")}, MetLate, nil},
		{"annual every year held", "1.1.3", "2014-02-01", []Record{rec("1.1.3", "2011-10-27", "done"), rec("1.1.3", "2012-10-20", "done"), rec("1.1.3", "2013-09-01", "done")}, Met, nil},
		{"annual so far held", "1.1.3", "2012-11-01", []Record{rec("1.1.3", "2011-10-27", "done"), rec("1.1.3", "2012-10-20", "done")}, OnTrack, nil},
		{"annual partly missed", "1.1.3", "2013-06-01", []Record{rec("1.1.3", "2011-10-27", "done")}, PartlyMissed,
			func(t *testing.T, s Status) {
				oc := s.Commitments[0].Occurrences
				if len(oc) != 3 || oc[0].State != "held" || oc[1].State != "missed" || oc[2].State != "pending" {
					t.Errorf("occurrences %+v", oc)
				}
				if oc[1].Label() != "2012" {
					t.Errorf("label %q", oc[1].Label())
				}
			}},
		{"annual current year due soon", "1.1.3", "2013-11-15", []Record{rec("1.1.3", "2011-10-27", "done"), rec("1.1.3", "2012-10-20", "done")}, DueSoon, nil},
		{"annual not yet begun", "1.1.3", "2010-06-01", nil, OnTrack, nil},
		{"twice a year: one missing in 2012", "1.1.4", "2014-01-10", []Record{
			event("1.1.4", "2011-04-01", map[string]int{"KHM": 10, "THA": 10}), event("1.1.4", "2011-10-01", map[string]int{"LAO": 10, "VNM": 10}),
			event("1.1.4", "2012-05-01", map[string]int{"MMR": 10, "IDN": 10}),
			event("1.1.4", "2013-04-01", map[string]int{"KHM": 10, "PHL": 10}), event("1.1.4", "2013-09-01", map[string]int{"LAO": 8, "MYS": 10}),
		}, PartlyMissed, func(t *testing.T, s Status) {
			oc := s.Commitments[0].Occurrences
			if len(oc) != 3 || oc[1].State != "missed" || len(oc[1].Held) != 1 || oc[0].State != "held" {
				t.Errorf("occurrences %+v", oc)
			}
			tg := s.Commitments[1]
			if tg.State != Met || tg.Participants != 98 || tg.Priority != 48 {
				t.Errorf("target %v %d participants %d from LDC", tg.State, tg.Participants, tg.Priority)
			}
		}},
		{"target short after the period", "1.1.4", "2014-01-10", []Record{
			event("1.1.4", "2011-04-01", map[string]int{"KHM": 20}), event("1.1.4", "2011-10-01", map[string]int{"LAO": 20}),
			event("1.1.4", "2012-05-01", map[string]int{"MMR": 10}), event("1.1.4", "2012-10-01", map[string]int{"MMR": 10}),
			event("1.1.4", "2013-04-01", map[string]int{"KHM": 10}), event("1.1.4", "2013-09-01", map[string]int{"LAO": 10}),
			event("1.1.4", "2014-01-05", map[string]int{"LAO": 40}), // after the period: does not count
		}, Overdue, func(t *testing.T, s Status) {
			if s.Commitments[0].State != Met || s.Commitments[1].Participants != 80 {
				t.Errorf("recurrence %v, %d participants", s.Commitments[0].State, s.Commitments[1].Participants)
			}
		}},
		{"target reached at 90 percent of around 100", "1.1.4", "2012-12-01", []Record{
			event("1.1.4", "2011-04-01", map[string]int{"KHM": 45}), event("1.1.4", "2011-10-01", map[string]int{"SGP": 45}),
			event("1.1.4", "2012-05-01", map[string]int{"MMR": 1}),
		}, DueSoon, func(t *testing.T, s Status) {
			// the target is met; the second 2012 session is still due
			if s.Commitments[1].State != Met {
				t.Errorf("target %v with 91 of about 100", s.Commitments[1].State)
			}
		}},
		{"every 2-3 years, not yet held", "1.1.5", "2013-01-01", nil, Open, nil},
		{"every 2-3 years, next pending", "1.1.5", "2013-01-01", []Record{rec("1.1.5", "2012-06-01", "done")}, OnTrack,
			func(t *testing.T, s Status) {
				oc := s.Commitments[0].Occurrences
				if len(oc) != 2 || oc[1].State != "pending" || oc[1].Label() != "2014-2015" {
					t.Errorf("occurrences %+v", oc)
				}
			}},
		{"every 2-3 years, next missed", "1.1.5", "2016-02-01", []Record{rec("1.1.5", "2012-06-01", "done")}, Overdue, nil},
		{"every 2-3 years, held late", "1.1.5", "2017-01-01", []Record{rec("1.1.5", "2012-06-01", "done"), rec("1.1.5", "2016-06-01", "done")}, PartlyMissed, nil},
		{"each country: some", "1.1.6", "2013-01-01", all11()[:9], Open, func(t *testing.T, s Status) {
			if len(s.Commitments[0].Countries) != 9 {
				t.Errorf("countries %v", s.Commitments[0].Countries)
			}
		}},
		{"each country: all", "1.1.6", "2013-01-01", all11(), Met, nil},
		{"no commitment", "1.1.7", "2013-01-01", []Record{rec("1.1.7", "2012-01-01", "done")}, Open, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sts := Evaluate(reg, c.recs, date(c.asOf))
			var got *Status
			for i := range sts {
				if sts[i].Activity.Ref == c.ref {
					got = &sts[i]
				}
			}
			if got.State != c.want {
				t.Fatalf("state %s, want %s", got.State.Key(), c.want.Key())
			}
			if c.detail != nil {
				c.detail(t, *got)
			}
		})
	}
}

func TestParentTakesWorstChild(t *testing.T) {
	reg, err := ParseRegister("test.yaml", []byte(testRegister))
	if err != nil {
		t.Fatal(err)
	}
	sts := Evaluate(reg, []Record{rec("1.1.1", "2011-06-01", "done"), rec("1.1.2", "2012-06-01", "in-progress")}, date("2012-01-01"))
	if sts[0].Activity.Ref != "1.1" {
		t.Fatal(sts[0].Activity.Ref)
	}
	// as of 2012-01-01: 1.1.2 was not started in 2011 (overdue); 1.1.3
	// and 1.1.4 missed 2011 (partly missed); the item takes the worst
	if sts[0].State != Overdue {
		t.Errorf("item state %s, want overdue", sts[0].State.Key())
	}
	var refs []string
	for _, s := range Flagged(sts) {
		refs = append(refs, s.Activity.Ref)
	}
	if got := strings.Join(refs, " "); got != "1.1 1.1.2 1.1.3 1.1.4" {
		t.Errorf("flagged %s", got)
	}
}

func TestRegister(t *testing.T) {
	reg, err := LoadRegister(templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"1.1", "1.2", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "4.1", "4.2",
		"1.1.3", "1.2.2", "1.2.3", "2.4.2", "2.5.4", "2.6.1", "3.1.3", "3.1.4", "3.2.2", "3.3.2", "4.1.3", "4.1.4", "4.2.5",
		"III.1.1", "III.1.2", "III.1.3", "III.1.4", "III.2.1"} {
		if reg.Activity(ref) == nil {
			t.Errorf("register lacks %s", ref)
		}
	}
	if a := reg.Activity("1.2.3"); a.Parent != reg.Activity("1.2") || a.Section != "II.1" {
		t.Errorf("1.2.3 parent %v section %s", a.Parent, a.Section)
	}
	if a := reg.Activity("III.1.3"); a.Section != "III.1" {
		t.Errorf("III.1.3 section %s", a.Section)
	}
	if len(reg.FundingSources) != 5 {
		t.Errorf("%d funding sources", len(reg.FundingSources))
	}
}

func TestRegisterErrors(t *testing.T) {
	bad := strings.Replace(testRegister, `commitments: [{deadline: "2011-12-31"}]`, `commitments: [{deadline: "2011-13-31"}]`, 1)
	bad = strings.Replace(bad, `zh: 无承诺}, lead: [L]}`, `zh: 无承诺}, lead: [X]}`, 1)
	_, err := ParseRegister("reg.yaml", []byte(bad))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`reg.yaml:11: activity 1.1.1, commitment 1: deadline "2011-13-31" is not a date`, `lead "X" is not one of the leads listed`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestRegisterAgainstThePlan: each rule of the register, with the plan's
// wording it implements (../shared/reference/action-plan-2011-2013.txt),
// judged on records.
func TestRegisterAgainstThePlan(t *testing.T) {
	reg, err := LoadRegister(templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	asOf := date("2013-11-15")
	withLang := func(r Record, l string) Record { r.Lang = l; return r }
	country := func(r Record, c string) Record { r.Country = c; return r }
	named := func(r Record) Record { r.Event = Text{"en": "Workshop"}; return r }
	cases := []struct {
		plan string // the plan's words
		ref  string
		recs []Record
		asOf string
		want State
	}{
		{"1.1.3 ASEAN-China EMM will be held once every 2 to 3 years as necessary", "1.1.3",
			[]Record{rec("1.1.3", "2011-06-01", "done")}, "2015-06-01", Open}, // not overdue
		{"1.1.3 Organize the first ASEAN-China EMM at an appropriate time", "1.1.3", nil, "2013-11-15", Open},
		{"1.2.2 In principle, The Forum will be organized annually", "1.2.2",
			[]Record{rec("1.2.2", "2011-10-21", "done"), rec("1.2.2", "2013-09-02", "done")}, "2013-11-15", PartlyMissed},
		{"2.5.4 in principle twice every year", "2.5.4",
			[]Record{event("2.5.4", "2011-05-01", map[string]int{"KHM": 60}), event("2.5.4", "2011-09-01", map[string]int{"LAO": 40}), event("2.5.4", "2012-05-01", map[string]int{"MMR": 5})}, "2013-01-15", PartlyMissed},
		{"2.5.4 for environmental officials ... from AMS ... totalling around 100 people", "2.5.4",
			// 80 of the 130 are from China: they do not count towards the 100
			[]Record{event("2.5.4", "2011-05-01", map[string]int{"CHN": 80, "KHM": 25}), event("2.5.4", "2011-09-01", map[string]int{"LAO": 25}),
				event("2.5.4", "2012-05-01", map[string]int{"MMR": 10}), event("2.5.4", "2012-09-01", map[string]int{"VNM": 10}),
				event("2.5.4", "2013-05-01", map[string]int{"KHM": 5}), event("2.5.4", "2013-09-01", map[string]int{"LAO": 5})}, "2014-01-15", Overdue},
		{"4.1.4 the first report will be ... published no later than 2013 both in English and Chinese", "4.1.4",
			[]Record{rec("4.1.4", "2011-06-01", "in-progress"), withLang(rec("4.1.4", "2013-11-01", "done"), "en")}, "2013-12-31", DueSoon},
		{"4.1.4 ... both in English and Chinese (both published)", "4.1.4",
			[]Record{rec("4.1.4", "2011-06-01", "in-progress"), withLang(rec("4.1.4", "2013-11-01", "done"), "en"), withLang(rec("4.1.4", "2013-11-15", "done"), "zh")}, "2013-12-31", Met},
		{"3.2.2 ... organize technical workshops at appropriate time (a report alone)", "3.2.2",
			[]Record{rec("3.2.2", "2012-06-01", "done")}, "2013-11-15", Open},
		{"3.2.2 ... organize technical workshops at appropriate time (a workshop held)", "3.2.2",
			[]Record{rec("3.2.2", "2012-06-01", "done"), named(rec("3.2.2", "2012-09-01", "done"))}, "2013-11-15", Met},
		{"III.1.1 The Action Plan will be approved by the ASEAN and China Environmental Authorities (NFPs alone)", "III.1.1",
			func() []Record {
				var rs []Record
				for _, c := range []string{"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN"} {
					rs = append(rs, country(rec("III.1.1", "2011-03-01", "done"), c))
				}
				return rs
			}(), "2013-11-15", Open},
		{"2.6.2 Develop and distribute publications and materials", "2.6.2", []Record{rec("2.6.2", "2012-03-01", "done")}, "2013-11-15", Met},
		{"4.1.2 Experts from AMS, China and other countries will be invited", "4.1.2", nil, "2013-11-15", Open},
		{"4.2.4 ... encourage experts and scholars to build up network", "4.2.4", []Record{rec("4.2.4", "2012-03-01", "done")}, "2013-11-15", Met},
		{"III.1.5 ... encourage their local governments, enterprises and civil society to join", "III.1.5", nil, "2013-11-15", Open},
	}
	_ = asOf
	for _, c := range cases {
		t.Run(c.plan, func(t *testing.T) {
			if reg.Activity(c.ref) == nil {
				t.Fatalf("the register has no %s", c.ref)
			}
			for _, s := range Evaluate(reg, c.recs, date(c.asOf)) {
				if s.Activity.Ref == c.ref && s.State != c.want {
					t.Errorf("%s as of %s: %s, want %s", c.ref, c.asOf, s.State.Key(), c.want.Key())
				}
			}
		})
	}
	// the register quotes the plan for the commitments added from its text
	for ref, words := range map[string]string{"2.6.2": "publications and materials", "3.2.2": "Technical workshops", "III.1.1": "approved by the ASEAN and China environmental authorities", "III.1.5": "civil society"} {
		found := false
		for _, c := range reg.Activity(ref).Commitments {
			found = found || strings.Contains(strings.ToLower(c.Text.In("en")), strings.ToLower(words))
		}
		if !found {
			t.Errorf("%s does not carry %q", ref, words)
		}
	}
}

// TestFromTakesEffect: "every n to m years from YEAR" is due from that
// year even before it was first held; without from, the first time has
// no date.
func TestFromTakesEffect(t *testing.T) {
	e := &Recurrence{Times: 1, Years: 2, MaxYears: 3, From: 2011}
	if st, occ := interval(e, nil, date("2014-06-01")); st != Overdue || len(occ) != 1 || occ[0].To.Year() != 2013 {
		t.Fatalf("from 2011, never held, as of 2014: %s %+v", st.Key(), occ)
	}
	e.From = 0
	if st, _ := interval(e, nil, date("2014-06-01")); st != Open {
		t.Fatalf("no from: %s", st.Key())
	}
	e.From, e.AsNecessary = 2011, true
	if st, _ := interval(e, nil, date("2014-06-01")); st == Overdue {
		t.Fatal("as necessary, yet overdue")
	}
}
