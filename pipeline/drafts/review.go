package drafts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Decisions an editor takes on a revision.
const (
	Accept = "accept"
	Reject = "reject"
)

// Review is an editor's decision on one revision of a chapter.
type Review struct {
	Rev      string    `json:"revision"`
	Decision string    `json:"decision"`
	Note     string    `json:"note,omitempty"`
	Editor   string    `json:"editor,omitempty"`
	Time     time.Time `json:"time"`
}

func reviewPrefix(pub, chapter, lang string) string {
	return layout.ReviewsDir(pub, chapter, lang)
}

// Review records a decision on a revision, which must exist. Reviews are
// kept as a log: a later decision on the same revision replaces the
// earlier one in effect, never on disk.
func (r *Repo) Review(ctx context.Context, pub, chapter, lang, rev, decision, note, editor string) (Review, error) {
	if decision != Accept && decision != Reject {
		return Review{}, fmt.Errorf("decision %q: use accept or reject", decision)
	}
	rv, err := r.Find(ctx, pub, Chapters, chapter, lang, rev)
	if err != nil {
		return Review{}, err
	}
	rw := Review{Rev: rv.ID, Decision: decision, Note: note, Editor: editor, Time: r.now()}
	data, _ := json.MarshalIndent(rw, "", "  ")
	key := reviewPrefix(pub, chapter, lang) + rw.Time.Format("20060102T150405.000000000Z") + "-" + rv.ID + ".json"
	if _, err := r.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true, ContentType: "application/json"}); err != nil {
		return Review{}, err
	}
	return rw, nil
}

