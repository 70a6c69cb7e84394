package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/aceo-project/aceo/pipeline/reading"
	"path"
	"strings"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/manifest"
)

func pinOf(in manifest.Input) string { return in.Kind + "/" + in.Item + "/" + in.Lang }

// FromStore assembles a publication from the store: for a release build
// the accepted revision of every chapter in every language, for a
// preview the latest; figures and datasets in their latest revision, and
// every batch of activity records. It returns the sources and the
// revisions used (also in Sources.Inputs).
func FromStore(ctx context.Context, r *drafts.Repo, pubID string, preview bool, opt Options) (*Sources, []manifest.Input, error) {
	// the definition and the listing of every revision, side by side: on a
	// remote store each is a round trip
	type listing struct {
		all map[string][]drafts.Revision
		err error
	}
	lc := make(chan listing, 1)
	go func() {
		all, err := r.AllRevisions(ctx, pubID)
		lc <- listing{all, err}
	}()
	pub, rv, err := r.PublicationSource(ctx, pubID)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := NewConfig(pub, opt)
	if err != nil {
		return nil, nil, err
	}
	// the fonts are parsed while the listing runs on the server
	go cfg.preloadFonts()
	l := <-lc
	if l.err != nil {
		return nil, nil, l.err
	}
	policy := drafts.Accepted
	if preview {
		policy = drafts.Latest
	}
	pubIn := manifest.Input{Kind: manifest.InPublication, Item: pub.ID, Key: rv.Key, Rev: rv.ID, SHA256: rv.SHA256}
	src, err := assemble(ctx, pub, pubIn, &storeResolver{r: r, pub: pub, pubIn: pubIn, policy: policy, all: l.all, cache: opt.Revisions}, cfg, opt)
	if err != nil {
		return nil, nil, err
	}
	return src, src.Inputs, nil
}

// FromInputs assembles a publication from exactly the stored revisions
// listed (a build's manifest), whatever was submitted or accepted since.
func FromInputs(ctx context.Context, r *drafts.Repo, inputs []manifest.Input, opt Options) (*Sources, error) {
	pins := map[string]manifest.Input{}
	var pubIn *manifest.Input
	for i, in := range inputs {
		pins[pinOf(in)] = in
		if in.Kind == manifest.InPublication {
			pubIn = &inputs[i]
		}
	}
	if pubIn == nil {
		return nil, fmt.Errorf("the inputs name no publication definition")
	}
	pub, err := r.PublicationAt(ctx, pubIn.Key, pubIn.SHA256)
	if err != nil {
		return nil, err
	}
	cfg, err := NewConfig(pub, opt)
	if err != nil {
		return nil, err
	}
	go cfg.preloadFonts()
	return assemble(ctx, pub, *pubIn, &storeResolver{r: r, pub: pub, pubIn: *pubIn, pins: pins, cache: opt.Revisions}, cfg, opt)
}

// readRevision reads a revision from the builder's revision cache, or
// from the store (and keeps it in the cache).
func readRevision(ctx context.Context, r *drafts.Repo, c *RevisionCache, rv drafts.Revision) ([]byte, error) {
	// the name of a revision is the hash of its content: the cache is
	// keyed by it, and Get checks the bytes against it
	name := strings.TrimSuffix(path.Base(rv.Key), path.Ext(rv.Key))
	if data := c.Get(name); data != nil {
		return data, nil
	}
	data, err := r.Read(ctx, rv) // checked against its name
	if err == nil {
		c.Put(name, data)
	}
	return data, err
}

// pinsOf lists the pinned inputs of one kind, by key.
func pinsOf(pins map[string]manifest.Input, kind string) []manifest.Input {
	var out []manifest.Input
	for _, in := range pins {
		if in.Kind == kind {
			out = append(out, in)
		}
	}
	manifest.SortInputs(out)
	return out
}

// OutputFiles lists a build's files: a PDF per edition, the summaries for
// policymakers, the data annex when there is one, then each edition's
// contents file.
func OutputFiles(src *Sources, outs []Output, annex []byte) []manifest.File {
	var files []manifest.File
	for _, o := range outs {
		files = append(files, manifest.File{Name: FileName(src.Pub, o.Lang), Lang: o.Lang, Pages: o.Pages, ContentType: "application/pdf", Data: o.PDF})
	}
	for _, o := range outs {
		if o.Summary != nil {
			files = append(files, manifest.File{Name: SummaryName(src.Pub, o.Lang), Lang: o.Lang, Pages: o.SummaryPages, ContentType: "application/pdf", Data: o.Summary})
		}
	}
	if annex != nil {
		files = append(files, manifest.File{Name: AnnexName(src.Pub.ID), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: annex})
	}
	for _, o := range outs {
		if o.Contents != nil {
			files = append(files, manifest.File{Name: reading.Name(src.Pub.ID, o.Lang), Lang: o.Lang, ContentType: "application/json", Data: o.Contents})
		}
	}
	return files
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
