package bib

import (
	"strings"
	"testing"
	"time"
)

// FuzzBibTeX: any input ends in entries or an error naming the file, in
// time linear in its size, and the entries format in both styles.
func FuzzBibTeX(f *testing.F) {
	f.Add(sampleBib)
	for _, s := range []string{"@article{a,", "@string{x = {y}} @book{b, title = x # \"z\"}", "@comment{", "{\\'{", "@misc{k, author = { and and {} }}", "@book{k, title={\\v}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		es, err := ParseBibTeX("f.bib", []byte(src))
		if err != nil && !strings.Contains(err.Error(), "f.bib") {
			t.Fatalf("an error without the file: %v", err)
		}
		if d := time.Since(start); d > time.Second+time.Duration(len(src))*time.Microsecond*20 {
			t.Fatalf("%d bytes took %v", len(src), d)
		}
		lib, _ := NewLibrary(es)
		for _, lang := range []string{"en", "zh"} {
			s := NewStyle(lang, lib, lib.Keys())
			s.References(lib.Keys())
			for _, k := range lib.Keys() {
				s.Citation(Cite{Items: []CiteItem{{Key: k, Locator: "p. 1"}}})
			}
		}
	})
}

// FuzzCSLJSON: any input ends in entries or an error naming the file.
func FuzzCSLJSON(f *testing.F) {
	f.Add(zotero)
	f.Add(`[{"id": 1, "author": [{}], "issued": {"date-parts": [[]]}}]`)
	f.Fuzz(func(t *testing.T, src string) {
		es, err := ParseCSLJSON("f.json", []byte(src))
		if err != nil && !strings.Contains(err.Error(), "f.json") {
			t.Fatalf("an error without the file: %v", err)
		}
		lib, _ := NewLibrary(es)
		NewStyle("zh", lib, lib.Keys()).References(lib.Keys())
	})
}
