// Package buildtest makes release builds for tests and demonstrations:
// the sample package fills a store as authors and editors would, and
// Release builds and publishes a publication of it. It is apart from
// sample so that filling a store links no typesetter.
package buildtest

import (
	"context"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// Release makes a release build of pub (stored) and publishes it as name.
func Release(ctx context.Context, r *drafts.Repo, pub, name, by string) (*release.Release, error) {
	return ReleaseLabelled(ctx, r, pub, name, nil, by)
}

// ReleaseLabelled is Release with a name for readers in each language.
func ReleaseLabelled(ctx context.Context, r *drafts.Repo, pub, name string, label publication.Text, by string) (*release.Release, error) {
	res, err := build.Run(ctx, build.Request{Repo: r, Pub: pub, Keep: true,
		Options: build.Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())}})
	if err != nil {
		return nil, err
	}
	return release.Publish(ctx, r, pub, res.ID, name, label, by)
}
