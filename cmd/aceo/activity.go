package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
	"github.com/urfave/cli/v2"
)

// planFlag is a new --plan flag: each app run needs its own flag values,
// as tests run several at once.
func planFlag() cli.Flag {
	return &cli.StringFlag{Name: "plan", Value: activity.DefaultPlan, Usage: "the plan register (templates/registers/PLAN.yaml)"}
}

func loadRegister(c *cli.Context) (*activity.Register, error) {
	return activity.LoadRegister(templates.FS, c.String("plan"))
}

// words gives the tracker's wording in lang from the default template.
func words(lang string) (activity.Words, error) {
	t, err := typeset.LoadTemplate(templates.FS, "outlook")
	if err != nil {
		return activity.Words{}, err
	}
	if lang != "en" && lang != "zh" {
		return activity.Words{}, fmt.Errorf("language %q is not supported: use en or zh", lang)
	}
	return activity.Words{Lang: lang, Label: func(k string) string { return t.Label(lang, k) }}, nil
}

func activityCommand() *cli.Command {
	by := &cli.StringFlag{Name: "by", EnvVars: []string{"ACEO_USER", "USER"}, Usage: "who records the progress"}
	return &cli.Command{
		Name:  "activity",
		Usage: "track the Action Plan's activities (editors)",
		Subcommands: []*cli.Command{
			activityUpdateCommand(by),
			activityImportCommand(by),
			activityRecordsCommand(),
			activityRetractCommand(by),
			activityListCommand(),
		},
	}
}

func text(en, zh string) activity.Text {
	if en == "" && zh == "" {
		return nil
	}
	t := activity.Text{}
	if en != "" {
		t["en"] = en
	}
	if zh != "" {
		t["zh"] = zh
	}
	return t
}

// flagOf names the command-line flag of a record field.
func flagOf(field string) string {
	switch field {
	case "amount_usd":
		return "amount-usd"
	case "ref":
		return "REF"
	}
	if len(field) == 3 && strings.ToUpper(field) == field {
		return "attendance " + field
	}
	return field
}

type statusJSON struct {
	Ref         string           `json:"ref"`
	Title       string           `json:"title"`
	State       string           `json:"state"`
	Commitments []string         `json:"commitments,omitempty"`
	Progress    []string         `json:"progress,omitempty"`
	Latest      *activity.Record `json:"latest,omitempty"`
}

