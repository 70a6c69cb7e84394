package appendix

import (
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/activity"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/templates"
)

// TestChapters: from narrow inputs (a publication listing three
// appendices, the register, two records and the labels), the appendices
// are lettered chapters in the publication's order; a record dated after
// as_of is not counted; without a register or with a bad as_of the
// error names the publication file.
func TestChapters(t *testing.T) {
	reg, err := activity.LoadRegister(templates.FS, "action-plan-2011-2013")
	if err != nil {
		t.Fatal(err)
	}
	ref := reg.Activities[0].Ref
	pub := &publication.Publication{ID: "demo", File: "publication.yaml", AsOf: "2013-06-30",
		Appendices: []string{"institutions-funding", "action-plan-status", "capacity-building"}}
	recs := []activity.Record{{Ref: ref, Date: "2012-05-01", Status: "done"}, {Ref: ref, Date: "2014-01-01", Status: "done"}}
	label := func(lang, key string) string {
		if key == "appx.source" {
			return lang + ":" + key + " %d records as of %s"
		}
		return lang + ":" + key + strings.Repeat(" %v", strings.Count(key, "caption"))
	}
	in := Input{Pub: pub, Register: reg, Records: recs, Label: label}
	chs, err := Chapters(in, "zh")
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) != 3 {
		t.Fatalf("%d appendices", len(chs))
	}
	for i, want := range []string{"institutions-funding", "action-plan-status", "capacity-building"} {
		ch := chs[i]
		if ch.Appendix != string(rune('A'+i)) || ch.Meta.Chapter != "appendix-"+want || ch.Meta.Lang != "zh" || !strings.HasPrefix(ch.Meta.Title, "zh:appx.") {
			t.Errorf("appendix %d: %s %s %s %q", i, ch.Appendix, ch.Meta.Chapter, ch.Meta.Lang, ch.Meta.Title)
		}
	}
	// the status table's notes count the one record up to as_of
	found := false
	chs[1].Walk(func(b ms.Block) {
		if tb, ok := b.(*ms.Table); ok {
			for _, n := range tb.Notes {
				if strings.Contains(ms.PlainText(n), "zh:appx.source 1 records") {
					found = true
				}
			}
		}
	})
	if !found {
		t.Error("the status table's source note does not count 1 record up to as_of")
	}

	for _, c := range []struct {
		in   Input
		want string
	}{
		{Input{Pub: pub, Label: label}, "plan register"},
		{Input{Pub: &publication.Publication{ID: "demo", File: "publication.yaml", AsOf: "30/06/2013", Appendices: pub.Appendices}, Register: reg, Label: label}, "not a date"},
	} {
		_, err := Chapters(c.in, "en")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "publication.yaml") {
			t.Errorf("got %v, want an error at publication.yaml saying %q", err, c.want)
		}
	}
	if chs, err := Chapters(Input{Pub: &publication.Publication{ID: "x"}}, "en"); chs != nil || err != nil {
		t.Errorf("no appendices: %v %v", chs, err)
	}
}
