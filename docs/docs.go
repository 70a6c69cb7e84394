// Package docs holds the authors' guides, built into aceo so that
// aceo guide prints them and aceo serve shows them beside the upload page.
package docs

import (
	"embed"
	"fmt"
)

//go:embed authoring.md authoring.zh.md
var fs embed.FS

// Guide is the authors' guide in lang (en or zh), as Markdown.
func Guide(lang string) ([]byte, error) {
	name := map[string]string{"en": "authoring.md", "zh": "authoring.zh.md"}[lang]
	if name == "" {
		return nil, fmt.Errorf("the authors' guide is in en and zh, not %q", lang)
	}
	return fs.ReadFile(name)
}
