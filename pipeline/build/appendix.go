package build

import (
	"io/fs"
	"path/filepath"
	"sort"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/appendix"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// loadActivities reads, for a publication directory whose definition
// lists appendices, the plan register and the progress records of the
// tracker workbooks (*.xlsx) in DIR/activities/, or in datasets/<plan>/ of
// the repository layout.
func (s *Sources) loadActivities(dir string, tfs fs.FS) error {
	if len(s.Pub.Appendices) == 0 {
		return nil
	}
	reg, err := activity.LoadRegister(orDefault(tfs), s.Pub.Plan)
	if err != nil {
		return err
	}
	s.Register = reg
	roots := openRoots([]string{filepath.Join(dir, "activities"), filepath.Join(dir, "..", "..", "datasets", reg.ID)})
	defer closeRoots(roots)
	for _, d := range roots {
		files, _ := fs.Glob(d.FS(), "*.xlsx")
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		var errs diag.List
		for _, rel := range files {
			f := d.Name(rel)
			data, err := d.ReadFile(rel, drafts.MaxDatasetSize, "activity tracker")
			if err != nil {
				errs.Merge(err)
				continue
			}
			recs, err := activity.ReadTracker(f, data, reg, time.Now().UTC())
			if err != nil {
				errs.Merge(err)
				continue
			}
			for i := range recs {
				recs[i].Seq = len(s.Records)
				s.Records = append(s.Records, recs[i])
			}
			s.ActivityInputs = append(s.ActivityInputs, manifest.Input{Kind: manifest.InActivities, Item: filepath.Base(f), Key: f, SHA256: sha(data)})
		}
		return errs.Err()
	}
	// no tracker: the appendices report that nothing is recorded yet
	return nil
}

func orDefault(f fs.FS) fs.FS {
	if f == nil {
		return templates.FS
	}
	return f
}

// appendices builds the generated appendices the publication lists, in
// lang (see package appendix).
func (s *Sources) appendices(t *typeset.Template, lang string) ([]*ms.Chapter, error) {
	return appendix.Chapters(appendix.Input{Pub: s.Pub, Register: s.Register, Records: s.Records, Label: t.Label}, lang)
}
