package build

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/reading"
)

// NewManifest describes a build of src whose files are files.
func NewManifest(id, mode string, t time.Time, src *Sources, opt Options, files []manifest.File, timings []manifest.Timing) (*manifest.Manifest, error) {
	m := &manifest.Manifest{Build: id, Publication: src.Pub.ID, Mode: mode, Time: t.UTC(), Tool: manifest.ToolInfo(), Timings: timings}
	if len(src.Pub.Appendices) > 0 {
		m.AsOf = src.Pub.AsOf
	}
	cfg, err := src.config(opt)
	if err != nil {
		return nil, err
	}
	m.Template, m.Register, m.Hyphenation = cfg.TemplateFile, cfg.RegisterFile, cfg.Hyphenation
	m.Fonts = fontHashes(cfg.Fonts)
	m.Inputs = append([]manifest.Input{}, src.Inputs...)
	manifest.SortInputs(m.Inputs)
	for _, f := range files {
		// the editions' languages, once each (a summary for
		// policymakers has the language of its edition)
		if f.Lang != "" && !slices.Contains(m.Languages, f.Lang) {
			m.Languages = append(m.Languages, f.Lang)
		}
		m.Outputs = append(m.Outputs, manifest.OutputFile{Name: f.Name, Lang: f.Lang, Pages: f.Pages, Size: len(f.Data), SHA256: sha(f.Data)})
	}
	return m, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Verify rebuilds the stored build id (of pub, or found under every
// publication when pub is empty) from exactly the inputs its manifest
// names, read from the store, and compares the outputs. It returns the
// manifest and the differences; no difference in Outputs means every
// output was reproduced byte for byte.
func Verify(ctx context.Context, r *drafts.Repo, pub, id string, opt Options) (*manifest.Manifest, manifest.Differences, error) {
	opt.Revisions = nil // the store itself is read
	opt.Cache = nil
	m, err := manifest.Read(ctx, r.Store, pub, id)
	if err != nil {
		return nil, manifest.Differences{}, err
	}
	opt.Languages = m.Languages
	files, err := rebuild(ctx, r, m, opt)
	if err != nil {
		return nil, manifest.Differences{}, err
	}
	again, err := NewManifest(m.Build, m.Mode, m.Time, files.src, opt, files.files, nil)
	if err != nil {
		return nil, manifest.Differences{}, err
	}
	return m, manifest.Compare(m, again), nil
}

type rebuilt struct {
	src   *Sources
	files []manifest.File
}

// rebuild builds again, from exactly the inputs its manifest names, the
// stored build m.
func rebuild(ctx context.Context, r *drafts.Repo, m *manifest.Manifest, opt Options) (rebuilt, error) {
	id := m.Build
	src, err := FromInputs(ctx, r, m.Inputs, opt)
	if err != nil {
		return rebuilt{}, fmt.Errorf("verify %s: %w", id, err)
	}
	if m.AsOf != "" {
		src.Pub.AsOf = m.AsOf
	}
	opt.Languages = m.Languages
	outs, err := Build(src, opt)
	if err != nil {
		return rebuilt{}, fmt.Errorf("verify %s: %w", id, err)
	}
	annex, err := Annex(src, opt, outs)
	if err != nil {
		return rebuilt{}, fmt.Errorf("verify %s: %w", id, err)
	}
	return rebuilt{src, OutputFiles(src, outs, annex)}, nil
}

// RebuildContents makes the contents files of a stored build that has
// none (it was made before builds wrote them): it builds again from the
// inputs the manifest names and, only when every PDF it had comes out
// byte-identical (so that the contents' page numbers are the PDFs'),
// returns each edition's contents file.
func RebuildContents(ctx context.Context, r *drafts.Repo, m *manifest.Manifest, opt Options) ([]manifest.File, error) {
	opt.Revisions = nil
	opt.Cache = nil
	got, err := rebuild(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, f := range got.files {
		sums[f.Name] = sha(f.Data)
	}
	var out []manifest.File
	for _, o := range m.Outputs {
		if strings.HasSuffix(o.Name, ".pdf") && sums[o.Name] != o.SHA256 {
			return nil, fmt.Errorf("build %s: %s does not come out the same when built again (the fonts or aceo changed since?), so its pages cannot be indexed; publish a new build instead", m.Build, o.Name)
		}
	}
	for _, f := range got.files {
		if _, ok := reading.IsName(f.Name); ok {
			out = append(out, f)
		}
	}
	return out, nil
}
