package build

import (
	"github.com/aceo-project/aceo/pipeline/appendix"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// appendices builds the generated appendices the publication lists, in
// lang (see package appendix).
func (s *Sources) appendices(t *typeset.Template, lang string) ([]*ms.Chapter, error) {
	return appendix.Chapters(appendix.Input{Pub: s.Pub, Register: s.Register, Records: s.Records, Label: t.Label}, lang)
}
