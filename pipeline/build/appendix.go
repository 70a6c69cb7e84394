package build

import (
	"io/fs"

	"github.com/aceo-project/aceo/pipeline/appendix"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

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
