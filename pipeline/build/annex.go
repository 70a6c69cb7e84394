package build

import (
	"github.com/aceo-project/aceo/pipeline/annex"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// AnnexName is the file name of a publication's data annex.
func AnnexName(pubID string) string { return annex.Name(pubID) }

// Annex writes the data annex of a build whose PDFs are outs (see package
// annex), or returns nil when the publication uses no dataset and has no
// appendices. The annex is bilingual whatever editions this build prints:
// the editions built are reused, the others assembled as drafts. A
// publication without a Chinese edition gets English-only labels.
func Annex(s *Sources, opt Options, outs []Output) ([]byte, error) {
	if len(s.Datasets) == 0 && len(s.Pub.Appendices) == 0 {
		return nil, nil
	}
	cfg, err := s.config(opt)
	if err != nil {
		return nil, err
	}
	t := cfg.Template
	var en, zh *typeset.Edition
	for _, lang := range s.Pub.Languages {
		var ed *typeset.Edition
		for _, o := range outs {
			if o.Lang == lang {
				ed = o.Edition
			}
		}
		if ed == nil {
			// a language this build does not print may lack drafts (a
			// preview of the English edition): its draft edition stands
			// in, the English text for a missing translation, as the
			// captions of its tables are bilingual anyway
			ed, _ = s.edition(t, lang, true)
		}
		switch lang {
		case "en":
			en = ed
		case "zh":
			zh = ed
		}
	}
	if en == nil {
		en, zh = zh, nil
	}
	if en == nil {
		return nil, nil
	}
	in := annex.Input{Pub: s.Pub, EN: en.Chapters}
	if zh != nil {
		in.ZH = zh.Chapters
	}
	for _, o := range outs {
		in.PDFs = append(in.PDFs, annex.PDF{Name: FileName(s.Pub, o.Lang), Pages: o.Pages, SHA256: sha(o.PDF)})
	}
	for _, o := range outs {
		if o.Summary != nil {
			in.PDFs = append(in.PDFs, annex.PDF{Name: SummaryName(s.Pub, o.Lang), Pages: o.SummaryPages, SHA256: sha(o.Summary)})
		}
	}
	// every dataset file read, CSV dictionaries included
	for _, i := range s.Inputs {
		if i.Kind == manifest.InDataset {
			in.Datasets = append(in.Datasets, i)
		}
	}
	in.References = s.references(en)
	if len(s.Pub.Appendices) > 0 {
		in.Tracker = &annex.Tracker{Register: s.Register, Records: s.Records, Inputs: s.ActivityInputs, AsOf: s.Pub.AsOf, Label: t.Label}
	}
	return annex.Make(in)
}
