package diag

import (
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	cases := []struct{ en, zh string }{
		{`unknown field "colums"`, `未知的字段 "colums"`},
		{`reference to missing label "tbl:x"`, `引用的标签 "tbl:x" 不存在`},
		// a value that is a message is translated in turn
		{`did you mean "columns"? Known fields are dataset, indicator`, `是否应为 "columns"？可用字段：dataset, indicator`},
		{`did you mean "forests"? put forest.xlsx or forest.csv there, or correct the name`, `是否应为 "forests"？请将 forest.xlsx 或 forest.csv 放在该处，或更正名称`},
		// values reordered by the translation
		{`duplicate observation of FOREST_COVER for KHM in 2010 (also at data!D7)`, `KHM 2010 年的 FOREST_COVER 数据重复（另见 data!D7）`},
		{`not valid UTF-8 (byte 0xff at column 7)`, `不是有效的 UTF-8（第 7 列的字节 0xff）`},
		// quoted values are the author's: kept, even when they look like messages
		{`unknown dataset "unknown field"`, `未知的数据集 "unknown field"`},
		// no known kind: as it is
		{`open x.md: permission denied`, `打开 x.md：permission denied`},
		{`permission denied`, `permission denied`},
		{``, ``},
	}
	for _, c := range cases {
		if got := Translate("zh", c.en); got != c.zh {
			t.Errorf("Translate(zh, %q) = %q, want %q", c.en, got, c.zh)
		}
		if got := Translate("en", c.en); got != c.en {
			t.Errorf("Translate(en) changed %q to %q", c.en, got)
		}
	}
	e := At("x.md", 3, `unknown field "colums"`, "known fields are a, b")
	z := e.In("zh")
	if z.Msg != `未知的字段 "colums"` || z.Hint != "可用字段：a, b" || e.Msg != `unknown field "colums"` || z.File != "x.md" || z.Line != 3 {
		t.Fatalf("In: %+v (original %+v)", z, e)
	}
	if err := Localize("zh", List{e}); !strings.Contains(err.Error(), "x.md:3: 未知的字段") {
		t.Fatalf("Localize: %v", err)
	}
}

// The translation of a message costs no more than a scan of the
// catalogue's patterns, however long the message.
func BenchmarkTranslate(b *testing.B) {
	msg := `did you mean "columns"? Known fields are ` + strings.Repeat("field, ", 50)
	for i := 0; i < b.N; i++ {
		Translate("zh", msg)
	}
}

// FuzzTranslate: any text, in any language asked, gives an answer and no
// panic; English is the text itself; a catalogue kind's message gives a
// translation without the English words of its format.
func FuzzTranslate(f *testing.F) {
	f.Add(`unknown field "colums"`, "zh")
	f.Add(`did you mean "x"? Known fields are a, b`, "zh")
	f.Add(`%s: %q %d`, "zh")
	f.Add("\x00\xff", "fr")
	f.Fuzz(func(t *testing.T, s, lang string) {
		got := Translate(lang, s)
		if lang == "en" && got != s {
			t.Fatalf("English changed: %q -> %q", s, got)
		}
		if _, ok := catalogues[lang]; !ok && got != s {
			t.Fatalf("a language without a catalogue changed %q to %q", s, got)
		}
	})
}
