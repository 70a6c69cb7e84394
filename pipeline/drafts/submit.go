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

	"github.com/aceo-project/aceo/pipeline/diag"
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

// SubmitChapter checks a chapter draft and stores it as a new revision.
// author overrides the first author of the front matter as the
// submitter's name when not empty.
func (r *Repo) SubmitChapter(ctx context.Context, file string, data []byte, author string) (Result, error) {
	ch, pub, err := r.CheckChapter(ctx, file, data)
	if err != nil {
		return Result{}, err
	}
	if r.Judge != nil {
		if err := r.Judge(ctx, file, data); err != nil {
			return Result{}, err
		}
	}
	if author == "" && len(ch.Meta.Authors) > 0 {
		author = ch.Meta.Authors[0]
	}
	meta := map[string]string{"author": enc(author), "file": enc(baseName(file))}
	if ch.Meta.TranslatedFrom != "" {
		meta["translated-from"] = enc(ch.Meta.TranslatedFrom)
	}
	return r.put(ctx, pub.ID, Chapters, ch.Meta.Chapter, ch.Meta.Lang, ".md", data, meta, "text/markdown; charset=utf-8")
}

// SubmitFigure checks an image and stores it as a new revision of the
// figure named by its file name.
func (r *Repo) SubmitFigure(ctx context.Context, pub, file string, data []byte, author string) (Result, error) {
	name, ext, err := CheckFigure(file, data)
	if err != nil {
		return Result{}, err
	}
	if _, err := r.Publication(ctx, pub); err != nil {
		return Result{}, diag.At(file, 0, err.Error(), "")
	}
	ctype := "image/png"
	if ext != ".png" {
		ctype = "image/jpeg"
	}
	return r.put(ctx, pub, Figures, name, "", ext, data, map[string]string{"author": enc(author), "file": enc(baseName(file))}, ctype)
}

// SubmitDataset validates a dataset and stores it as a new revision: a
// workbook alone, or a CSV table together with its dictionary (dict),
// which is stored as the dataset <name>-indicators.
func (r *Repo) SubmitDataset(ctx context.Context, pub, file string, data, dict []byte, author string) ([]Result, diag.List, error) {
	name, ext, warnings, err := CheckDataset(ctx, file, data, dict)
	if err != nil {
		return nil, nil, err
	}
	if _, err := r.Publication(ctx, pub); err != nil {
		return nil, nil, diag.At(file, 0, err.Error(), "")
	}
	ctype := "text/csv; charset=utf-8"
	if ext == ".xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	meta := map[string]string{"author": enc(author), "file": enc(baseName(file))}
	res, err := r.put(ctx, pub, Datasets, name, "", ext, data, meta, ctype)
	if err != nil {
		return nil, nil, err
	}
	out := []Result{res}
	if dict != nil {
		dfile := strings.TrimSuffix(baseName(file), ".csv") + DictionarySuffix
		res, err := r.put(ctx, pub, Datasets, name+"-indicators", "", ".csv", dict, map[string]string{"author": enc(author), "file": enc(dfile)}, ctype)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, res)
	}
	return out, warnings, nil
}

// put stores content as a new revision unless an identical one exists.
// Revisions are written create-only: nothing is ever replaced.
func (r *Repo) put(ctx context.Context, pub, kind, item, lang, ext string, data []byte, meta map[string]string, ctype string) (Result, error) {
	sum := sha256.Sum256(data)
	hexsum := hex.EncodeToString(sum[:])
	submitted := dec(meta["file"])
	now := r.now()
	meta["submitted"] = enc(now.Format(time.RFC3339Nano)) // to order revisions of one second
	key := Prefix(pub, kind, item, lang) + hexsum + ext
	in, err := r.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true, Meta: meta, ContentType: ctype})
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
