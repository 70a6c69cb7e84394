// Package sample puts a publication of the repository's sample (chapters/
// and datasets/) into a store as its authors and editors would: the
// definition, every draft, figure, dataset and bibliography, the plan tracker's
// records, an accepted review of each chapter. Tests, benchmarks and
// demonstrations of the catalogue use it (buildtest.Release then makes and
// publishes a release build).
package sample

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/templates"
)

// Submit stores the publication of dir (chapters/<id>) with its datasets
// (root/datasets/<id>) and, when it has appendices, the plan tracker's
// records, and accepts the latest revision of every chapter.
func Submit(ctx context.Context, r *drafts.Repo, root, id string) error {
	dir := filepath.Join(root, "chapters", id)
	data, err := os.ReadFile(filepath.Join(dir, "publication.yaml"))
	if err != nil {
		return err
	}
	pub, err := r.PushPublication(ctx, filepath.Join(dir, "publication.yaml"), data)
	if err != nil {
		return err
	}
	if g := pub.Glossary; g != "" {
		f := filepath.Join(dir, g)
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := intake.SubmitGlossary(ctx, r, pub.ID, f, data, "sample"); err != nil {
			return err
		}
	}
	// the bibliography first: a draft that cites a work not in the store
	// is refused, as aceo validate refuses it
	for _, name := range pub.Bibliography {
		f := filepath.Join(dir, name)
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := intake.SubmitBibliography(ctx, r, pub.ID, f, data, "sample"); err != nil {
			return err
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.md"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := intake.SubmitChapter(ctx, r, f, data, ""); err != nil {
			return err
		}
	}
	figs, _ := filepath.Glob(filepath.Join(dir, "figures", "*.png"))
	for _, f := range figs {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := intake.SubmitFigure(ctx, r, pub.ID, f, data, "sample"); err != nil {
			return err
		}
	}
	sets, _ := filepath.Glob(filepath.Join(root, "datasets", pub.ID, "*"))
	for _, f := range sets {
		if strings.HasSuffix(f, drafts.DictionarySuffix) || strings.HasSuffix(f, ".md") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var dict []byte
		if strings.HasSuffix(f, ".csv") {
			if dict, err = os.ReadFile(strings.TrimSuffix(f, ".csv") + drafts.DictionarySuffix); err != nil {
				return err
			}
		}
		if _, _, err := intake.SubmitDataset(ctx, r, pub.ID, f, data, dict, "sample"); err != nil {
			return err
		}
	}
	if len(pub.Appendices) > 0 {
		reg, err := activity.LoadRegister(templates.FS, pub.Plan)
		if err != nil {
			return err
		}
		file := filepath.Join(root, "datasets", reg.ID, "tracker.xlsx")
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		recs, err := activity.ReadTracker(file, data, reg, r.Time())
		if err != nil {
			return err
		}
		if _, err := (&activity.Log{Store: r.Store, Now: r.Time}).Add(ctx, "sample", "tracker.xlsx", recs); err != nil {
			return err
		}
	}
	for _, ch := range pub.Chapters {
		for _, lang := range pub.Languages {
			if _, err := r.Review(ctx, pub.ID, ch, lang, "latest", drafts.Accept, "", "sample editor"); err != nil {
				return fmt.Errorf("accept %s (%s): %w", ch, lang, err)
			}
		}
	}
	return nil
}

// Clock is a repository clock that starts at t and moves on a second at
// each reading, so that stored times differ and sort.
func Clock(t time.Time) func() time.Time {
	var mu sync.Mutex
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}
