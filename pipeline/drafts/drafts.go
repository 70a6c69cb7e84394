// Package drafts keeps authors' submissions in the store as immutable
// revisions: chapter drafts, figures and datasets, under the layout of
// docs/architecture.md. It also keeps the publication definitions that
// editors push and the reviews that accept or reject revisions, and it
// reports where every chapter stands.
package drafts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Size limits of submissions.
const (
	MaxDraftSize   = 2 << 20
	MaxFigureSize  = 20 << 20
	MaxDatasetSize = 100 << 20
)

// Kinds of submission, as they appear in keys.
const (
	Chapters = "chapters"
	Figures  = "figures"
	Datasets = "datasets"
	// Bibliographies are BibTeX or CSL-JSON files, stored under the name
	// publication.yaml gives them (refs.bib is the item refs).
	Bibliographies = "bibliographies"
	// Glossaries are glossary.yaml files, stored under their names.
	Glossaries = "glossaries"
)

// Repo is the drafts area of a store.
type Repo struct {
	Store store.Store
	Now   func() time.Time // time.Now unless set (tests)

	// Judge, when set, gives the verdict on a chapter draft in the context
	// of its publication (build.UseVerdict sets the build's own preflight):
	// SubmitChapter stores a draft only when it returns nil. Unset, only
	// the draft's own checks and its front matter against the publication
	// are made (CheckChapter).
	Judge func(ctx context.Context, file string, data []byte) error

	pubs sync.Map // publication id -> cachedPub
}

// pubTTL is how long a publication definition read from the store is
// reused before it is read again.
const pubTTL = 10 * time.Second

type cachedPub struct {
	p    *publication.Publication
	read time.Time
}

// Time is the repository's clock, in UTC.
func (r *Repo) Time() time.Time { return r.now() }

func (r *Repo) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

// Revision is one stored submission.
type Revision struct {
	ID             string    `json:"revision"` // time and hash: 20131015T093000Z-3f2a9c1b4d5e
	Pub            string    `json:"publication"`
	Kind           string    `json:"kind"`           // chapters, figures, datasets
	Item           string    `json:"item"`           // chapter id, figure or dataset name
	Lang           string    `json:"lang,omitempty"` // chapters only
	Ext            string    `json:"ext"`            // file extension, with the dot
	Key            string    `json:"key"`
	Author         string    `json:"author,omitempty"`
	File           string    `json:"file,omitempty"` // the file name the author submitted
	TranslatedFrom string    `json:"translated_from,omitempty"`
	Time           time.Time `json:"submitted"`
	Size           int64     `json:"size"`
	SHA256         string    `json:"sha256"`
}

// Name is how messages name a revision, as its author knows it:
// "chapter freshwater (zh), revision 20131015T093000Z-3f2a9c1b4d5e,
// submitted as 03-freshwater.md". It holds no colon, so "name:line" still
// splits.
func (rv Revision) Name() string {
	kind := strings.TrimSuffix(rv.Kind, "s")
	if strings.HasSuffix(rv.Kind, "ies") { // bibliographies
		kind = strings.TrimSuffix(rv.Kind, "ies") + "y"
	}
	if kind == "" {
		kind = "draft"
	}
	s := kind + " " + rv.Item
	if rv.Lang != "" {
		s += " (" + rv.Lang + ")"
	}
	if rv.ID != "" {
		s += ", revision " + rv.ID
	}
	if rv.File != "" {
		s += ", submitted as " + rv.File
	}
	return s
}

// Prefix is the key prefix of the revisions of one item.
func Prefix(pub, kind, item, lang string) string {
	p := layout.DraftItem(pub, kind, item)
	if kind == Chapters {
		p += lang + "/"
	}
	return p
}

// ConfigKey is where a publication's definition is stored.
func ConfigKey(pub string) string { return layout.ConfigKey(pub) }

// metadata values travel as HTTP headers on S3: keep them ASCII.
func enc(s string) string { return url.QueryEscape(s) }
func dec(s string) string {
	v, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return v
}

// revisionFrom reads a revision back from a stored object.
func revisionFrom(in store.Info) (Revision, bool) {
	parts := strings.Split(in.Key, "/")
	// drafts/<pub>/<kind>/<item>/[<lang>/]<rev><ext>
	if len(parts) < 5 || parts[0] != "drafts" {
		return Revision{}, false
	}
	rv := Revision{Pub: parts[1], Kind: parts[2], Item: parts[3], Key: in.Key, Size: in.Size, SHA256: in.SHA256}
	file := parts[len(parts)-1]
	if rv.Kind == Chapters {
		if len(parts) != 6 {
			return Revision{}, false
		}
		rv.Lang = parts[4]
	} else if len(parts) != 5 {
		return Revision{}, false
	}
	rv.Ext = path.Ext(file)
	// the object is named by its content's SHA-256; the revision id adds
	// the submission time kept with it
	sum := strings.TrimSuffix(file, rv.Ext)
	if len(sum) != 64 {
		return Revision{}, false
	}
	if rv.SHA256 == "" {
		rv.SHA256 = sum
	}
	t, err := time.Parse(time.RFC3339, dec(in.Meta["submitted"]))
	if err != nil {
		t = in.Modified.UTC().Truncate(time.Second)
	}
	rv.Time = t
	rv.ID = layout.RevisionID(t, sum)
	rv.Author = dec(in.Meta["author"])
	rv.File = dec(in.Meta["file"])
	rv.TranslatedFrom = dec(in.Meta["translated-from"])
	return rv, true
}

