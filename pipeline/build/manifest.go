package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store"
)

// ManifestName is the name of a build's manifest, beside its outputs.
const ManifestName = "manifest.json"

// Manifest records what went into a build and what came out: enough to
// fetch the same inputs again and check that a rebuild gives the same
// bytes.
type Manifest struct {
	Build       string       `json:"build"` // id: time and a hash of the outputs
	Publication string       `json:"publication"`
	Mode        string       `json:"mode"` // release, preview, directory
	Time        time.Time    `json:"time"`
	AsOf        string       `json:"as_of,omitempty"`
	Languages   []string     `json:"languages"`
	Tool        Tool         `json:"tool"`
	Template    FileHash     `json:"template"`
	Register    *FileHash    `json:"register,omitempty"`
	Fonts       []FileHash   `json:"fonts"`
	Inputs      []Input      `json:"inputs"`
	Outputs     []OutputFile `json:"outputs"`
	Timings     []Timing     `json:"timings"`
	Preflight   any          `json:"preflight,omitempty"`
}

// Tool names the aceo binary that made a build.
type Tool struct {
	Module    string `json:"module"`
	Version   string `json:"version"`
	Revision  string `json:"vcs_revision,omitempty"`
	Time      string `json:"vcs_time,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
	GoVersion string `json:"go_version"`
}

// FileHash is a file a build read that is not an input revision: the
// template, the plan register, a font.
type FileHash struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// OutputFile is one file a build wrote.
type OutputFile struct {
	Name   string `json:"name"`
	Key    string `json:"key,omitempty"` // where it is stored
	Lang   string `json:"lang,omitempty"`
	Pages  int    `json:"pages,omitempty"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Timing is how long a stage of a build took.
type Timing struct {
	Stage string  `json:"stage"`
	MS    float64 `json:"ms"`
}

// ToolInfo reads the module version and VCS revision from the binary's
// build information.
func ToolInfo() Tool {
	t := Tool{Module: "github.com/aceo-project/aceo", Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	t.GoVersion = bi.GoVersion
	if bi.Main.Path != "" {
		t.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		t.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			t.Revision = s.Value
		case "vcs.time":
			t.Time = s.Value
		case "vcs.modified":
			t.Modified = s.Value == "true"
		}
	}
	return t
}

// BuildID names a build by time and a hash of its mode and files, so ids
// sort by time and say what they hold.
func BuildID(t time.Time, mode string, files []File) string {
	h := sha256.New()
	h.Write([]byte(mode + "\n"))
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		h.Write(sum[:])
	}
	return drafts.RevisionID(t, hex.EncodeToString(h.Sum(nil)))
}

