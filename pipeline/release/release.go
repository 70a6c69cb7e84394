// Package release publishes builds: it copies a build's outputs to
// published/<pub>/<release>/ and records the release in the public
// catalogue, published/catalog.json, with conditional writes so that
// editors publishing at the same time lose nothing; it withdraws releases
// (the files stay) and downloads released files, checking their hashes.
package release

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/reading"
	"github.com/aceo-project/aceo/pipeline/search"
	"github.com/aceo-project/aceo/pipeline/store"
)

// CatalogKey is where the catalogue of releases is kept; published/ is
// readable by anyone.
const CatalogKey = layout.Catalog

// Catalog lists every release, withdrawn ones included.
type Catalog struct {
	Updated  time.Time `json:"updated"`
	Releases []Release `json:"releases"`
}

// Release is one published build of a publication.
type Release struct {
	Publication string `json:"publication"`
	Name        string `json:"name"`
	// Label names the release for readers, in each language ("Corrected
	// edition"); the catalogue shows Name when it has none.
	Label     publication.Text     `json:"label,omitempty"`
	Build     string               `json:"build"`
	Kind      string               `json:"kind"`
	Year      int                  `json:"year"`
	Date      string               `json:"date"` // the edition's date
	Edition   publication.Text     `json:"edition,omitempty"`
	Title     publication.Text     `json:"title"`
	Subtitle  publication.Text     `json:"subtitle,omitempty"`
	Citation  publication.Text     `json:"citation,omitempty"`
	Keywords  publication.Text     `json:"keywords,omitempty"`
	Summary   publication.Text     `json:"summary,omitempty"`
	Topics    []string             `json:"topics,omitempty"`
	Publisher publication.Text     `json:"publisher,omitempty"`
	Editors   []publication.Text   `json:"editors,omitempty"`
	Address   publication.Text     `json:"address,omitempty"`
	ISBN      publication.Text     `json:"isbn,omitempty"` // of each edition
	DOI       string               `json:"doi,omitempty"`
	Licence   *publication.Licence `json:"licence,omitempty"`
	Languages []string             `json:"languages"`
	Released  time.Time            `json:"released"`
	By        string               `json:"by,omitempty"`
	Files     []File               `json:"files"`
	Withdrawn *Withdrawal          `json:"withdrawn,omitempty"`
	// Already is set by Publish when the release was already in the
	// catalogue with the same build (a retry after a lost response).
	Already bool `json:"-"`
}