// History lists the revisions of one item, oldest first.
func (r *Repo) History(ctx context.Context, pub, kind, item, lang string) ([]Revision, error) {
	var out []Revision
	err := store.ListAll(ctx, r.Store, Prefix(pub, kind, item, lang), func(in store.Info) error {
		in, err := r.withMeta(ctx, in)
		if err != nil {
			return err
		}
		if rv, ok := revisionFrom(in); ok {
			out = append(out, rv)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// in submission order: ids have whole seconds, the time kept with a
	// revision has nanoseconds
	sortRevisions(out)
	return out, nil
}

// Find returns the revision with id (or a unique prefix of it) of an
// item; "latest" names the newest revision.
func (r *Repo) Find(ctx context.Context, pub, kind, item, lang, id string) (Revision, error) {
	revs, err := r.History(ctx, pub, kind, item, lang)
	if err != nil {
		return Revision{}, err
	}
	if id == "latest" && len(revs) > 0 {
		return revs[len(revs)-1], nil
	}
	var found []Revision
	for _, rv := range revs {
		if rv.ID == id || strings.HasPrefix(rv.ID, id) {
			found = append(found, rv)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Revision{}, fmt.Errorf("%w: no revision %s of %s", store.ErrNotExist, id, strings.TrimSuffix(Prefix(pub, kind, item, lang), "/"))
	}
	return Revision{}, fmt.Errorf("revision %s is ambiguous: %d revisions start with it; give more of the id", id, len(found))
}

// Read returns the content of a revision, its checksum verified.
func (r *Repo) Read(ctx context.Context, rv Revision) ([]byte, error) {
	rc, _, err := r.Store.Get(ctx, rv.Key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rv.Key, err)
	}
	// A revision is named by its content's hash: anything else means the
	// object was replaced behind aceo's back. A store that keeps versions
	// still has the original, which is what the revision is.
	if matches(rv, data) {
		return data, nil
	}
	if v, ok := r.Store.(store.Versions); ok {
		orc, _, err := v.GetOriginal(ctx, rv.Key)
		if err == nil {
			orig, err := io.ReadAll(orc)
			orc.Close()
			if err == nil && matches(rv, orig) {
				return orig, nil
			}
		}
	}
	return nil, fmt.Errorf("revision %s (%s) was altered in the store after it was submitted: its content no longer matches its name; restore it from the bucket's versions or submit it again", rv.ID, rv.Key)
}

// matches reports whether data is the content a revision is named after.
func matches(rv Revision, data []byte) bool {
	sum := sha256.Sum256(data)
	return strings.TrimSuffix(path.Base(rv.Key), rv.Ext) == hex.EncodeToString(sum[:])
}

// PushPublication checks and stores a publication definition. Editors do
// this; a definition may be replaced, and every version is also kept.
func (r *Repo) PushPublication(ctx context.Context, file string, data []byte) (*publication.Publication, error) {
	p, err := publication.Parse(file, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	hist := layout.ConfigHistory(p.ID) + layout.RevisionID(r.now(), hex.EncodeToString(sum[:])) + ".yaml"
	if _, err := r.Store.Put(ctx, hist, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true, ContentType: "application/yaml"}); err != nil {
		return nil, err
	}
	if _, err := r.Store.Put(ctx, ConfigKey(p.ID), bytes.NewReader(data), int64(len(data)), store.PutOptions{ContentType: "application/yaml"}); err != nil {
		return nil, err
	}
	r.pubs.Delete(p.ID)
	return p, nil
}

// Publication reads a stored publication definition. A definition read
// in the last ten seconds is reused, so that a burst of submissions reads
// it once; PushPublication refreshes it.
func (r *Repo) Publication(ctx context.Context, id string) (*publication.Publication, error) {
	if !publication.ValidID(id) {
		return nil, fmt.Errorf("publication id %q is not valid: use %s", id, publication.IDPattern)
	}
	if v, ok := r.pubs.Load(id); ok && time.Since(v.(cachedPub).read) < pubTTL {
		return v.(cachedPub).p, nil
	}
	p, err := r.readPublication(ctx, id)
	if err == nil {
		r.pubs.Store(id, cachedPub{p, time.Now()})
	}
	return p, err
}

func (r *Repo) readPublication(ctx context.Context, id string) (*publication.Publication, error) {
	rc, _, err := r.Store.Get(ctx, ConfigKey(id))
	if err != nil {
		if errors.Is(err, store.ErrNotExist) {
			return nil, &NoPublicationError{ID: id, Store: r.Store.String()}
		}
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read publication %s: %w", id, err)
	}
	return publication.Parse(ConfigKey(id), data)
}

// NoPublicationError says that a publication is not in the store; it
// matches store.ErrNotExist.
type NoPublicationError struct {
	ID, Store string
}

func (e *NoPublicationError) Error() string {
	return fmt.Sprintf("publication %q is not in the store %s; an editor adds it with: aceo publication push publication.yaml", e.ID, e.Store)
}

// Unwrap makes the error match store.ErrNotExist.
func (e *NoPublicationError) Unwrap() error { return store.ErrNotExist }

// Publications lists the stored publications.
func (r *Repo) Publications(ctx context.Context) ([]*publication.Publication, error) {
	var out []*publication.Publication
	err := store.ListAll(ctx, r.Store, layout.Config, func(in store.Info) error {
		parts := strings.Split(in.Key, "/")
		if len(parts) == 3 && parts[2] == "publication.yaml" {
			p, err := r.Publication(ctx, parts[1])
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// DictionarySuffix names the file that holds a CSV dataset's indicator
// dictionary: forest.csv comes with forest.indicators.csv. It is stored as
// the dataset <name>-indicators.
const DictionarySuffix = ".indicators.csv"

// PublicationSource returns the definition in force, its text, and the
// stored version it is (config/<pub>/history/<rev>.yaml), so that a build
// can name exactly which definition it used.
func (r *Repo) PublicationSource(ctx context.Context, id string) (*publication.Publication, Revision, error) {
	if !publication.ValidID(id) {
		return nil, Revision{}, fmt.Errorf("publication id %q is not valid: use %s", id, publication.IDPattern)
	}
	rc, _, err := r.Store.Get(ctx, ConfigKey(id))
	if err != nil {
		if errors.Is(err, store.ErrNotExist) {
			return nil, Revision{}, fmt.Errorf("publication %q is not in the store %s; an editor adds it with: aceo publication push publication.yaml", id, r.Store)
		}
		return nil, Revision{}, err
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, Revision{}, fmt.Errorf("read publication %s: %w", id, err)
	}
	p, err := publication.Parse(ConfigKey(id), data)
	if err != nil {
		return nil, Revision{}, err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	rv := Revision{Pub: id, Kind: "config", Key: ConfigKey(id), SHA256: sha, Size: int64(len(data)), Ext: ".yaml"}
	prefix := layout.ConfigHistory(id)
	err = store.ListAll(ctx, r.Store, prefix, func(in store.Info) error {
		if strings.HasSuffix(in.Key, "-"+sha[:12]+".yaml") {
			rv.Key, rv.ID = in.Key, strings.TrimSuffix(path.Base(in.Key), ".yaml")
		}
		return nil
	})
	if err != nil {
		return nil, Revision{}, err
	}
	return p, rv, nil
}

// PublicationAt reads the stored version of a definition at key and
// checks it against its SHA-256.
func (r *Repo) PublicationAt(ctx context.Context, key, sha string) (*publication.Publication, error) {
	rc, _, err := r.Store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("publication definition %s: %w", key, err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != sha {
		return nil, fmt.Errorf("publication definition %s has SHA-256 %s, not %s", key, got, sha)
	}
	return publication.Parse(key, data)
}

// AllRevisions lists every revision of a publication's drafts in one
// listing, by item: "chapters/<id>/<lang>", "figures/<name>",
// "datasets/<name>", each oldest first. A build reads this once instead of
// listing each item.
func (r *Repo) AllRevisions(ctx context.Context, pub string) (map[string][]Revision, error) {
	out := map[string][]Revision{}
	err := store.ListAll(ctx, r.Store, layout.DraftsDir(pub), func(in store.Info) error {
		in, err := r.withMeta(ctx, in)
		if err != nil {
			return err
		}
		if rv, ok := revisionFrom(in); ok {
			k := rv.Kind + "/" + rv.Item
			if rv.Kind == Chapters {
				k += "/" + rv.Lang
			}
			out[k] = append(out[k], rv)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, revs := range out {
		sortRevisions(revs)
	}
	return out, nil
}

func sortRevisions(out []Revision) {
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		return out[i].ID < out[j].ID
	})
}

// withMeta completes a listed object with its hash and metadata, which
// the listings of some S3 services do not carry.
func (r *Repo) withMeta(ctx context.Context, in store.Info) (store.Info, error) {
	if in.SHA256 != "" && in.Meta != nil {
		return in, nil
	}
	return r.Store.Stat(ctx, in.Key)
}
