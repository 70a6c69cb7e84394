package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/aceo-project/aceo/pipeline/activity"
	"path"
	"strings"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// Input is a stored revision a build used.
type Input struct {
	Key    string
	Rev    string
	SHA256 string
}

// FromStore assembles a publication from the store: for a release build
// the accepted revision of every chapter in every language, for a
// preview the latest; figures in their latest revision. It returns the
// sources and the revisions used.
func FromStore(ctx context.Context, r *drafts.Repo, pubID string, preview bool, opt Options) (*Sources, []Input, error) {
	pub, err := r.Publication(ctx, pubID)
	if err != nil {
		return nil, nil, err
	}
	if opt.Fonts != nil && opt.Templates != nil {
		if t, err := typeset.LoadTemplate(opt.Templates, pub.Template); err == nil {
			go opt.Fonts.Preload(t.PrimaryFontFiles())
		}
	}
	src := &Sources{Pub: pub, Chapters: map[string]map[string]*ms.Chapter{}, Images: map[string]*typeset.Image{}, Datasets: map[string]*dataset.Dataset{}, DatasetInputs: map[string]Input{}}
	var inputs []Input
	var errs diag.List
	for _, id := range pub.Chapters {
		for _, lang := range pub.Languages {
			revs, err := r.History(ctx, pub.ID, drafts.Chapters, id, lang)
			if err != nil {
				return nil, nil, err
			}
			var rv drafts.Revision
			switch {
			case len(revs) == 0:
				errs.Add(diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q has no %s draft in the store", id, lang),
					"the author submits it with: aceo submit chapter FILE"))
				continue
			case preview:
				rv = revs[len(revs)-1]
			default:
				reviews, err := r.Reviews(ctx, pub.ID, id, lang)
				if err != nil {
					return nil, nil, err
				}
				acc := drafts.Accepted(reviews)
				if acc == "" {
					errs.Add(diag.At(pub.File, pub.ChapterLine[id], fmt.Sprintf("chapter %q (%s) has no accepted revision", id, lang),
						fmt.Sprintf("an editor accepts one with: aceo review accept --lang %s %s %s %s, or build with --preview", lang, pub.ID, id, revs[len(revs)-1].ID)))
					continue
				}
				for _, x := range revs {
					if x.ID == acc {
						rv = x
					}
				}
			}
			data, err := r.Read(ctx, rv)
			if err != nil {
				return nil, nil, err
			}
			ch, err := ms.Parse(rv.Key, data)
			if err != nil {
				errs.Merge(err)
				continue
			}
			if src.Chapters[id] == nil {
				src.Chapters[id] = map[string]*ms.Chapter{}
			}
			src.Chapters[id][lang] = ch
			inputs = append(inputs, Input{Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	err = src.readImages(func(ref string) ([]byte, string, error) {
		name := strings.TrimSuffix(path.Base(ref), path.Ext(ref))
		revs, err := r.History(ctx, pub.ID, drafts.Figures, name, "")
		if err != nil {
			return nil, "", err
		}
		if len(revs) == 0 {
			return nil, "submit it with: aceo submit figure --pub " + pub.ID + " " + path.Base(ref), store.ErrNotExist
		}
		rv := revs[len(revs)-1]
		inputs = append(inputs, Input{Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256})
		data, err := r.Read(ctx, rv)
		return data, "", err
	})
	if err != nil {
		return nil, nil, err
	}
	latest := func(name string) (drafts.Revision, []byte, error) {
		revs, err := r.History(ctx, pub.ID, drafts.Datasets, name, "")
		if err != nil {
			return drafts.Revision{}, nil, err
		}
		if len(revs) == 0 {
			return drafts.Revision{}, nil, diag.At(pub.File, 0, fmt.Sprintf("dataset %q is used by a table but not in the store", name), "submit it with: aceo submit dataset --pub "+pub.ID+" "+name+".xlsx")
		}
		rv := revs[len(revs)-1]
		inputs = append(inputs, Input{Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256})
		data, err := r.Read(ctx, rv)
		return rv, data, err
	}
	for name := range src.datasetRefs() {
		rv, data, err := latest(name)
		if err != nil {
			return nil, nil, err
		}
		var ds *dataset.Dataset
		if rv.Ext == ".xlsx" {
			ds, err = dataset.ReadXLSX(name, rv.Key, data)
		} else {
			drv, dict, derr := latest(name + "-indicators")
			if derr != nil {
				return nil, nil, derr
			}
			ds, err = dataset.ReadCSV(name, rv.Key, data, drv.Key, dict)
		}
		if err != nil {
			return nil, nil, err
		}
		src.Datasets[name] = ds
		src.DatasetInputs[name] = Input{Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256}
	}
	if len(pub.Appendices) > 0 {
		reg, err := activity.LoadRegister(orDefault(opt.Templates), pub.Plan)
		if err != nil {
			return nil, nil, err
		}
		recs, batches, err := (&activity.Log{Store: r.Store}).Records(ctx)
		if err != nil {
			return nil, nil, err
		}
		src.Register, src.Records = reg, recs
		for _, b := range batches {
			src.ActivityInputs = append(src.ActivityInputs, Input{Key: b.Key, Rev: b.ID, SHA256: b.SHA256})
		}
	}
	return src, inputs, nil
}

// StoreOutputs writes a build's outputs, and its data annex when there is
// one, to builds/<pub>/<build-id>/ in the store, create-only, and returns
// the build id (the time and a hash of the files) and the keys written.
func StoreOutputs(ctx context.Context, r *drafts.Repo, src *Sources, outs []Output, annex []byte) (string, []string, error) {
	type file struct {
		name, ctype string
		data        []byte
	}
	var files []file
	for _, o := range outs {
		files = append(files, file{FileName(src.Pub, o.Lang), "application/pdf", o.PDF})
	}
	if annex != nil {
		files = append(files, file{AnnexName(src.Pub.ID), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", annex})
	}
	h := sha256.New()
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		h.Write(sum[:])
	}
	id := drafts.RevisionID(r.Time(), hex.EncodeToString(h.Sum(nil)))
	var keys []string
	for _, f := range files {
		key := "builds/" + src.Pub.ID + "/" + id + "/" + f.name
		if _, err := r.Store.Put(ctx, key, bytes.NewReader(f.data), int64(len(f.data)), store.PutOptions{CreateOnly: true, ContentType: f.ctype}); err != nil {
			return "", nil, err
		}
		keys = append(keys, key)
	}
	return id, keys, nil
}