// File is one released file.
type File struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // pdf, summary, data, manifest
	Lang   string `json:"lang,omitempty"`
	Pages  int    `json:"pages,omitempty"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	Key    string `json:"key"`
}

// Withdrawal says when and why a release was withdrawn.
type Withdrawal struct {
	Time time.Time `json:"time"`
	// Reason is the reason in English (in the one language it was given
	// in, for a withdrawal recorded before reasons had languages).
	Reason string `json:"reason"`
	// Reasons is the reason in each language it was given in.
	Reasons publication.Text `json:"reasons,omitempty"`
	By      string           `json:"by,omitempty"`
}

// Prefix is where a release's files are.
func Prefix(pub, name string) string { return layout.ReleaseDir(pub, name) }

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// CheckNames refuses an invalid publication id or release name before
// any key is made of them.
func CheckNames(pub, name string) error {
	if !publication.ValidID(pub) {
		return fmt.Errorf("publication id %q is not valid: use %s", pub, publication.IDPattern)
	}
	if !ValidName(name) {
		return fmt.Errorf("release name %q is not valid: use lower-case letters, digits, dots, hyphens and underscores, e.g. 2013-first-edition", name)
	}
	return nil
}

// ValidName reports whether s can name a release ("2013", "first-edition").
func ValidName(s string) bool {
	return nameRE.MatchString(s) && !strings.Contains(s, "..") && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "-")
}

// Find returns the release pub/name of the catalogue, or nil.
func (c *Catalog) Find(pub, name string) *Release {
	for i := range c.Releases {
		if c.Releases[i].Publication == pub && c.Releases[i].Name == name {
			return &c.Releases[i]
		}
	}
	return nil
}

// Latest returns the newest release of pub that is not withdrawn, or nil.
func (c *Catalog) Latest(pub string) *Release {
	var best *Release
	for i := range c.Releases {
		r := &c.Releases[i]
		if r.Publication == pub && r.Withdrawn == nil && (best == nil || r.Released.After(best.Released)) {
			best = r
		}
	}
	return best
}

// ReadCatalog reads the catalogue and its version for a conditional
// update; a store without one has an empty catalogue (version "").
func ReadCatalog(ctx context.Context, s store.Store) (*Catalog, string, error) {
	rc, in, err := s.Get(ctx, CatalogKey)
	if errors.Is(err, store.ErrNotExist) {
		return &Catalog{}, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read the catalogue: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return nil, "", fmt.Errorf("read the catalogue: %w", err)
	}
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, "", fmt.Errorf("%s is not a catalogue: %w", CatalogKey, err)
	}
	return &c, in.ETag, nil
}

// ErrBusy: the catalogue kept changing under every attempt to update it.
var ErrBusy = errors.New("the catalogue kept changing while it was updated; retry")

// update applies change to the catalogue by read, change, conditional
// write, and retries when another writer got in between; change may
// refuse with an error, which is returned as is.
//
// A write whose answer was lost (store.ErrUnreachable) may have been
// applied: the catalogue is read again and change decides, so change must
// recognise its own work (Publish and Withdraw do).
func update(ctx context.Context, s store.Store, now time.Time, change func(*Catalog) error) error {
	lost := 0
	for try := 0; try < 25; try++ {
		c, etag, err := ReadCatalog(ctx, s)
		if err != nil {
			return err
		}
		if err := change(c); err != nil {
			return err
		}
		c.Updated = now.UTC()
		sort.SliceStable(c.Releases, func(i, j int) bool {
			a, b := c.Releases[i], c.Releases[j]
			if a.Publication != b.Publication {
				return a.Publication < b.Publication
			}
			return a.Released.Before(b.Released)
		})
		data, _ := json.MarshalIndent(c, "", "  ")
		opt := store.PutOptions{ContentType: "application/json", IfMatch: etag, CreateOnly: etag == ""}
		_, err = s.Put(ctx, CatalogKey, bytes.NewReader(data), int64(len(data)), opt)
		if err == nil {
			return nil
		}
		if errors.Is(err, store.ErrUnreachable) && lost < 3 {
			lost++ // read again: the write may have been applied
		} else if !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrExist) {
			return fmt.Errorf("update the catalogue: %w", err)
		}
		// another editor updated it first: read again, after a short wait
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.IntN(20*(try+1))) * time.Millisecond):
		}
	}
	return ErrBusy
}

// Publish copies the outputs of a stored release build of pub to
// published/<pub>/<name>/ and adds the release to the catalogue. A release
// name is never reused for another build: publishing under an existing
// name fails. Publishing the same build under the same name again succeeds
// (Release.Already), so that a publish whose answer was lost can simply be
// run again; publishing again after an interruption completes the release.
//
// label names the release for readers in each language (optional).
func Publish(ctx context.Context, r *drafts.Repo, pub, buildID, name string, label publication.Text, by string) (*Release, error) {
	if err := CheckNames(pub, name); err != nil {
		return nil, err
	}
	s := r.Store
	m, err := manifest.Read(ctx, s, pub, buildID)
	if err != nil {
		return nil, err
	}
	buildID = m.Build // a unique prefix names the whole id
	if m.Mode != "release" {
		return nil, fmt.Errorf("build %s is a %s build; publish a release build, made from the accepted revisions (aceo build %s without --preview)", buildID, m.Mode, pub)
	}
	cat, _, err := ReadCatalog(ctx, s)
	if err != nil {
		return nil, err
	}
	if old := cat.Find(pub, name); old != nil {
		if old.Build == buildID {
			// published already, perhaps by a call whose answer was lost:
			// publishing the same build under the same name is done
			done := *old
			done.Already = true
			return &done, nil
		}
		return nil, fmt.Errorf("release %s/%s already exists (build %s, %s) and cannot be overwritten; publish under another name", pub, name, old.Build, old.Released.Format("2006-01-02"))
	}
	var pubIn *manifest.Input
	for i := range m.Inputs {
		if m.Inputs[i].Kind == manifest.InPublication {
			pubIn = &m.Inputs[i]
		}
	}
	if pubIn == nil {
		return nil, fmt.Errorf("build %s: its manifest names no publication definition", buildID)
	}
	def, err := r.PublicationAt(ctx, pubIn.Key, pubIn.SHA256)
	if err != nil {
		return nil, err
	}
	rel := Release{Publication: pub, Name: name, Label: label, Build: buildID, Kind: def.Kind, Year: def.Year, Date: def.Date, Edition: def.Edition,
		Title: def.Title, Subtitle: def.Subtitle, Citation: def.Citation, Keywords: def.Keywords,
		Summary: def.Summary, Topics: def.Topics, Publisher: def.Publisher, Editors: def.Editors, Address: def.Address, ISBN: def.ISBN, DOI: def.DOI, Licence: def.Licence,
		Languages: m.Languages, Released: r.Time(), By: by}
	files, err := copyOutputs(ctx, s, m, pub, name)
	if err != nil {
		return nil, err
	}
	rel.Files = files
	err = update(ctx, s, r.Time(), func(c *Catalog) error {
		if old := c.Find(pub, name); old != nil {
			if old.Build == buildID {
				return errSame
			}
			return fmt.Errorf("release %s/%s was just published by someone else (build %s) and cannot be overwritten; publish under another name", pub, name, old.Build)
		}
		c.Releases = append(c.Releases, rel)
		return nil
	})
	if errors.Is(err, errSame) {
		// applied by this call's write whose answer was lost, or by the
		// same publish run at the same time: the release is there
		if c, _, cerr := ReadCatalog(ctx, s); cerr == nil {
			if old := c.Find(pub, name); old != nil {
				rel = *old
			}
		}
		return &rel, nil
	}
	if err != nil {
		return nil, err
	}
	return &rel, nil
}

// copyOutputs copies the outputs of build m, checked against its
// manifest, and its manifest to release pub/name, and adds the release's
// search index when the build has contents files. It returns the
// release's files.
func copyOutputs(ctx context.Context, s store.Store, m *manifest.Manifest, pub, name string) ([]File, error) {
	buildID := m.Build
	var files []File
	type item struct {
		src  string
		file File
	}
	var items []item
	for _, o := range m.Outputs {
		kind := "data"
		lang, contents := reading.IsName(o.Name)
		switch {
		case o.Lang != "" && strings.HasSuffix(o.Name, "-summary-"+o.Lang+".pdf"):
			kind = "summary" // the summary for policymakers on its own
		case contents && lang == o.Lang:
			kind = KindContents
		case o.Lang != "":
			kind = "pdf"
		}
		items = append(items, item{o.Key, File{Name: o.Name, Kind: kind, Lang: o.Lang, Pages: o.Pages, Size: o.Size, SHA256: o.SHA256}})
	}
	mkey := manifest.Prefix(pub, buildID) + manifest.Name
	mi, err := s.Stat(ctx, mkey)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", buildID, err)
	}
	items = append(items, item{mkey, File{Name: manifest.Name, Kind: "manifest", Size: int(mi.Size), SHA256: mi.SHA256}})
	var editions []*reading.Contents
	for _, it := range items {
		if it.src == "" {
			return nil, fmt.Errorf("build %s: output %s was not stored", buildID, it.file.Name)
		}
		data, err := readAll(ctx, s, it.src)
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", buildID, err)
		}
		if got := sum(data); got != it.file.SHA256 {
			return nil, fmt.Errorf("build %s: %s has SHA-256 %s, its manifest says %s; the build is damaged, do not publish it", buildID, it.src, got, it.file.SHA256)
		}
		if it.file.Kind == KindContents {
			c, err := reading.Parse(it.file.Name, data)
			if err != nil {
				return nil, fmt.Errorf("build %s: %w", buildID, err)
			}
			editions = append(editions, c)
		}
		if it.file.Key, err = putRelease(ctx, s, pub, name, it.file.Name, data); err != nil {
			return nil, err
		}
		files = append(files, it.file)
	}
	if len(editions) > 0 {
		// the release's full-text search index, built once, here
		f, err := putIndex(ctx, s, pub, name, editions)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

var errSame = errors.New("already published")

// Rebuilder makes the contents files of a stored build that wrote none
// (build.RebuildContents).
type Rebuilder func(ctx context.Context, m *manifest.Manifest) ([]manifest.File, error)

// Reindex gives release pub/name, published before releases had them,
// its editions' contents files (made by rebuild) and a search index of
// the current format, and lists them in the catalogue. It returns the
// files it added: none when the release has them already.
func Reindex(ctx context.Context, r *drafts.Repo, pub, name string, rebuild Rebuilder) ([]File, error) {
	if err := CheckNames(pub, name); err != nil {
		return nil, err
	}
	s := r.Store
	cat, _, err := ReadCatalog(ctx, s)
	if err != nil {
		return nil, err
	}
	rel := cat.Find(pub, name)
	if rel == nil {
		return nil, fmt.Errorf("%w: no release %s/%s in the catalogue", store.ErrNotExist, pub, name)
	}
	var added []File
	var editions []*reading.Contents
	for _, f := range rel.Files {
		switch {
		case f.Kind == KindIndex && f.Name == IndexName:
			return nil, nil // indexed already
		case f.Kind == KindContents:
			data, err := Fetch(ctx, s, f)
			if err != nil {
				return nil, err
			}
			c, err := reading.Parse(f.Key, data)
			if err != nil {
				return nil, err
			}
			editions = append(editions, c)
		}
	}
	if len(editions) == 0 {
		m, err := manifest.Read(ctx, s, pub, rel.Build)
		if err != nil {
			return nil, fmt.Errorf("release %s/%s: %w", pub, name, err)
		}
		files, err := rebuild(ctx, m)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			c, err := reading.Parse(f.Name, f.Data)
			if err != nil {
				return nil, err
			}
			key, err := putRelease(ctx, s, pub, name, f.Name, f.Data)
			if err != nil {
				return nil, err
			}
			editions = append(editions, c)
			added = append(added, File{Name: f.Name, Kind: KindContents, Lang: f.Lang, Size: len(f.Data), SHA256: sum(f.Data), Key: key})
		}
	}
	if len(editions) == 0 {
		return nil, fmt.Errorf("release %s/%s: its build has no edition to index", pub, name)
	}
	ix, err := putIndex(ctx, s, pub, name, editions)
	if err != nil {
		return nil, err
	}
	added = append(added, ix)
	err = update(ctx, s, r.Time(), func(c *Catalog) error {
		rc := c.Find(pub, name)
		if rc == nil || rc.Build != rel.Build {
			return fmt.Errorf("release %s/%s changed in the catalogue while it was indexed; run again", pub, name)
		}
		n := 0
		for _, f := range added {
			if !slices.ContainsFunc(rc.Files, func(g File) bool { return g.Name == f.Name }) {
				rc.Files = append(rc.Files, f)
				n++
			}
		}
		if n == 0 {
			return errSame // listed by an attempt whose answer was lost
		}
		return nil
	})
	if err != nil && !errors.Is(err, errSame) {
		return nil, err
	}
	return added, nil
}

// Kinds of released files besides the PDFs ("pdf", "summary"), the data
// annex ("data") and the manifest.
const (
	// KindContents is an edition's contents file (reading.Contents).
	KindContents = "contents"
	// KindIndex is the release's full-text search index (search.Index).
	KindIndex = "index"
)

// IndexName is the file name of a release's search index, which names
// its format: an index of a newer format is a new file beside the old.
var IndexName = fmt.Sprintf("search-index-v%d.json", search.FormatVersion)

// putRelease stores a file of release pub/name, create-only: a file an
// earlier, interrupted publish stored is kept when it holds the same
// bytes.
func putRelease(ctx context.Context, s store.Store, pub, name, file string, data []byte) (string, error) {
	key := Prefix(pub, name) + file
	_, err := s.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true, ContentType: ContentType(file)})
	if errors.Is(err, store.ErrExist) {
		// an earlier, interrupted publish of this release, or someone
		// else's: go on only if it holds the same bytes
		in, serr := s.Stat(ctx, key)
		if serr != nil || in.SHA256 != sum(data) {
			return "", fmt.Errorf("release %s/%s already exists with other files and cannot be overwritten; publish under another name", pub, name)
		}
	} else if err != nil {
		return "", fmt.Errorf("publish %s: %w", key, err)
	}
	return key, nil
}

// putIndex builds and stores the search index of release pub/name from
// its editions' contents.
func putIndex(ctx context.Context, s store.Store, pub, name string, editions []*reading.Contents) (File, error) {
	data, err := search.Build(pub, name, editions).Marshal()
	if err != nil {
		return File{}, err
	}
	key, err := putRelease(ctx, s, pub, name, IndexName, data)
	if err != nil {
		return File{}, err
	}
	return File{Name: IndexName, Kind: KindIndex, Size: len(data), SHA256: sum(data), Key: key}, nil
}

// Withdraw marks a release withdrawn in the catalogue, with the reason
// in each language it is given in (English at least); its files stay
// where they are.
func Withdraw(ctx context.Context, s store.Store, now time.Time, pub, name string, reason publication.Text, by string) error {
	if err := CheckNames(pub, name); err != nil {
		return err
	}
	reasons := publication.Text{}
	for l, t := range reason {
		if t = strings.TrimSpace(t); t != "" {
			reasons[l] = t
		}
	}
	if reasons["en"] == "" {
		return fmt.Errorf("say why the release is withdrawn: --reason \"...\" (in English; --reason-zh in Chinese)")
	}
	err := update(ctx, s, now, func(c *Catalog) error {
		r := c.Find(pub, name)
		if r == nil {
			return fmt.Errorf("%w: no release %s/%s in the catalogue", store.ErrNotExist, pub, name)
		}
		if r.Withdrawn != nil && r.Withdrawn.Reason == reasons["en"] && r.Withdrawn.By == by {
			return errSame // this withdrawal, applied by an attempt whose answer was lost
		}
		if r.Withdrawn != nil {
			return fmt.Errorf("release %s/%s was already withdrawn on %s: %s", pub, name, r.Withdrawn.Time.Format("2006-01-02"), r.Withdrawn.Reason)
		}
		r.Withdrawn = &Withdrawal{Time: now.UTC(), Reason: reasons["en"], Reasons: reasons, By: by}
		return nil
	})
	if errors.Is(err, errSame) {
		return nil
	}
	return err
}

// Fetch reads a released file and checks it against the catalogue.
func Fetch(ctx context.Context, s store.Store, f File) ([]byte, error) {
	data, err := readAll(ctx, s, f.Key)
	if err != nil {
		return nil, err
	}
	if got := sum(data); got != f.SHA256 || len(data) != f.Size {
		return nil, fmt.Errorf("%s: SHA-256 %s (%d bytes), the catalogue says %s (%d bytes); do not use this file", f.Key, got, len(data), f.SHA256, f.Size)
	}
	return data, nil
}

func readAll(ctx context.Context, s store.Store, key string) ([]byte, error) {
	rc, _, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return data, nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ContentType is the media type of a released file, by its name.
func ContentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(name, ".xlsx"):
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	}
	return "application/octet-stream"
}
