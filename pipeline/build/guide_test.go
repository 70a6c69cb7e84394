package build

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// guideExample is one Markdown example of an authors' guide: a whole
// draft (it starts with front matter) or a block to add to a chapter; a
// broken one comes with the message the check must give.
type guideExample struct {
	line   int
	text   string
	broken bool
	want   string // broken: the text block that follows
}

var fenceRE = regexp.MustCompile("^(`{3,})\\s*([A-Za-z]*)\\s*(\\w*)\\s*$")

// guideExamples extracts the examples of a guide: fenced blocks of
// "markdown" (or "markdown broken", then a "text" block with the message).
func guideExamples(t *testing.T, file string) []guideExample {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []guideExample
	for i := 0; i < len(lines); i++ {
		m := fenceRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		fence, info, flag := m[1], m[2], m[3]
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != fence; i++ {
			body = append(body, lines[i])
		}
		text := strings.Join(body, "\n") + "\n"
		switch info {
		case "markdown":
			out = append(out, guideExample{line: start + 1, text: text, broken: flag == "broken"})
		case "text":
			if n := len(out); n > 0 && out[n-1].broken && out[n-1].want == "" {
				out[n-1].want = strings.TrimSpace(text)
			}
		}
	}
	return out
}

// TestAuthorsGuides: every example of docs/authoring.md and
// docs/authoring.zh.md is checked as aceo validate checks a draft, in the
// sample publication: a whole draft in place of its chapter, a block at
// the end of the freshwater chapter in the guide's language. Good
// examples validate; each broken one gives the message shown under it.
func TestAuthorsGuides(t *testing.T) {
	for _, g := range []struct{ file, lang string }{{"../../docs/authoring.md", "en"}, {"../../docs/authoring.zh.md", "zh"}} {
		examples := guideExamples(t, g.file)
		if len(examples) < 15 {
			t.Fatalf("%s: only %d examples", g.file, len(examples))
		}
		dir := sampleCopy(t)
		host := filepath.Join(dir, g.lang, "03-freshwater.md")
		base, err := os.ReadFile(host)
		if err != nil {
			t.Fatal(err)
		}
		broken := 0
		for _, ex := range examples {
			file, data := host, append(append([]byte(nil), base...), "\n"+ex.text...)
			if strings.HasPrefix(ex.text, "---\n") {
				file, data = filepath.Join(dir, g.lang, "guide-example.md"), []byte(ex.text)
			}
			v, err := CheckChapter(context.Background(), Request{Dir: dir, Options: testOptions()}, file, data)
			if err != nil {
				t.Fatalf("%s:%d: %v", g.file, ex.line, err)
			}
			if !ex.broken {
				if !v.OK() {
					t.Errorf("%s:%d: the example does not validate: %v", g.file, ex.line, v.Err())
				}
				continue
			}
			broken++
			if ex.want == "" {
				t.Errorf("%s:%d: a broken example without its message", g.file, ex.line)
				continue
			}
			found := false
			// the Chinese guide shows the messages as --lang zh gives them
			for _, p := range v.In(g.lang).Errors {
				if strings.Contains(p.Message+"; "+p.Hint, ex.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s:%d: the broken example does not give %q: %v", g.file, ex.line, ex.want, v.Err())
			}
		}
		if broken < 6 {
			t.Errorf("%s: %d broken examples; the common errors are missing", g.file, broken)
		}
	}
}
