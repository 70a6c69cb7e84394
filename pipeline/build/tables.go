package build

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/geomap"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/safedir"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// datasetRefs lists the datasets the chapters' aceo-table blocks name.
func (s *Sources) datasetRefs() map[string]bool {
	refs := map[string]bool{}
	for _, langs := range s.Chapters {
		for _, ch := range langs {
			ch.Walk(func(b ms.Block) {
				cb, ok := b.(*ms.CodeBlock)
				switch {
				case !ok:
				case cb.Info == "aceo-table":
					if spec, err := dataset.ParseTableSpec(ch.File, cb.SrcLine, cb.Text); err == nil {
						refs[spec.Dataset] = true
					}
				case cb.Info == "aceo-chart":
					if spec, err := dataset.ParseChartSpec(ch.File, cb.SrcLine, cb.Text); err == nil {
						refs[spec.Dataset] = true
					}
				case cb.Info == "aceo-map":
					if spec, err := dataset.ParseMapSpec(ch.File, cb.SrcLine, cb.Text); err == nil {
						refs[spec.Dataset] = true
					}
				}
			})
		}
	}
	return refs
}

// openRoots opens the directories of dirs that exist, in order.
func openRoots(dirs []string) []*safedir.Dir {
	var roots []*safedir.Dir
	for _, d := range dirs {
		if r, err := safedir.Open(d); err == nil {
			roots = append(roots, r)
		}
	}
	return roots
}

func closeRoots(roots []*safedir.Dir) {
	for _, r := range roots {
		r.Close()
	}
}

// missingDataset records that the tables' dataset name is not there.
func (s *Sources) missingDataset(name, where, hint string) {
	if s.missing == nil {
		s.missing = map[string]string{}
	}
	s.missing[name] = where + "; " + hint
}

// brokenDataset records that dataset name is there but cannot be read.
func (s *Sources) brokenDataset(name string, err error) {
	if s.broken == nil {
		s.broken = map[string]string{}
	}
	var l diag.List
	l.Merge(err)
	s.broken[name] = l[0].File
}

// noDataset explains, at an aceo-table or aceo-chart block, why its
// dataset is not available: missing (the block is at fault) or broken
// (the dataset is, and its own errors say why).
func (s *Sources) noDataset(ch *ms.Chapter, cb *ms.CodeBlock, name string) error {
	if file, ok := s.broken[name]; ok {
		return diag.At(file, 0, fmt.Sprintf("dataset %q cannot be read, so the table at %s:%d cannot be made", name, ch.File, cb.SrcLine), "correct the dataset (its errors are listed)")
	}
	hint := "submit it, or check its name"
	if h, ok := s.missing[name]; ok {
		hint = h
	}
	e := diag.At(ch.File, cb.SrcLine, fmt.Sprintf("unknown dataset %q", name), hint)
	var names []string
	for n := range s.Datasets {
		names = append(names, n)
	}
	if near := diag.Nearest(name, names); near != "" {
		e.Hint = fmt.Sprintf("did you mean %q? ", near) + hint
	}
	return e
}

// expandTables replaces every aceo-table block of the chapters with the
// table it describes, in lang; in a draft, one that cannot be made becomes
// a note saying why.
func (s *Sources) expandTables(chs []*ms.Chapter, t *typeset.Template, lang string, draft bool) error {
	var errs diag.List
	var expand func(ch *ms.Chapter, blocks []ms.Block) []ms.Block
	expand = func(ch *ms.Chapter, blocks []ms.Block) []ms.Block {
		for i, b := range blocks {
			switch b := b.(type) {
			case *ms.CodeBlock:
				var nb ms.Block
				var err error
				switch b.Info {
				case "aceo-table":
					nb, err = s.table(ch, b, lang)
				case "aceo-chart":
					nb, err = s.chart(ch, b, lang)
				case "aceo-map":
					nb, err = s.mapFigure(ch, b, t, lang)
				default:
					continue
				}
				if err != nil {
					errs.Merge(err)
					if draft {
						// a note in its place, so that the draft shows what is missing
						var l diag.List
						l.Merge(err)
						blocks[i] = &ms.Quote{At: b.At, Blocks: []ms.Block{&ms.Paragraph{Content: []ms.Span{{Text: "[" + b.Info + ": " + l[0].Msg + "]", Style: ms.Bold}}}}}
					}
					continue
				}
				blocks[i] = nb
			case *ms.List:
				for k := range b.Items {
					b.Items[k] = expand(ch, b.Items[k])
				}
			case *ms.Quote:
				b.Blocks = expand(ch, b.Blocks)
			}
		}
		return blocks
	}
	for _, ch := range chs {
		ch.Blocks = expand(ch, ch.Blocks)
	}
	return errs.Err()
}

