package portal

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
)

// Languages are the interface languages, the first the default.
var Languages = []string{"en", "zh"}

// Labels are the interface's words, by key then language.
type Labels map[string]publication.Text

// LoadLabels reads portal/labels.yaml from the templates and checks that
// every key has every interface language.
func LoadLabels(fsys fs.FS) (Labels, error) {
	data, err := fs.ReadFile(fsys, "portal/labels.yaml")
	if err != nil {
		return nil, fmt.Errorf("portal labels: %w", err)
	}
	var l Labels
	if err := strictyaml.Decode("portal/labels.yaml", data, 1, &l); err != nil {
		return nil, err
	}
	var missing []string
	for k, t := range l {
		for _, lang := range Languages {
			if strings.TrimSpace(t[lang]) == "" {
				missing = append(missing, k+" ("+lang+")")
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("portal/labels.yaml: no text for %s; give every label in en and zh", strings.Join(missing, ", "))
	}
	return l, nil
}

// In returns the label key in lang, or an error naming the missing key,
// so that a template using an unknown label fails to render.
func (l Labels) In(lang, key string) (string, error) {
	t, ok := l[key]
	if !ok {
		return "", fmt.Errorf("portal/labels.yaml has no label %q", key)
	}
	return t[lang], nil
}
