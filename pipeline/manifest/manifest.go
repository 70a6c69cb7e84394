// Package manifest records what went into a build and what came out:
// the manifest of each build (its inputs' revisions and hashes, the
// template, register, fonts and hyphenation patterns it used, its output
// files), storing a build's files and manifest, reading and listing the
// builds of a publication, and comparing a build with a rebuild. It links
// no typesetter, parser or spreadsheet library: the catalogue and
// releases read manifests through it.
package manifest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/progress"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Name is the name of a build's manifest, beside its outputs.
const Name = "manifest.json"

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
	Hyphenation []FileHash   `json:"hyphenation,omitempty"` // pattern files
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
// template, the plan register, a font, hyphenation patterns.
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

// ID names a build by time and a hash of its mode and files, so ids
// sort by time and say what they hold.
func ID(t time.Time, mode string, files []File) string {
	h := sha256.New()
	h.Write([]byte(mode + "\n"))
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		h.Write(sum[:])
	}
	return layout.RevisionID(t, hex.EncodeToString(h.Sum(nil)))
}

// Input is one input of a build: a stored revision (Key, Rev) or, for a
// build of a directory, a file (Key is its path), with its SHA-256.
type Input struct {
	Kind   string `json:"kind"`           // publication, chapter, figure, dataset, activities
	Item   string `json:"item,omitempty"` // chapter id, figure path, dataset name
	Lang   string `json:"lang,omitempty"` // chapters
	Key    string `json:"key"`
	Rev    string `json:"revision,omitempty"`
	SHA256 string `json:"sha256"`
}

// Kinds of input.
const (
	InPublication  = "publication"
	InChapter      = "chapter"
	InFigure       = "figure"
	InDataset      = "dataset"
	InBibliography = "bibliography"
	InGlossary     = "glossary"
	InActivities   = "activities"
)

// JSON is the manifest as indented JSON.
func (m *Manifest) JSON() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// Store writes the manifest beside the build's outputs, create-only.
func Store(ctx context.Context, s store.Store, m *Manifest) (string, error) {
	key := Prefix(m.Publication, m.Build) + Name
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

// Read reads the manifest of build id of publication pub (of any
// publication when pub is empty). id may be a unique prefix of a build
// id, or of the hash after its dash, as git takes commit ids; a prefix
// that fits several builds is an error listing them.
func Read(ctx context.Context, s store.Store, pub, id string) (*Manifest, error) {
	if id == "" || strings.ContainsAny(id, "/\\") {
		return nil, fmt.Errorf("build id %q is not valid; aceo builds list PUB shows the builds", id)
	}
	key := ""
	if pub != "" {
		key = Prefix(pub, id) + Name
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
			if !strings.HasSuffix(in.Key, "/"+Name) {
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

// List lists the manifests of a publication's builds, oldest first.
func List(ctx context.Context, s store.Store, pub string) ([]*Manifest, error) {
	if !publication.ValidID(pub) {
		return nil, fmt.Errorf("publication id %q is not valid: use %s", pub, publication.IDPattern)
	}
	var ids []string
	err := store.ListAll(ctx, s, layout.BuildsOf(pub), func(in store.Info) error {
		if strings.HasSuffix(in.Key, "/"+Name) {
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
		m, err := Read(ctx, s, pub, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// errStopList ends a listing early.
var errStopList = errors.New("stop listing")

func SortInputs(in []Input) {
	order := map[string]int{InPublication: 0, InChapter: 1, InFigure: 2, InDataset: 3, InBibliography: 4, InGlossary: 5, InActivities: 6}
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

// Differences between a build's manifest and a rebuild's: Outputs lists
// the outputs whose bytes differ (or are missing), Context what else
// changed and may explain them (tool, template, register, fonts).
type Differences struct {
	Outputs []string
	Context []string
}

// Compare compares a build's manifest with a rebuild's.
func Compare(was, now *Manifest) Differences {
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
	if !slices.Equal(was.Hyphenation, now.Hyphenation) {
		d.Context = append(d.Context, "the hyphenation patterns have changed")
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
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// StoreFiles writes a build's files to builds/<pub>/<id>/ in the
// store, create-only, and returns the keys written.
func StoreFiles(ctx context.Context, s store.Store, pub, id string, files []File, rep progress.Reporter) ([]string, error) {
	if rep == nil {
		rep = progress.Nop{}
	}
	keys := make([]string, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		keys[i] = Prefix(pub, id) + f.Name
		wg.Add(1)
		go func(i int, f File) { // the files go up side by side
			defer wg.Done()
			key := keys[i]
			c := rep.Transfer(f.Name, int64(len(f.Data)))
			_, err := s.Put(ctx, key, progress.Reader(bytes.NewReader(f.Data), c), int64(len(f.Data)), store.PutOptions{CreateOnly: true, ContentType: f.ContentType})
			c.Done()
			if errors.Is(err, store.ErrExist) {
				// the same build made in the same second: the same bytes are fine
				if in, serr := s.Stat(ctx, key); serr == nil && in.SHA256 == SHA256(f.Data) {
					err = nil
				}
			}
			if err != nil {
				errs[i] = fmt.Errorf("store %s: %w", key, err)
			}
		}(i, f)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Prefix is where a build's files are stored.
func Prefix(pub, id string) string { return layout.BuildDir(pub, id) }

// File is one output file of a build.
type File struct {
	Name        string
	Lang        string // PDFs
	Pages       int    // PDFs
	ContentType string
	Data        []byte
}