func printStatusJSON(c *cli.Context, w activity.Words, asOf time.Time, sts []activity.Status) error {
	out := struct {
		AsOf       string       `json:"as_of"`
		Activities []statusJSON `json:"activities"`
	}{AsOf: asOf.Format("2006-01-02"), Activities: []statusJSON{}}
	for _, s := range sts {
		j := statusJSON{Ref: s.Activity.Ref, Title: s.Activity.Title.In(w.Lang), State: s.State.Key(), Latest: s.Latest}
		for _, cs := range s.Commitments {
			j.Commitments = append(j.Commitments, w.Commitment(cs.Commitment))
			j.Progress = append(j.Progress, w.Progress(cs))
		}
		out.Activities = append(out.Activities, j)
	}
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// activityUpdateCommand is aceo activity update: one dated progress record.
func activityUpdateCommand(by cli.Flag) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "record a dated progress update of one activity",
		ArgsUsage: "REF",
		Description: "Stores one record under activities/ as an immutable revision. For an event\n" +
			"(a Forum, a training session), record it as done on its date with\n" +
			"--event and --attendance. Example:\n" +
			"  aceo activity update 2.5.4 --status done --date 2012-06-11 \\\n" +
			"     --event 'Environmental law enforcement, Beijing' --attendance KHM=3,LAO=2,MMR=3",
		Flags: []cli.Flag{planFlag(), by,
			&cli.StringFlag{Name: "status", Required: true, Usage: "planned, in-progress, done, delayed or cancelled"},
			&cli.StringFlag{Name: "date", Usage: "YYYY-MM-DD the update is about (default: today)"},
			&cli.StringFlag{Name: "note", Usage: "what happened, in English"},
			&cli.StringFlag{Name: "note-zh", Usage: "what happened, in Chinese"},
			&cli.StringFlag{Name: "event", Usage: "the event's name, in English"},
			&cli.StringFlag{Name: "event-zh", Usage: "the event's name, in Chinese"},
			&cli.StringFlag{Name: "evidence", Usage: "an http(s) link to the evidence"},
			&cli.StringFlag{Name: "evidence-file", Usage: "a document (PDF, image, DOCX, XLSX, TXT) to store as the evidence"},
			&cli.StringFlag{Name: "country", Usage: "the country the record concerns (National Focal Points), e.g. KHM"},
			&cli.StringFlag{Name: "source", Usage: "funding source id (III.2.1), e.g. cooperation-fund"},
			&cli.Float64Flag{Name: "amount-usd", Usage: "funding amount in US dollars"},
			&cli.StringFlag{Name: "attendance", Usage: "participants by country: KHM=3,LAO=2,..."},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("activity update needs the activity's reference, for example: aceo activity update 1.2.3 --status done --date 2011-10-21")
			}
			reg, err := loadRegister(c)
			if err != nil {
				return err
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			log := &activity.Log{Store: repo.Store}
			now := time.Now().UTC()
			r := activity.Record{Ref: c.Args().First(), Date: c.String("date"), Status: c.String("status"),
				Evidence: c.String("evidence"), Country: strings.ToUpper(c.String("country")), Source: c.String("source"), AmountUSD: c.Float64("amount-usd")}
			if r.Date == "" {
				r.Date = now.Format("2006-01-02")
			}
			r.Note = text(c.String("note"), c.String("note-zh"))
			r.Event = text(c.String("event"), c.String("event-zh"))
			if s := c.String("attendance"); s != "" {
				r.Attendance = map[string]int{}
				for _, kv := range strings.Split(s, ",") {
					k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
					n, err := strconv.Atoi(strings.TrimSpace(v))
					if !ok || err != nil {
						return fmt.Errorf("--attendance %q: write COUNTRY=NUMBER pairs separated by commas, e.g. KHM=3,LAO=2", kv)
					}
					r.Attendance[strings.ToUpper(strings.TrimSpace(k))] = n
				}
			}
			if f := c.String("evidence-file"); f != "" && r.Evidence != "" {
				return fmt.Errorf("give --evidence or --evidence-file, not both")
			}
			var errs diag.List
			for _, fe := range r.Check(reg, now) {
				errs.Add(&diag.Error{File: "--" + flagOf(fe.Field), Msg: fe.Msg, Hint: fe.Hint})
			}
			if err := errs.Err(); err != nil {
				return err
			}
			if f := c.String("evidence-file"); f != "" {
				data, err := readFile(f)
				if err != nil {
					return err
				}
				if r.Evidence, err = log.AddEvidence(c.Context, filepath.Base(f), data); err != nil {
					return err
				}
			}
			_, id, err := log.Import(c.Context, c.String("by"), "aceo activity update", []activity.Record{r})
			if errors.Is(err, activity.ErrDuplicate) {
				fmt.Fprintf(c.App.Writer, "unchanged: the same record is already stored\n")
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "recorded %s %s %s as %s\n", r.Ref, r.Status, r.Date, id)
			return nil
		},
	}
}

// activityImportCommand is aceo activity import: the records of a tracker workbook.
func activityImportCommand(by cli.Flag) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "record the progress rows of an XLSX tracker workbook",
		ArgsUsage: "TRACKER.xlsx",
		Description: "The workbook's sheet \"progress\" has a header row naming its columns: ref,\n" +
			"date, status, and any of note_en, note_zh, event_en, event_zh, evidence,\n" +
			"country, source, amount_usd, and one column per country code (BRN ... CHN)\n" +
			"for attendance, and record_id when rows need ids of their own. Every row is\n" +
			"checked first; if any is wrong, every problem is reported with its sheet!cell\n" +
			"and nothing is stored. A row is known by its record_id, or by its ref, date,\n" +
			"kind (an event or a state) and country: importing the same tracker again\n" +
			"stores nothing, an updated one only its new and corrected rows, which replace\n" +
			"the rows they correct. Stored batches are immutable, under activities/.",
		Flags: []cli.Flag{planFlag(), by, &cli.BoolFlag{Name: "check", Usage: "check the workbook and report, storing nothing"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("activity import needs a tracker workbook, for example: aceo activity import tracker.xlsx")
			}
			reg, err := loadRegister(c)
			if err != nil {
				return err
			}
			file := c.Args().First()
			data, err := readFile(file)
			if err != nil {
				return err
			}
			recs, err := activity.ReadTracker(file, data, reg, time.Now().UTC())
			if err != nil {
				return err
			}
			if c.Bool("check") {
				fmt.Fprintf(c.App.Writer, "%s: %d records, all valid (nothing stored)\n", file, len(recs))
				return nil
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			log := &activity.Log{Store: repo.Store}
			stored, id, err := log.Import(c.Context, c.String("by"), filepath.Base(file), recs)
			if errors.Is(err, activity.ErrDuplicate) {
				fmt.Fprintf(c.App.Writer, "unchanged: the %d records of %s are already stored; nothing was stored\n", len(recs), filepath.Base(file))
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "recorded %d new or corrected records from %s as %s (%d unchanged)\n", len(stored), filepath.Base(file), id, len(recs)-len(stored))
			return nil
		},
	}
}