// NewManifest describes a build of src whose files are files.
func NewManifest(id, mode string, t time.Time, src *Sources, opt Options, files []File, timings []Timing) (*Manifest, error) {
	m := &Manifest{Build: id, Publication: src.Pub.ID, Mode: mode, Time: t.UTC(), Tool: ToolInfo(), Timings: timings}
	if len(src.Pub.Appendices) > 0 {
		m.AsOf = src.Pub.AsOf
	}
	tfs := orDefault(opt.Templates)
	data, err := fs.ReadFile(tfs, src.Pub.Template+".yaml")
	if err != nil {
		return nil, fmt.Errorf("manifest: template %s: %w", src.Pub.Template, err)
	}
	m.Template = FileHash{Name: src.Pub.Template + ".yaml", SHA256: sha(data)}
	if src.Register != nil {
		name := "registers/" + src.Register.ID + ".yaml"
		if data, err := fs.ReadFile(tfs, name); err == nil {
			m.Register = &FileHash{Name: name, SHA256: sha(data)}
		}
	}
	if opt.Fonts != nil {
		m.Fonts = fontHashes(opt.Fonts)
	}
	m.Inputs = append([]Input{}, src.Inputs...)
	sortInputs(m.Inputs)
	for _, f := range files {
		if f.Lang != "" {
			m.Languages = append(m.Languages, f.Lang)
		}
		m.Outputs = append(m.Outputs, OutputFile{Name: f.Name, Lang: f.Lang, Pages: f.Pages, Size: len(f.Data), SHA256: sha(f.Data)})
	}
	return m, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// JSON is the manifest as indented JSON.
func (m *Manifest) JSON() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// StoreManifest writes the manifest beside the build's outputs, create-only.
func StoreManifest(ctx context.Context, s store.Store, m *Manifest) (string, error) {
	key := BuildPrefix(m.Publication, m.Build) + ManifestName
	data := m.JSON()
	_, err := s.Put(ctx, key, strings.NewReader(string(data)), int64(len(data)), store.PutOptions{CreateOnly: true, ContentType: "application/json"})
	if errors.Is(err, store.ErrExist) {
		// the same build made in the same second keeps its first manifest
		return key, nil
	}
	if err != nil {
		return "", fmt.Errorf("store manifest: %w", err)
	}
	return key, nil
}

// ReadManifest reads the manifest of build id of publication pub (of any
// publication when pub is empty). id may be a unique prefix of a build
// id, or of the hash after its dash, as git takes commit ids; a prefix
// that fits several builds is an error listing them.
func ReadManifest(ctx context.Context, s store.Store, pub, id string) (*Manifest, error) {
	if id == "" || strings.ContainsAny(id, "/\\") {
		return nil, fmt.Errorf("build id %q is not valid; aceo builds list PUB shows the builds", id)
	}
	key := ""
	if pub != "" {
		key = BuildPrefix(pub, id) + ManifestName
		if _, err := s.Stat(ctx, key); err != nil {
			if !errors.Is(err, store.ErrNotExist) {
				return nil, err
			}
			key = ""
		}
	}
	if key == "" {
		prefix := layout.Builds
		if pub != "" {
			prefix = layout.BuildsOf(pub)
		}
		var found []string
		err := store.ListAll(ctx, s, prefix, func(in store.Info) error {
			if !strings.HasSuffix(in.Key, "/"+ManifestName) {
				return nil
			}
			parts := strings.Split(in.Key, "/")
			if len(parts) < 2 {
				return nil
			}
			b := parts[len(parts)-2]
			_, hash, _ := strings.Cut(b, "-")
			switch {
			case b == id:
				found = []string{in.Key}
				return errStopList
			case strings.HasPrefix(b, id), hash != "" && strings.HasPrefix(hash, id):
				found = append(found, in.Key)
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopList) {
			return nil, err
		}
		switch len(found) {
		case 0:
			where := "of " + pub + " "
			list := "aceo builds list " + pub
			if pub == "" {
				where, list = "", "aceo builds list PUB"
			}
			return nil, fmt.Errorf("%w: no build %s %sin %s; %s shows the builds", store.ErrNotExist, id, where, s, list)
		case 1:
			key = found[0]
		default:
			var ids []string
			for _, k := range found {
				parts := strings.Split(k, "/")
				ids = append(ids, parts[len(parts)-2])
			}
			return nil, fmt.Errorf("build id %q is ambiguous: it begins %d builds (%s); give more of it", id, len(ids), strings.Join(ids, ", "))
		}
	}
	rc, _, err := s.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("read build %s: %w", id, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s is not a build manifest: %w", key, err)
	}
	return &m, nil
}

// Builds lists the manifests of a publication's builds, oldest first.
func Builds(ctx context.Context, s store.Store, pub string) ([]*Manifest, error) {
	if !publication.ValidID(pub) {
		return nil, fmt.Errorf("publication id %q is not valid: use %s", pub, publication.IDPattern)
	}
	var ids []string
	err := store.ListAll(ctx, s, layout.BuildsOf(pub), func(in store.Info) error {
		if strings.HasSuffix(in.Key, "/"+ManifestName) {
			parts := strings.Split(in.Key, "/")
			ids = append(ids, parts[len(parts)-2])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(ids)
	var out []*Manifest
	for _, id := range ids {
		m, err := ReadManifest(ctx, s, pub, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// errStopList ends a listing early.
var errStopList = errors.New("stop listing")

func sortInputs(in []Input) {
	order := map[string]int{InPublication: 0, InChapter: 1, InFigure: 2, InDataset: 3, InActivities: 4}
	sort.SliceStable(in, func(i, j int) bool {
		a, b := in[i], in[j]
		if order[a.Kind] != order[b.Kind] {
			return order[a.Kind] < order[b.Kind]
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		if a.Lang != b.Lang {
			return a.Lang < b.Lang
		}
		return a.Key < b.Key
	})
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Differences between a build's manifest and a rebuild's: Outputs lists
// the outputs whose bytes differ (or are missing), Context what else
// changed and may explain them (tool, template, register, fonts).
type Differences struct {
	Outputs []string
	Context []string
}

// CompareManifests compares a build's manifest with a rebuild's.
func CompareManifests(was, now *Manifest) Differences {
	var d Differences
	got := map[string]OutputFile{}
	for _, o := range now.Outputs {
		got[o.Name] = o
	}
	for _, o := range was.Outputs {
		n, ok := got[o.Name]
		switch {
		case !ok:
			d.Outputs = append(d.Outputs, fmt.Sprintf("%s: not produced by the rebuild", o.Name))
		case n.SHA256 != o.SHA256:
			d.Outputs = append(d.Outputs, fmt.Sprintf("%s: SHA-256 %s, was %s (%d bytes, was %d)", o.Name, n.SHA256[:16], o.SHA256[:16], n.Size, o.Size))
		}
		delete(got, o.Name)
	}
	for name := range got {
		d.Outputs = append(d.Outputs, fmt.Sprintf("%s: produced by the rebuild only", name))
	}
	sort.Strings(d.Outputs)
	if was.Tool.Revision != now.Tool.Revision || was.Tool.Version != now.Tool.Version {
		d.Context = append(d.Context, fmt.Sprintf("aceo %s (%s) built it; this is %s (%s)", was.Tool.Version, short(was.Tool.Revision), now.Tool.Version, short(now.Tool.Revision)))
	}
	if was.Template != now.Template {
		d.Context = append(d.Context, fmt.Sprintf("template %s has changed (SHA-256 %s, was %s)", was.Template.Name, short(now.Template.SHA256), short(was.Template.SHA256)))
	}
	if (was.Register == nil) != (now.Register == nil) || (was.Register != nil && *was.Register != *now.Register) {
		d.Context = append(d.Context, "the plan register has changed")
	}
	fonts := map[string]string{}
	for _, f := range now.Fonts {
		fonts[f.Name] = f.SHA256
	}
	for _, f := range was.Fonts {
		switch h, ok := fonts[f.Name]; {
		case !ok:
			d.Context = append(d.Context, fmt.Sprintf("font %s is not used now", f.Name))
		case h != f.SHA256:
			d.Context = append(d.Context, fmt.Sprintf("font %s has changed (SHA-256 %s, was %s)", f.Name, short(h), short(f.SHA256)))
		}
	}
	return d
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	if s == "" {
		return "unknown revision"
	}
	return s
}

// SHA256 is the hex SHA-256 of b.
func SHA256(b []byte) string { return sha(b) }

// Verify rebuilds the stored build id (of pub, or found under every
// publication when pub is empty) from exactly the inputs its manifest
// names, read from the store, and compares the outputs. It returns the
// manifest and the differences; no difference in Outputs means every
// output was reproduced byte for byte.
func Verify(ctx context.Context, r *drafts.Repo, pub, id string, opt Options) (*Manifest, Differences, error) {
	opt.Revisions = nil // the store itself is read
	opt.Cache = nil
	m, err := ReadManifest(ctx, r.Store, pub, id)
	if err != nil {
		return nil, Differences{}, err
	}
	id = m.Build
	src, err := FromInputs(ctx, r, m.Inputs, opt)
	if err != nil {
		return nil, Differences{}, fmt.Errorf("verify %s: %w", id, err)
	}
	if m.AsOf != "" {
		src.Pub.AsOf = m.AsOf
	}
	opt.Languages = m.Languages
	outs, err := Build(src, opt)
	if err != nil {
		return nil, Differences{}, fmt.Errorf("verify %s: %w", id, err)
	}
	annex, err := Annex(src, opt, outs)
	if err != nil {
		return nil, Differences{}, fmt.Errorf("verify %s: %w", id, err)
	}
	again, err := NewManifest(id, m.Mode, m.Time, src, opt, OutputFiles(src, outs, annex), nil)
	if err != nil {
		return nil, Differences{}, err
	}
	return m, CompareManifests(m, again), nil
}
