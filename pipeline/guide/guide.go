// Package guide renders the authors' guides (docs/authoring.md and its
// Chinese version) as HTML for the web catalogue, so that the portal
// itself needs no Markdown renderer.
package guide

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/aceo-project/aceo/docs"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// HTML renders the guide in every language: a fragment for the page's
// main element, by language. Raw HTML in the Markdown is not passed
// through (goldmark's default), so the fragment is safe to embed.
func HTML() (map[string]template.HTML, error) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	out := map[string]template.HTML{}
	for _, lang := range []string{"en", "zh"} {
		src, err := docs.Guide(lang)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := md.Convert(src, &b); err != nil {
			return nil, fmt.Errorf("authors' guide (%s): %w", lang, err)
		}
		// the guides link to each other by file name: on the site, by page
		html := bytes.ReplaceAll(b.Bytes(), []byte(`href="authoring.zh.md"`), []byte(`href="/zh/guide/"`))
		html = bytes.ReplaceAll(html, []byte(`href="authoring.md"`), []byte(`href="/en/guide/"`))
		out[lang] = template.HTML(html)
	}
	return out, nil
}