// activityRecordsCommand is aceo activity records: every stored record.
func activityRecordsCommand() *cli.Command {
	return &cli.Command{
		Name:  "records",
		Usage: "list the progress records in effect, with the keys that name them",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"}},
		Action: func(c *cli.Context) error {
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			recs, _, err := (&activity.Log{Store: repo.Store}).Records(c.Context)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				type row struct {
					Key string `json:"key"`
					activity.Record
					Batch string `json:"batch"`
				}
				rows := []row{}
				for _, r := range recs {
					rows = append(rows, row{r.Key(), r, r.Origin})
				}
				return printJSON(c, rows)
			}
			t := newTable("KEY", "STATUS", "PARTICIPANTS", "BATCH")
			for _, r := range recs {
				t.row(r.Key(), r.Status, fmt.Sprint(r.Participants()), r.Origin)
			}
			return t.print(c.App.Writer)
		},
	}
}

// activityRetractCommand is aceo activity retract: a record withdrawn, with the reason.
func activityRetractCommand(by cli.Flag) *cli.Command {
	return &cli.Command{
		Name:      "retract",
		Usage:     "withdraw a progress record (it stays in the history)",
		ArgsUsage: "KEY",
		Description: "KEY names the record as aceo activity records shows it: its record_id\n" +
			"(\"id R-12\"), or its reference, date, kind and country (\"1.2.3 2011-10-21 event\").",
		Flags: []cli.Flag{by, &cli.StringFlag{Name: "reason", Required: true, Usage: "why it is withdrawn"}},
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return fmt.Errorf("activity retract needs the record's key, for example: aceo activity retract \"1.2.3 2011-10-21 event\" --reason \"entered twice\"")
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			key := strings.Join(c.Args().Slice(), " ")
			id, err := (&activity.Log{Store: repo.Store}).Retract(c.Context, c.String("by"), key, c.String("reason"), time.Now().UTC())
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "withdrew %s as %s\n", key, id)
			return nil
		},
	}
}

// activityListCommand is aceo activity list: every activity's state as of a date.
func activityListCommand() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "show where each activity stands against its commitments",
		Flags: []cli.Flag{planFlag(),
			&cli.StringFlag{Name: "as-of", Usage: "YYYY-MM-DD to judge the state at (default: today)"},
			&cli.BoolFlag{Name: "overdue", Usage: "only the activities overdue or partly missed"},
			&cli.StringFlag{Name: "lang", Value: "en", Usage: "language of the listing: en or zh"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
		},
		Action: func(c *cli.Context) error {
			reg, err := loadRegister(c)
			if err != nil {
				return err
			}
			asOf, err := activity.AsOf(c.String("as-of"), time.Now().UTC())
			if err != nil {
				return err
			}
			w, err := words(c.String("lang"))
			if err != nil {
				return err
			}
			repo, err := openRepo(c)
			if err != nil {
				return err
			}
			defer repo.Store.Close()
			recs, _, err := (&activity.Log{Store: repo.Store}).Records(c.Context)
			if err != nil {
				return err
			}
			sts := activity.Evaluate(reg, recs, asOf)
			if c.Bool("overdue") {
				sts = activity.Flagged(sts)
			}
			if c.Bool("json") {
				return printStatusJSON(c, w, asOf, sts)
			}
			sep := ", "
			if w.Lang == "zh" {
				sep = "，"
			}
			day := asOf.Format("2006-01-02")
			if w.Lang == "zh" {
				day = w.Day(day)
			}
			fmt.Fprintf(c.App.Writer, "%s%s%s%s\n\n", reg.Title.In(w.Lang), sep, fmt.Sprintf(w.Label("as_of"), day), fmt.Sprintf(w.Label("record_count"), len(recs)))
			if len(sts) == 0 {
				fmt.Fprintln(c.App.Writer, w.Label("none_flagged"))
			}
			for _, s := range sts {
				lines := strings.Split(w.Summary(reg, s), "\n")
				for i, l := range lines {
					lines[i] = safe(l) // notes come from trackers: no terminal escapes
				}
				fmt.Fprintln(c.App.Writer, strings.Join(lines, "\n"))
			}
			return nil
		},
	}
}
