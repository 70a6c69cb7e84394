package manuscript

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
)

// FrontMatter is the YAML header of a chapter draft.
type FrontMatter struct {
	Publication string   `yaml:"publication"`
	Chapter     string   `yaml:"chapter"`
	Lang        string   `yaml:"lang"`
	Title       string   `yaml:"title"`
	Authors     []string `yaml:"authors"`
	// TranslatedFrom names the source draft a translation was made from:
	// its revision id or "sha256:" and the hex SHA-256 of the source file.
	TranslatedFrom string `yaml:"translated_from"`
}

// SourceLang is the language chapters are written in; other languages are
// translations and must say what they were translated from.
const SourceLang = "en"

var (
	sha256Ref   = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	revisionRef = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8,64}$`)
	idRE        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

// splitFrontMatter separates the front matter from the body. It returns the
// YAML text, the body with the front matter lines blanked (so that byte
// offsets in the body still give the right line numbers) and the line the
// YAML starts on.
func splitFrontMatter(file string, src []byte) (yaml, body []byte, err error) {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return nil, nil, diag.At(file, 1, "no front matter",
			"start the draft with a line '---', then publication, chapter, lang, title and authors, then a line '---'")
	}
	rest := src[4:]
	line := 2
	for off := 0; off < len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
			end = len(rest) - off
		} else {
			l = rest[off : off+end]
		}
		if t := bytes.TrimRight(l, " \t"); string(t) == "---" || string(t) == "..." {
			yaml = rest[:off]
			body = make([]byte, len(src))
			cut := 4 + off + end
			for i := 0; i < cut && i < len(src); i++ {
				if src[i] == '\n' {
					body[i] = '\n'
				} else {
					body[i] = ' '
				}
			}
			copy(body[cut:], src[cut:])
			return yaml, body, nil
		}
		off += end + 1
		line++
	}
	return nil, nil, diag.At(file, 1, "front matter is not closed",
		"end the front matter with a line '---' before the chapter text")
}

func parseFrontMatter(file string, yaml []byte) (FrontMatter, error) {
	var fm FrontMatter
	var errs diag.List
	if err := strictyaml.Decode(file, yaml, 2, &fm); err != nil {
		// fields that decoded are still checked below; those that did
		// not are not reported again as missing
		errs.Merge(err)
		if len(fm.Authors) == 0 && fm.Publication == "" && fm.Chapter == "" && fm.Lang == "" && fm.Title == "" {
			return fm, errs
		}
	}
	line := func(key string) int { return fieldLine(yaml, key) }
	req := func(key, val, hint string) {
		if val == "" {
			errs.Add(diag.At(file, 1, fmt.Sprintf("front matter has no %s", key), hint))
		}
	}
	req("publication", fm.Publication, "add 'publication: <id>' naming the publication this chapter belongs to")
	req("chapter", fm.Chapter, "add 'chapter: <id>' with the chapter id listed in publication.yaml")
	req("lang", fm.Lang, "add 'lang: en' or 'lang: zh'")
	req("title", fm.Title, "add 'title: ...' with the chapter title")
	if fm.Chapter != "" && !idRE.MatchString(fm.Chapter) {
		errs.Add(diag.At(file, line("chapter"), fmt.Sprintf("chapter id %q is not valid", fm.Chapter),
			"use lower-case letters, digits and hyphens"))
	}
	if fm.Lang != "" && fm.Lang != "en" && fm.Lang != "zh" {
		hint := "use en or zh"
		switch strings.ToLower(fm.Lang) {
		case "english", "eng", "en-us", "en-gb", "英文", "英语":
			hint = "write lang: en"
		case "chinese", "zho", "chi", "zh-cn", "zh-hans", "cn", "中文", "汉语":
			hint = "write lang: zh"
		}
		errs.Add(diag.At(file, line("lang"), fmt.Sprintf("language %q is not supported", fm.Lang), hint))
	}
	if len(fm.Authors) == 0 {
		errs.Add(diag.At(file, 1, "front matter lists no authors", "add 'authors:' with one '- Name (Affiliation, Country)' line per author"))
	}
	if fm.Lang == "zh" { // a translation (a language not supported was reported above)
		switch {
		case fm.TranslatedFrom == "":
			errs.Add(diag.At(file, 1, "translation does not say what it was translated from",
				"add 'translated_from: sha256:<hash of the English draft>' or the English revision id"))
		case !sha256Ref.MatchString(fm.TranslatedFrom) && !revisionRef.MatchString(fm.TranslatedFrom):
			errs.Add(diag.At(file, line("translated_from"), fmt.Sprintf("translated_from %q is neither a revision id nor a file hash", fm.TranslatedFrom),
				"write sha256: and the 64 hex digits of the source file's SHA-256, or a revision id such as 20261128T101500Z-3f2a9c1b"))
		}
	}
	return fm, errs.Err()
}

// fieldLine is the line in the draft of the top-level key of the front
// matter yaml (which starts on the draft's second line), or 1 when the key
// is not there. Every front-matter line in a message comes from here.
func fieldLine(yaml []byte, key string) int {
	for i, l := range bytes.Split(yaml, []byte("\n")) {
		if bytes.HasPrefix(l, []byte(key+":")) {
			return i + 2
		}
	}
	return 1
}

// checkUTF8 reports the first invalid UTF-8 sequence with its line.
func checkUTF8(file string, src []byte) error {
	if utf8.Valid(src) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return diag.At(file, line, fmt.Sprintf("not valid UTF-8 (byte 0x%02x at column %d)", src[i], col),
				"save the draft as UTF-8 in your editor")
		}
		if r == '\n' {
			line++
			col = 0
		}
		col++
		i += n
	}
	return nil
}

// FrontLine finds the line of a top-level front-matter field of a draft,
// for messages (1 when the field is not there), as the parser does.
func FrontLine(data []byte, field string) int {
	src := bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
	yml, _, err := splitFrontMatter("", src)
	if err != nil {
		// no closing line: the front matter runs to the end of the draft
		yml = bytes.TrimPrefix(src, []byte("---\n"))
	}
	return fieldLine(yml, field)
}

// FrontLine is the line of a top-level front-matter field of the draft
// (1 when it is not there).
func (c *Chapter) FrontLine(field string) int { return FrontLine(c.Source, field) }

var claimRE = regexp.MustCompile(`(?m)^(chapter|lang):[ \t]*["']?([a-z0-9-]+)["']?[ \t]*$`)

// Claims reads, as well as it can, the chapter id and language a draft's
// front matter names, even when the draft cannot be parsed: a build then
// knows which chapter an unreadable draft stands for.
func Claims(src []byte) (chapter, lang string) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return "", ""
	}
	end := bytes.Index(src[4:], []byte("\n---"))
	if end < 0 {
		end = len(src) - 4
	}
	for _, m := range claimRE.FindAllSubmatch(src[4:4+end], -1) {
		switch string(m[1]) {
		case "chapter":
			chapter = string(m[2])
		case "lang":
			lang = string(m[2])
		}
	}
	return chapter, lang
}
