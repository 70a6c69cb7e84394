package drafts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/store"
)

// Result is what a submission did.
type Result struct {
	Revision
	// Duplicate is true when identical content was already stored: the
	// existing revision is returned and nothing is written.
	Duplicate bool `json:"duplicate"`
	// Submitted is the name of the file submitted this time.
	Submitted string `json:"submitted_as"`
}

// Upload is a checked file to store as a revision of an item.
type Upload struct {
	Pub, Kind, Item, Lang string // Lang: chapters only
	Ext                   string // the extension, with its dot
	ContentType           string
	Data                  []byte
	Author                string // who submitted it
	File                  string // the file name as submitted
	TranslatedFrom        string // a translation's basis (chapters)
}

// Put stores an upload as a new revision unless an identical one exists.
// Revisions are written create-only: nothing is ever replaced. Put checks
// nothing about the content: the intake package's Submit functions check
// a file as aceo validate does and then call Put, and nothing else should.
func (r *Repo) Put(ctx context.Context, up Upload) (Result, error) {
	sum := sha256.Sum256(up.Data)
	hexsum := hex.EncodeToString(sum[:])
	submitted := baseName(up.File)
	meta := map[string]string{"author": enc(up.Author), "file": enc(submitted)}
	if up.TranslatedFrom != "" {
		meta["translated-from"] = enc(up.TranslatedFrom)
	}
	now := r.now()
	meta["submitted"] = enc(now.Format(time.RFC3339Nano)) // to order revisions of one second
	key := Prefix(up.Pub, up.Kind, up.Item, up.Lang) + hexsum + up.Ext
	in, err := r.Store.Put(ctx, key, bytes.NewReader(up.Data), int64(len(up.Data)), store.PutOptions{CreateOnly: true, Meta: meta, ContentType: up.ContentType})
	if errors.Is(err, store.ErrExist) {
		// identical content is already a revision of this item
		full, err := r.Store.Stat(ctx, key)
		if err != nil {
			return Result{}, err
		}
		rv, _ := revisionFrom(full)
		return Result{Revision: rv, Duplicate: true, Submitted: submitted}, nil
	}
	if err != nil {
		return Result{}, err
	}
	in.Meta = meta
	rv, _ := revisionFrom(in)
	return Result{Revision: rv, Submitted: submitted}, nil
}

// Submission is a file an invited author sends for one item: the upload
// page hands it to an intake, which checks it within the invitation's
// scope (publication, kind, item, language) and stores it only if it
// passes.
type Submission struct {
	Pub, Kind, Item, Lang string // Kind: Chapters, Figures or Datasets; Lang: chapters
	Author                string
	File                  string // the file's name
	Data                  []byte
	Dict                  []byte // a CSV dataset's indicator dictionary
}

// ScopeError is a file that passes its checks but is not the one the
// invitation is for: another chapter, language or name.
type ScopeError struct {
	Line      int // of the draft's front matter; 0 when it is the file's name
	Msg, Hint string
}

func (e *ScopeError) Error() string { return e.Msg }

func baseName(file string) string {
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		return file[i+1:]
	}
	return file
}

// String describes a result for the command line.
func (res Result) String() string {
	what := res.Item
	if res.Lang != "" {
		what += " (" + res.Lang + ")"
	}
	if res.Duplicate {
		return fmt.Sprintf("%s: identical to revision %s of %s, not stored again", res.Submitted, res.ID, what)
	}
	return fmt.Sprintf("%s: stored as revision %s of %s", res.Submitted, res.ID, what)
}
