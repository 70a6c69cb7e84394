package intake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/store"
)

const pubYAML = `id: demo
kind: policy-study
year: 2013
date: "2013-01-01"
title: {en: Demo, zh: 示例}
chapters: [intro, outlook]
`

func draft(lang, chapter string) []byte {
	from := ""
	if lang == "zh" {
		from = "translated_from: sha256:" + strings.Repeat("0", 64) + "\n"
	}
	return []byte(fmt.Sprintf("---\npublication: demo\nchapter: %s\nlang: %s\ntitle: T\nauthors:\n  - Lin Wei (CAEC, China)\n%s---\n# One\n\nWords.\n", chapter, lang, from))
}

// TestSubmitInScope: an invited file is stored when it is the one the
// invitation is for; another chapter, language or file name is a
// ScopeError at the front-matter line that says so, a file that fails its
// checks is the checks' error, and neither stores anything.
func TestSubmitInScope(t *testing.T) {
	ctx := context.Background()
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &drafts.Repo{Store: s}
	if _, err := r.PushPublication(ctx, "publication.yaml", []byte(pubYAML)); err != nil {
		t.Fatal(err)
	}
	invited := drafts.Submission{Pub: "demo", Kind: drafts.Chapters, Item: "intro", Lang: "en", Author: "Lin Wei", File: "intro.md"}
	for _, c := range []struct {
		name      string
		data      []byte
		line      int
		want      string
		wantScope bool
	}{
		{"another chapter", draft("en", "outlook"), 3, "this link is for chapter intro; the draft says outlook", true},
		{"another language", draft("zh", "intro"), 4, "this link is for the en text; the draft says lang: zh", true},
		{"a broken draft", []byte("---\npublication: demo\nchapter: intro\n"), 0, "front matter", false},
	} {
		sub := invited
		sub.Data = c.data
		_, _, err := intake.Submit(ctx, r, sub)
		var se *drafts.ScopeError
		switch {
		case err == nil || !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		case errors.As(err, &se) != c.wantScope:
			t.Errorf("%s: scope error %v, want %v", c.name, errors.As(err, &se), c.wantScope)
		case c.wantScope && se.Line != c.line:
			t.Errorf("%s: line %d, want %d", c.name, se.Line, c.line)
		}
	}
	var keys []string
	store.ListAll(ctx, s, "drafts/", func(in store.Info) error { keys = append(keys, in.Key); return nil })
	if len(keys) != 0 {
		t.Fatalf("refused files stored: %v", keys)
	}
	sub := invited
	sub.Data = draft("en", "intro")
	res, _, err := intake.Submit(ctx, r, sub)
	if err != nil || res.Item != "intro" || res.Author != "Lin Wei" || res.Duplicate {
		t.Fatalf("the invited draft: %+v %v", res, err)
	}
	fig := drafts.Submission{Pub: "demo", Kind: drafts.Figures, Item: "map", File: "forest.png", Data: []byte("\x89PNG")}
	if _, _, err := intake.Submit(ctx, r, fig); err == nil {
		t.Error("a broken figure is accepted")
	}
	if _, _, err := intake.Submit(ctx, r, drafts.Submission{Pub: "demo", Kind: "maps", Item: "x", File: "x.svg"}); err == nil || !strings.Contains(err.Error(), `no submissions of kind "maps"`) {
		t.Errorf("unknown kind: %v", err)
	}
}
