package portal

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
)

type inviteView struct {
	Pub, PubTitle, TitleLang string
	Kind, Item, ItemLang     string
	Author                   string
	Expires, ExpiresISO      string
}

// outcome is the verdict on an uploaded file.
type outcome struct {
	Problems  []problemView
	Revision  string
	Duplicate bool
	Warnings  []string
}

type problemView struct{ Where, Msg, Hint string }

// problems turns a checker's error into lines an author can act on.
func (s *Server) problems(lang string, err error) []problemView {
	var l diag.List
	var d *diag.Error
	switch {
	case errors.As(err, &l):
	case errors.As(err, &d):
		l = diag.List{d}
	default:
		return []problemView{{Msg: err.Error()}}
	}
	var out []problemView
	for _, e := range l {
		where := s.where(lang, e.File, e.Line)
		if e.Cell != "" {
			where = e.File + " " + e.Cell
		}
		out = append(out, problemView{Where: where, Msg: diag.Translate(lang, e.Msg), Hint: diag.Translate(lang, e.Hint)})
	}
	return out
}

// where names a file and, when known, a line of it, in lang.
func (s *Server) where(lang, file string, line int) string {
	if line <= 0 {
		return file
	}
	return file + ", " + strings.ReplaceAll(s.label(lang, "upload.line"), "{n}", strconv.Itoa(line))
}

// megabytes writes a size limit: "2 MB", "0.5 MB".
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
}

// upload serves GET (the form) and POST (a file to check and store) of
// /{lang}/upload/{token}.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, lang string) {
	d := pageData{Lang: lang, Other: other(lang), Static: s.staticVersion, Title: s.label(lang, "upload.title"), Nav: "upload"}
	token := r.PathValue("token")
	d.Path = "/upload/" + token
	d.Action = "/" + lang + "/upload/" + token
	deny := func(status int, why string) {
		d.Denied = why
		s.page(w, r, status, "upload", d)
	}
	if s.cfg.Uploads == nil {
		deny(http.StatusNotFound, "upload.disabled")
		return
	}
	inv, err := VerifyInvite(s.cfg.InviteKey, token, s.cfg.Now())
	switch {
	case errors.Is(err, ErrInviteExpired):
		deny(http.StatusForbidden, "upload.expired")
		return
	case err != nil:
		deny(http.StatusForbidden, "upload.invalid")
		return
	}
	repo := s.cfg.Uploads.Repository()
	iv := &inviteView{Pub: inv.Pub, Kind: inv.Kind, Item: inv.Item, ItemLang: inv.Lang, Author: inv.Author,
		Expires: formatDate(inv.Expires, lang) + " " + inv.Expires.UTC().Format("15:04 UTC"), ExpiresISO: inv.Expires.UTC().Format(time.RFC3339)}
	iv.PubTitle, iv.TitleLang = inv.Pub, lang
	if p, err := repo.Publication(r.Context(), inv.Pub); err == nil {
		iv.PubTitle, iv.TitleLang = text(p.Title, lang)
	}
	d.Invite = iv
	d.GuideLink = s.cfg.Guide != nil
	switch inv.Kind {
	case InviteChapter:
		d.Accept, d.AcceptLabel = ".md,text/markdown", "upload.accept-chapter"
		// the editors' decisions on this author's drafts, newest first
		if rws, err := repo.Reviews(r.Context(), inv.Pub, inv.Item, inv.Lang); err == nil {
			for k := len(rws) - 1; k >= 0 && len(d.Reviews) < 20; k-- {
				rw := rws[k]
				d.Reviews = append(d.Reviews, reviewView{Rev: rw.Rev, Decision: "upload.decision-" + rw.Decision, Note: rw.Note, Editor: rw.Editor,
					Date: formatDate(rw.Time, lang), DateISO: rw.Time.UTC().Format(time.RFC3339)})
			}
		}
	case InviteDataset:
		d.Accept, d.AcceptLabel, d.Dict = ".xlsx,.csv", "upload.accept-dataset", true
	default:
		d.Accept, d.AcceptLabel = ".png,.jpg,.jpeg,image/png,image/jpeg", "upload.accept-figure"
	}
	if r.Method != http.MethodPost {
		s.page(w, r, http.StatusOK, "upload", d)
		return
	}
	select {
	case s.checks <- struct{}{}:
		defer func() { <-s.checks }()
	default:
		// every check slot is taken: come back, rather than queue
		w.Header().Set("Retry-After", "10")
		d.Outcome = &outcome{Problems: []problemView{{Msg: s.label(lang, "upload.busy")}}}
		s.page(w, r, http.StatusServiceUnavailable, "upload", d)
		return
	}
	out, status := s.receive(w, r, lang, inv)
	d.Outcome = out
	s.page(w, r, status, "upload", d)
}

