// Package layout names every key of the store: where publication
// definitions, drafts, reviews, activity records, builds and releases
// live, and which of them each role may read and write. No other package
// spells a prefix (TestPrefixesOnlyHere); the store receives the roles'
// prefixes from here and knows nothing of the application.
//
//	config/PUB/publication.yaml            the publication's definition
//	config/PUB/history/REV.yaml            its earlier definitions
//	drafts/PUB/chapters/ID/LANG/REV.md     chapter revisions
//	drafts/PUB/figures|datasets/NAME/REV.* figure and dataset revisions
//	reviews/PUB/chapters/ID/LANG/...       editors' decisions
//	activities/records/, activities/evidence/
//	builds/PUB/BUILD/                      a build's outputs and manifest
//	published/catalog.json                 the public catalogue
//	published/PUB/RELEASE/                 a release's files
package layout

import (
	"fmt"
	"strings"
	"time"
)

// The top-level prefixes.
const (
	Config     = "config/"
	Drafts     = "drafts/"
	Reviews    = "reviews/"
	Activities = "activities/"
	Builds     = "builds/"
	Published  = "published/"
)

// Top lists every top-level prefix.
var Top = []string{Config, Drafts, Reviews, Activities, Builds, Published}

// ConfigDir holds a publication's definition and its history.
func ConfigDir(pub string) string { return Config + pub + "/" }

// ConfigKey is a publication's current definition.
func ConfigKey(pub string) string { return ConfigDir(pub) + "publication.yaml" }

// ConfigHistory holds a publication's earlier definitions.
func ConfigHistory(pub string) string { return ConfigDir(pub) + "history/" }

// DraftsDir holds every draft of a publication.
func DraftsDir(pub string) string { return Drafts + pub + "/" }

// DraftItem holds the revisions of one item (chapters also by language:
// see DraftChapter).
func DraftItem(pub, kind, item string) string { return DraftsDir(pub) + kind + "/" + item + "/" }

// ReviewsDir holds the decisions on a chapter's revisions in a language.
func ReviewsDir(pub, chapter, lang string) string {
	return Reviews + pub + "/chapters/" + chapter + "/" + lang + "/"
}

// Activity records and the evidence they cite.
const (
	ActivityRecords  = Activities + "records/"
	ActivityEvidence = Activities + "evidence/"
)

// BuildsOf holds every build of a publication.
func BuildsOf(pub string) string { return Builds + pub + "/" }

// BuildDir holds one build's outputs and manifest.
func BuildDir(pub, id string) string { return BuildsOf(pub) + id + "/" }

// Catalog is the public catalogue of releases.
const Catalog = Published + "catalog.json"

// ReleaseDir holds a release's files.
func ReleaseDir(pub, name string) string { return Published + pub + "/" + name + "/" }

// Roles of the people who use a store.
const (
	RoleAuthor = "author" // may add revisions under drafts/PUB/ and read that publication
	RoleEditor = "editor" // may read and write everything
)

// Grant is what a role may write and read: an author of pub adds
// revisions of its drafts and reads them and its definition; an editor
// reads and writes every prefix.
func Grant(role, pub string) (write, read []string, err error) {
	switch role {
	case RoleAuthor:
		if pub == "" || strings.ContainsAny(pub, "/.") {
			return nil, nil, fmt.Errorf("author credentials need a publication id")
		}
		return []string{DraftsDir(pub)}, []string{DraftsDir(pub), ConfigDir(pub)}, nil
	case RoleEditor:
		return Top, Top, nil
	}
	return nil, nil, fmt.Errorf("unknown role %q: use author or editor", role)
}

// Public is what anyone may read once the store is set up.
const Public = Published

// RevisionID names a revision (or a build) by time and content hash, so
// ids sort by time and say what they hold: 20131015T093000Z-3f2a9c1b4d5e.
// The stored object itself is named by the full SHA-256 of its content
// (content-addressed): submitting identical content again is then refused
// by the store's create-only write in the same request, with no listing
// and no race.
func RevisionID(t time.Time, sha string) string {
	return t.UTC().Format("20060102T150405Z") + "-" + sha[:12]
}