// Reviews lists the decisions on a chapter in one language, oldest first.
func (r *Repo) Reviews(ctx context.Context, pub, chapter, lang string) ([]Review, error) {
	var out []Review
	err := store.ListAll(ctx, r.Store, reviewPrefix(pub, chapter, lang), func(in store.Info) error {
		rc, _, err := r.Store.Get(ctx, in.Key)
		if err != nil {
			return err
		}
		defer rc.Close()
		var rw Review
		if err := json.NewDecoder(rc).Decode(&rw); err != nil {
			return fmt.Errorf("review %s: %w", in.Key, err)
		}
		out = append(out, rw)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, err
}

// AcceptedSet lists the revisions whose latest decision is accept.
func AcceptedSet(reviews []Review) map[string]bool {
	last := map[string]string{}
	for _, rw := range reviews {
		last[rw.Rev] = rw.Decision
	}
	out := map[string]bool{}
	for rev, d := range last {
		if d == Accept {
			out[rev] = true
		}
	}
	return out
}

// NewestAccepted is the revision a release build takes: of revs (in
// submission order), the last one whose latest decision is accept; empty
// when none is.
func NewestAccepted(revs []Revision, reviews []Review) string {
	acc := AcceptedSet(reviews)
	for k := len(revs) - 1; k >= 0; k-- {
		if acc[revs[k].ID] {
			return revs[k].ID
		}
	}
	return ""
}

// Translation states of a chapter in a language.
const (
	Source  = "source"  // the English original
	Missing = "missing" // no revision
	Stale   = "stale"   // made from another English revision than the one the build takes
	Current = "current"
)

// ChapterStatus is one cell of the status table.
type ChapterStatus struct {
	Chapter     string    `json:"chapter"`
	Lang        string    `json:"lang"`
	Revisions   int       `json:"revisions"`
	Latest      string    `json:"latest,omitempty"`
	Accepted    string    `json:"accepted,omitempty"`
	Author      string    `json:"author,omitempty"`
	Submitted   time.Time `json:"submitted,omitempty"`
	Translation string    `json:"translation"`
	// Against is the English revision the translation state was judged
	// against: the one the build would use (the accepted one when there
	// is one, otherwise the latest).
	Against string `json:"against,omitempty"`
	// Review is the latest decision on the latest revision, with the
	// editor's note; nil before any.
	Review *Review `json:"review,omitempty"`
	// Problem says why a release build would fail on this cell.
	Problem string `json:"problem,omitempty"`
}

// LatestReview is the latest decision on revision rev, or nil.
func LatestReview(reviews []Review, rev string) *Review {
	for k := len(reviews) - 1; k >= 0; k-- {
		if reviews[k].Rev == rev {
			rw := reviews[k]
			return &rw
		}
	}
	return nil
}

// Status reports every chapter in every language of a publication. The
// second result is true when a release build would have what it needs:
// an accepted revision of every chapter in every language.
//
// Translation states are judged as the build judges them: the revision of
// the translation the build would take (accepted, else latest) against
// the English revision it would take (accepted, else latest).
func (r *Repo) Status(ctx context.Context, pubID string) ([]ChapterStatus, bool, error) {
	pub, err := r.Publication(ctx, pubID)
	if err != nil {
		return nil, false, err
	}
	ready := true
	var out []ChapterStatus
	for _, ch := range pub.Chapters {
		src, err := r.History(ctx, pub.ID, Chapters, ch, "en")
		if err != nil {
			return nil, false, err
		}
		enReviews, err := r.Reviews(ctx, pub.ID, ch, "en")
		if err != nil {
			return nil, false, err
		}
		enUsed := Choose(AcceptedElseLatest, src, enReviews)
		for _, lang := range pub.Languages {
			revs, reviews := src, enReviews
			if lang != "en" {
				if revs, err = r.History(ctx, pub.ID, Chapters, ch, lang); err != nil {
					return nil, false, err
				}
				if reviews, err = r.Reviews(ctx, pub.ID, ch, lang); err != nil {
					return nil, false, err
				}
			}
			st := ChapterStatus{Chapter: ch, Lang: lang, Revisions: len(revs), Accepted: NewestAccepted(revs, reviews)}
			if len(revs) == 0 {
				st.Translation = Missing
				st.Problem = "no revision"
				ready = false
				out = append(out, st)
				continue
			}
			latest := revs[len(revs)-1]
			st.Latest, st.Author, st.Submitted = latest.ID, latest.Author, latest.Time
			st.Review = LatestReview(reviews, latest.ID)
			switch {
			case lang == "en":
				st.Translation = Source
			case enUsed == nil:
				st.Translation = Stale
			default:
				st.Against = enUsed.ID
				st.Translation = translationState(Choose(AcceptedElseLatest, revs, reviews).TranslatedFrom, *enUsed)
			}
			if st.Accepted == "" {
				st.Problem = "no accepted revision"
				ready = false
			}
			out = append(out, st)
		}
	}
	return out, ready, nil
}

// Policy is which revision of a chapter a build takes.
type Policy int

// Policies.
const (
	// Accepted: the newest accepted revision (a release build); none
	// when no revision is accepted.
	Accepted Policy = iota
	// Latest: the latest revision (a preview).
	Latest
	// AcceptedElseLatest: the accepted one when there is one, else the
	// latest (status and the basis of translations judge by it).
	AcceptedElseLatest
)

// Choose is the revision policy p takes of revs (in submission order);
// nil when there is none. The store's builds and Status choose with it.
func Choose(p Policy, revs []Revision, reviews []Review) *Revision {
	if len(revs) == 0 {
		return nil
	}
	if p != Latest {
		if id := NewestAccepted(revs, reviews); id != "" {
			for k := range revs {
				if revs[k].ID == id {
					return &revs[k]
				}
			}
		}
		if p == Accepted {
			return nil
		}
	}
	return &revs[len(revs)-1]
}

// translationState compares what a translation says it was made from
// with the English revision the build uses: current when it names that
// revision (by id, unique prefix or file hash), stale otherwise.
func translationState(from string, en Revision) string {
	if from == en.ID || from == "sha256:"+en.SHA256 || (len(from) >= 20 && strings.HasPrefix(en.ID, from)) {
		return Current
	}
	return Stale
}

// TranslationBasis is the English revision of a chapter that a
// translation should be made from: the one the build takes (the accepted
// one when there is one, otherwise the latest), as Status judges
// translations. It is an error when the chapter has no English revision.
func (r *Repo) TranslationBasis(ctx context.Context, pub, chapter string) (Revision, error) {
	revs, err := r.History(ctx, pub, Chapters, chapter, "en")
	if err != nil {
		return Revision{}, err
	}
	reviews, err := r.Reviews(ctx, pub, chapter, "en")
	if err != nil {
		return Revision{}, err
	}
	rv := Choose(AcceptedElseLatest, revs, reviews)
	if rv == nil {
		return Revision{}, fmt.Errorf("%w: chapter %s of %s has no English revision to translate yet; it is written first (aceo new chapter %s %s --lang en)", store.ErrNotExist, chapter, pub, pub, chapter)
	}
	return *rv, nil
}