// receive checks an uploaded file against the invitation and the checks
// of aceo validate, and stores it only if it passes.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, lang string, inv Invite) (*outcome, int) {
	fail := func(status int, ps ...problemView) (*outcome, int) { return &outcome{Problems: ps}, status }
	// the limit of the kind invited, applied while the body is read: a
	// chapter draft may not make the server read 32 MiB first
	limit := s.cfg.MaxUpload
	switch inv.Kind {
	case InviteChapter:
		limit = min(limit, drafts.MaxDraftSize)
	case InviteFigure:
		limit = min(limit, drafts.MaxFigureSize)
	case InviteDataset:
		limit = min(limit, drafts.MaxDatasetSize)
	}
	files := int64(1)
	if inv.Kind == InviteDataset {
		files = 2 // a CSV and its dictionary
	}
	r.Body = http.MaxBytesReader(w, r.Body, files*limit+64<<10)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(http.StatusRequestEntityTooLarge, problemView{Msg: fmt.Sprintf("%s %s", s.label(lang, "upload.toolarge"), megabytes(limit))})
		}
		return fail(http.StatusBadRequest, problemView{Msg: s.label(lang, "upload.nofile")})
	}
	defer r.MultipartForm.RemoveAll()
	read := func(field string) (string, []byte, *problemView) {
		f, hdr, err := r.FormFile(field)
		if err != nil {
			return "", nil, nil
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return "", nil, &problemView{Msg: s.label(lang, "upload.nofile")}
		}
		name := path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
		if int64(len(data)) > limit {
			return name, nil, &problemView{Where: name, Msg: fmt.Sprintf("%s %s", s.label(lang, "upload.toolarge"), megabytes(limit))}
		}
		return name, data, nil
	}
	name, data, p := read("file")
	if p != nil {
		return fail(http.StatusRequestEntityTooLarge, *p)
	}
	if name == "" || len(data) == 0 {
		return fail(http.StatusUnprocessableEntity, problemView{Msg: s.label(lang, "upload.nofile")})
	}
	var dict []byte
	if inv.Kind == InviteDataset {
		if _, dict, p = read("dict"); p != nil {
			return fail(http.StatusRequestEntityTooLarge, *p)
		}
	}
	kind := map[string]string{InviteChapter: drafts.Chapters, InviteFigure: drafts.Figures, InviteDataset: drafts.Datasets}[inv.Kind]
	res, warnings, err := s.cfg.Uploads.Submit(r.Context(), drafts.Submission{Pub: inv.Pub, Kind: kind, Item: inv.Item, Lang: inv.Lang, Author: inv.Author, File: name, Data: data, Dict: dict})
	var se *drafts.ScopeError
	var d *diag.Error
	var l diag.List
	switch {
	case errors.As(err, &se):
		return fail(http.StatusUnprocessableEntity, problemView{Where: s.where(lang, name, se.Line), Msg: s.label(lang, "upload.scope") + ": " + diag.Translate(lang, se.Msg), Hint: diag.Translate(lang, se.Hint)})
	case errors.As(err, &d), errors.As(err, &l):
		return fail(http.StatusUnprocessableEntity, s.problems(lang, err)...)
	case err != nil:
		log.Printf("upload %s/%s %s: %v", inv.Pub, inv.Item, name, err)
		return fail(http.StatusServiceUnavailable, problemView{Where: name, Msg: s.label(lang, "upload.storefail")})
	}
	o := &outcome{Revision: res.ID, Duplicate: res.Duplicate}
	for _, w := range warnings {
		o.Warnings = append(o.Warnings, w.In(lang).Error())
	}
	return o, http.StatusOK
}