func (s *Sources) table(ch *ms.Chapter, cb *ms.CodeBlock, lang string) (*ms.Table, error) {
	spec, err := dataset.ParseTableSpec(ch.File, cb.SrcLine, cb.Text)
	if err != nil {
		return nil, err
	}
	ds := s.Datasets[spec.Dataset]
	if ds == nil {
		return nil, s.noDataset(ch, cb, spec.Dataset)
	}
	td, err := ds.Table(spec, lang)
	if err != nil {
		return nil, diag.At(ch.File, cb.SrcLine, err.Error(), "check the indicator code against the dataset's dictionary")
	}
	t := &ms.Table{At: cb.At, Label: spec.Label, Caption: []ms.Span{{Text: td.Caption}}}
	row := func(cells []string) ms.Row {
		r := make(ms.Row, len(cells))
		for i, c := range cells {
			r[i] = []ms.Span{{Text: c}}
		}
		return r
	}
	t.Header = []ms.Row{row(td.Header)}
	t.Align = make([]ms.Align, len(td.Header))
	t.Align[0] = ms.AlignLeft
	for i := 1; i < len(t.Align); i++ {
		t.Align[i] = ms.AlignRight
	}
	for i, r := range td.Rows {
		cells := append([]string(nil), r...)
		var vals []*ms.CellValue
		if i < len(td.Values) {
			vals = make([]*ms.CellValue, len(td.Values[i]))
			for k, v := range td.Values[i] {
				if v == nil || k >= len(cells) {
					continue
				}
				// the cell holds the number; its flag marks go in the
				// typesetter's slot for them, from the value
				cells[k] = dataset.FormatNumber(v.V, v.Decimals)
				vals[k] = &ms.CellValue{V: v.V, Decimals: v.Decimals, Marks: v.Marks}
			}
		}
		t.Rows = append(t.Rows, row(cells))
		t.Values = append(t.Values, vals)
	}
	for _, n := range append(td.Notes, td.Source) {
		t.Notes = append(t.Notes, []ms.Span{{Text: n}})
	}
	s.untranslated(ch, cb, spec.Dataset, td.Untranslated)
	return t, nil
}

// untranslated notes, for the preflight's warnings, a table or chart of
// the Chinese edition that prints an English source.
func (s *Sources) untranslated(ch *ms.Chapter, cb *ms.CodeBlock, dataset string, codes []string) {
	if len(codes) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srcWarnings = append(s.srcWarnings, &diag.Error{File: ch.File, Line: cb.SrcLine, Code: CodeDataset,
		Msg:  fmt.Sprintf("the Chinese edition prints the source of %s in English", strings.Join(codes, ", ")),
		Hint: "give it in Chinese in the source_zh column of dataset " + dataset + "'s indicator dictionary"})
}

func (s *Sources) chart(ch *ms.Chapter, cb *ms.CodeBlock, lang string) (*ms.Chart, error) {
	spec, err := dataset.ParseChartSpec(ch.File, cb.SrcLine, cb.Text)
	if err != nil {
		return nil, err
	}
	ds := s.Datasets[spec.Dataset]
	if ds == nil {
		return nil, s.noDataset(ch, cb, spec.Dataset)
	}
	cd, err := ds.Chart(spec, lang)
	if err != nil {
		return nil, diag.At(ch.File, cb.SrcLine, err.Error(), "check the indicator code against the dataset's dictionary")
	}
	c := &ms.Chart{At: cb.At, Label: spec.Label, Caption: []ms.Span{{Text: cd.Caption}}, Kind: spec.Type, Unit: cd.Unit, Decimals: cd.Decimals,
		Categories: cd.Categories, X: cd.X, Notes: [][]ms.Span{{{Text: cd.Source}}}}
	s.untranslated(ch, cb, spec.Dataset, cd.Untranslated)
	for _, se := range cd.Series {
		c.Series = append(c.Series, ms.Series{Name: se.Name, Values: se.Values, Missing: se.Missing})
	}
	return c, nil
}

// mapFigure makes the choropleth an aceo-map block describes, in lang:
// each country's value for the year classed by quantiles or the spec's
// breaks, with the flagged values, the source and the disclaimer on
// boundaries as its notes.
func (s *Sources) mapFigure(ch *ms.Chapter, cb *ms.CodeBlock, t *typeset.Template, lang string) (*ms.Chart, error) {
	spec, err := dataset.ParseMapSpec(ch.File, cb.SrcLine, cb.Text)
	if err != nil {
		return nil, err
	}
	ds := s.Datasets[spec.Dataset]
	if ds == nil {
		return nil, s.noDataset(ch, cb, spec.Dataset)
	}
	md, err := ds.Map(spec, lang)
	if err != nil {
		return nil, diag.At(ch.File, cb.SrcLine, err.Error(), "check the indicator code and the year against the dataset")
	}
	s.untranslated(ch, cb, spec.Dataset, md.Untranslated)
	var vals []float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range md.Values {
		if !md.Missing[i] {
			vals = append(vals, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	breaks := spec.Breaks
	if len(breaks) == 0 {
		breaks = geomap.Quantiles(vals, spec.Classes)
	}
	c := &ms.Chart{At: cb.At, Label: spec.Label, Caption: []ms.Span{{Text: md.Caption}}, Kind: "map", Unit: md.Unit, Decimals: md.Decimals,
		Categories: md.Names, Codes: md.Codes, Legend: geomap.Legend(breaks, md.Decimals, lo, hi),
		Title: fmt.Sprintf(t.Label(lang, "map_legend_title"), md.Unit, md.Year)}
	ser := ms.Series{Name: strconv.Itoa(md.Year)}
	for i, v := range md.Values {
		ser.Values = append(ser.Values, v)
		ser.Missing = append(ser.Missing, md.Missing[i])
		class := -1
		if !md.Missing[i] {
			class = geomap.Class(v, breaks)
		}
		c.Classes = append(c.Classes, class)
	}
	c.Series = []ms.Series{ser}
	for _, n := range md.Notes {
		c.Notes = append(c.Notes, []ms.Span{{Text: n}})
	}
	c.Notes = append(c.Notes, []ms.Span{{Text: t.Label(lang, "map_boundaries")}}, []ms.Span{{Text: t.Label(lang, "map_disclaimer")}})
	return c, nil
}
