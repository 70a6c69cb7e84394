package publication

import (
	"strings"
	"testing"
)

const good = `id: p
kind: outlook
year: 2013
date: "2013-01-01"
title: {en: T, zh: 题}
chapters:
  - one
  - two
`

func TestParse(t *testing.T) {
	p, err := Parse("publication.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if p.Template != "outlook" || len(p.Languages) != 2 || p.ShortTitle.In("zh") != "题" || p.ChapterLine["two"] != 8 {
		t.Fatalf("%+v", p)
	}
	if p.Title.In("fr") != "T" {
		t.Fatal("no English fallback")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown field", good + "colour: red\n", `publication.yaml:9: unknown field "colour"`},
		{"bad id", strings.Replace(good, "id: p", "id: P Q", 1), `id "P Q" is not valid`},
		{"bad kind", strings.Replace(good, "kind: outlook", "kind: novel", 1), `kind "novel" is not known`},
		{"bad date", strings.Replace(good, `"2013-01-01"`, `"1 Jan"`, 1), `date "1 Jan" is not a date`},
		{"missing title", strings.Replace(good, "title: {en: T, zh: 题}", "title: {en: T}", 1), `title has no "zh" text`},
		{"twice", good + "  - one\n", `publication.yaml:9: chapter "one" is listed twice`},
		{"bad chapter id", good + "  - Three Four\n", `publication.yaml:9: chapter id "Three Four" is not valid`},
		{"yaml", "id: [\n", "publication.yaml:"},
		{"language", good + "languages: [en, fr]\n", `language "fr" is not supported`},
		{"summary not a chapter", good + "summary_chapter: spm\n", `summary_chapter "spm" is not one of the chapters`},
		{"front not a chapter", good + "front: [preface]\n", `front chapter "preface" is not one of the chapters`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("publication.yaml", []byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
