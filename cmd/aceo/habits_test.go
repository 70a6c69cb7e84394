package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/rivo/uniseg"
)

// pushPolicyStudy stores the policy study and submits its drafts in both
// languages to a new local store, and returns the store's URL.
func pushPolicyStudy(t *testing.T) string {
	t.Helper()
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, s, dir)
	for _, lang := range []string{"en", "zh"} {
		files, _ := filepath.Glob(dir + "/" + lang + "/*.md")
		must(t)(aceo(t, s, append([]string{"submit", "chapter"}, files...)...))
	}
	return s
}

func TestVersion(t *testing.T) {
	out := must(t)(aceo(t, "", "--version"))
	if !strings.HasPrefix(out, "aceo version ") || !strings.Contains(out, "go1.") {
		t.Fatalf("--version: %q", out)
	}
	// the VCS revision when the binary was built from a checkout
	if rev := versionText(manifest.Tool{Version: "v1.2.3", Revision: "0123456789abcdef", Modified: true, GoVersion: "go1.x"}); rev != "v1.2.3, revision 0123456789abcdef+modified, go1.x" {
		t.Fatalf("versionText: %q", rev)
	}
}

// TestDidYouMeanCommand: a mistyped command, at the top or below, names
// the nearest one and fails.
func TestDidYouMeanCommand(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"biuld"}, `aceo has no command "biuld"; did you mean "build"?`},
		{[]string{"builds", "lst"}, `aceo builds has no command "lst"; did you mean "list"?`},
		{[]string{"publication", "lisst"}, `did you mean "list"?`},
		{[]string{"review", "acept"}, `did you mean "accept"?`},
		{[]string{"zzzzzz"}, `aceo has no command "zzzzzz"; aceo --help lists the commands`},
	}
	for _, c := range cases {
		_, err := aceo(t, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
	// a command that only groups others, with no argument, shows its help
	if out := must(t)(aceo(t, "", "builds")); !strings.Contains(out, "list") || !strings.Contains(out, "show") {
		t.Errorf("aceo builds: %q", out)
	}
}

// TestCompletion: the bash script, sourced in a real bash, completes
// commands and subcommands by asking aceo; zsh and fish scripts name
// aceo's commands.
func TestCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed for this test")
	}
	bin := t.TempDir()
	self, _ := os.Executable()
	wrapper := "#!/bin/sh\nACEO_TEST_MAIN=1 exec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "aceo"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	script := must(t)(aceo(t, "", "completion", "bash"))
	complete := func(words ...string) []string {
		t.Helper()
		prog := script + "\nCOMP_WORDS=('" + strings.Join(words, "' '") + "')\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
			"\n_aceo_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command(bash, "--norc", "-c", prog)
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	if got := complete("aceo", "bui"); strings.Join(got, " ") != "build builds" {
		t.Errorf("aceo bui<Tab>: %q", got)
	}
	if got := complete("aceo", "builds", "s"); strings.Join(got, " ") != "show" {
		t.Errorf("aceo builds s<Tab>: %q", got)
	}
	if got := complete("aceo", "new", ""); !strings.Contains(strings.Join(got, " "), "chapter") {
		t.Errorf("aceo new <Tab>: %q", got)
	}
	for _, shell := range []string{"zsh", "fish"} {
		out := must(t)(aceo(t, "", "completion", shell))
		if !strings.Contains(out, "aceo") || !strings.Contains(out, "validate") && shell == "fish" || shell == "zsh" && !strings.Contains(out, "compdef _aceo aceo") {
			t.Errorf("completion %s:\n%s", shell, out)
		}
	}
	if _, err := aceo(t, "", "completion", "powershell"); err == nil || !strings.Contains(err.Error(), "no command") {
		t.Errorf("completion powershell: %v", err)
	}
}

// TestJSONOutputs: submit, history, builds list and publication list
// print JSON that parses and says what the text says.
func TestJSONOutputs(t *testing.T) {
	s := pushPolicyStudy(t)
	var pubs []struct {
		ID        string
		Chapters  []string
		Languages []string
	}
	if err := json.Unmarshal([]byte(must(t)(aceo(t, s, "publication", "list", "--json"))), &pubs); err != nil || len(pubs) != 1 || pubs[0].ID != "policy-study-sample" || len(pubs[0].Chapters) != 3 {
		t.Fatalf("publication list --json: %+v %v", pubs, err)
	}
	file := "../../chapters/policy-study-sample/en/introduction.md"
	var subs []struct {
		File      string
		Stored    bool
		Revisions []struct {
			Revision  string
			Duplicate bool
		}
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal([]byte(must(t)(aceo(t, s, "submit", "chapter", "--json", file))), &subs); err != nil || len(subs) != 1 || !subs[0].Stored || len(subs[0].Revisions) != 1 || !subs[0].Revisions[0].Duplicate {
		t.Fatalf("submit --json of a stored draft: %+v %v", subs, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.md")
	data, _ := os.ReadFile(file)
	os.WriteFile(bad, append(data, "\nSee @tbl:nowhere.\n"...), 0o644)
	var stdout, stderr bytes.Buffer
	err := run([]string{"aceo", "--store", s, "submit", "chapter", "--json", bad}, &stdout, &stderr)
	if err == nil {
		t.Fatal("a broken draft was stored")
	}
	subs = nil
	if err := json.Unmarshal(stdout.Bytes(), &subs); err != nil || len(subs) != 1 || subs[0].Stored || len(subs[0].Errors) == 0 || !strings.Contains(subs[0].Errors[0].Message, "tbl:nowhere") {
		t.Fatalf("submit --json of a broken draft: %+v %v\n%s", subs, err, stdout.String())
	}
	var hist []struct {
		Revision string
		File     string
		Author   string
	}
	if err := json.Unmarshal([]byte(must(t)(aceo(t, s, "history", "--json", "policy-study-sample", "introduction"))), &hist); err != nil || len(hist) != 1 || hist[0].File != "introduction.md" || hist[0].Revision == "" {
		t.Fatalf("history --json: %+v %v", hist, err)
	}
	must(t)(aceo(t, s, "build", "--preview", "--out", t.TempDir(), "policy-study-sample"))
	var builds []struct {
		Build   string
		Mode    string
		Outputs []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(must(t)(aceo(t, s, "builds", "list", "--json", "policy-study-sample"))), &builds); err != nil || len(builds) != 1 || builds[0].Mode != "preview" || len(builds[0].Outputs) == 0 {
		t.Fatalf("builds list --json: %+v %v", builds, err)
	}
}

// TestBuildIDPrefix: builds show and publish take a unique prefix of a
// build id or of its hash; an ambiguous or unknown one is an error that
// says so.
func TestBuildIDPrefix(t *testing.T) {
	s := pushPolicyStudy(t)
	must(t)(aceo(t, s, "build", "--preview", "--out", t.TempDir(), "policy-study-sample"))
	// a second build with another input: a new draft
	file := "../../chapters/policy-study-sample/en/introduction.md"
	data, _ := os.ReadFile(file)
	changed := filepath.Join(t.TempDir(), "introduction.md")
	os.WriteFile(changed, append(data, "\nOne more sentence.\n"...), 0o644)
	must(t)(aceo(t, s, "submit", "chapter", changed))
	must(t)(aceo(t, s, "build", "--preview", "--out", t.TempDir(), "policy-study-sample"))
	var builds []struct{ Build string }
	json.Unmarshal([]byte(must(t)(aceo(t, s, "builds", "list", "--json", "policy-study-sample"))), &builds)
	if len(builds) != 2 {
		t.Fatalf("%d builds", len(builds))
	}
	id := builds[1].Build
	_, hash, _ := strings.Cut(id, "-")
	for _, prefix := range []string{id, id[:len(id)-4], hash[:7]} {
		if out := must(t)(aceo(t, s, "builds", "show", prefix)); !strings.Contains(out, "build "+id+" ") {
			t.Errorf("builds show %s: %s", prefix, out)
		}
	}
	// both builds begin with the same century
	if _, err := aceo(t, s, "builds", "show", "20"); err == nil || !strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), builds[0].Build) {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if _, err := aceo(t, s, "builds", "show", "ffffffffffff"); err == nil || !strings.Contains(err.Error(), "no build ffffffffffff") {
		t.Errorf("unknown build: %v", err)
	}
	// publish takes a prefix too (and refuses a preview build by its full id)
	if _, err := aceo(t, s, "publish", "policy-study-sample", hash[:8], "--release", "x"); err == nil || !strings.Contains(err.Error(), "build "+id+" is a preview build") {
		t.Errorf("publish by prefix: %v", err)
	}
}

// TestTableDisplayWidth: a Chinese character takes two columns, so the
// columns after Chinese text still line up on screen.
func TestTableDisplayWidth(t *testing.T) {
	tb := newTable("NAME", "AUTHOR", "STATE")
	tb.row("freshwater", "王军", "current")
	tb.row("air", "Chea Sophal", "stale")
	tb.row("森林与生物多样性", "-", "missing")
	var b bytes.Buffer
	tb.print(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	col := -1
	for _, l := range lines {
		// the display column where the last field starts
		last := strings.LastIndex(l, "  ") + 2
		c := uniseg.StringWidth(l[:last])
		if col >= 0 && c != col {
			t.Fatalf("columns out of line at %q:\n%s", l, b.String())
		}
		col = c
		if strings.HasSuffix(l, " ") {
			t.Fatalf("trailing space in %q", l)
		}
	}
}

// TestReviewNotesShown: history and status show the editor's decision
// and note.
func TestReviewNotesShown(t *testing.T) {
	s := pushPolicyStudy(t)
	must(t)(aceo(t, s, "review", "reject", "--lang", "zh", "--editor", "李编辑", "--note", "表 2 的数字与英文版不一致", "policy-study-sample", "schemes", "latest"))
	for _, args := range [][]string{{"history", "--lang", "zh", "policy-study-sample", "schemes"}, {"status", "policy-study-sample"}} {
		out, _ := aceo(t, s, args...)
		if !strings.Contains(out, "rejected by 李编辑: 表 2 的数字与英文版不一致") {
			t.Errorf("%v does not show the note:\n%s", args, out)
		}
	}
	var st struct {
		Chapters []struct {
			Chapter, Lang string
			Review        *struct{ Decision, Note string }
		}
	}
	out, _ := aceo(t, s, "status", "--json", "policy-study-sample")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range st.Chapters {
		if c.Chapter == "schemes" && c.Lang == "zh" {
			found = c.Review != nil && c.Review.Decision == "reject" && strings.Contains(c.Review.Note, "表 2")
		}
	}
	if !found {
		t.Fatalf("status --json lacks the review:\n%s", out)
	}
}

// TestNewChapter: aceo new chapter writes a draft that validates, in a
// publication directory and from the store; a translation names the
// English draft the build takes; nothing is overwritten.
func TestNewChapter(t *testing.T) {
	dir := copySample(t, t.TempDir())
	for _, lang := range []string{"en", "zh"} {
		os.Remove(filepath.Join(dir, lang, "03-freshwater.md"))
	}
	// a translation needs its English draft first
	if _, err := aceo(t, "", "new", "chapter", "--dir", dir, "--lang", "zh", "aceo-sample", "freshwater"); err == nil || !strings.Contains(err.Error(), "no English draft") {
		t.Fatalf("zh before en: %v", err)
	}
	for _, lang := range []string{"en", "zh"} {
		must(t)(aceo(t, "", "new", "chapter", "--dir", dir, "--lang", lang, "aceo-sample", "freshwater"))
		file := filepath.Join(dir, lang, "03-freshwater.md")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"chapter: freshwater", "lang: " + lang, "```aceo-table", "```aceo-chart", "![", "Table: ", "[^freshwater-note]", "{#sec:freshwater-first}", "<!--"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s draft lacks %q", lang, want)
			}
		}
		if _, err := aceo(t, "", "validate", file); err != nil {
			t.Errorf("the %s starting draft does not validate: %v\n%s", lang, err, data)
		}
		if _, err := aceo(t, "", "new", "chapter", "--dir", dir, "--lang", lang, "aceo-sample", "freshwater"); err == nil || !strings.Contains(err.Error(), "already has a "+lang+" draft") {
			t.Errorf("a second new chapter: %v", err)
		}
	}
	en, _ := os.ReadFile(filepath.Join(dir, "en", "03-freshwater.md"))
	zh, _ := os.ReadFile(filepath.Join(dir, "zh", "03-freshwater.md"))
	if want := "translated_from: sha256:" + manifest.SHA256(en); !strings.Contains(string(zh), want) {
		t.Errorf("the zh draft does not name the English draft (%s):\n%s", want, zh)
	}
	if _, err := aceo(t, "", "new", "chapter", "--dir", dir, "aceo-sample", "freshwatr"); err == nil || !strings.Contains(err.Error(), `did you mean "freshwater"`) {
		t.Errorf("mistyped chapter: %v", err)
	}

	// from the store: the translation starts from the accepted English
	// revision, not from a newer one still under review
	s := pushPolicyStudy(t)
	must(t)(aceo(t, s, "review", "accept", "policy-study-sample", "schemes", "latest"))
	var hist []struct{ Revision string }
	json.Unmarshal([]byte(must(t)(aceo(t, s, "history", "--json", "policy-study-sample", "schemes"))), &hist)
	data, _ := os.ReadFile("../../chapters/policy-study-sample/en/schemes.md")
	newer := filepath.Join(t.TempDir(), "schemes.md")
	os.WriteFile(newer, append(data, "\nA sentence under review.\n"...), 0o644)
	must(t)(aceo(t, s, "submit", "chapter", newer))
	out := filepath.Join(t.TempDir(), "schemes.zh.md")
	must(t)(aceo(t, s, "new", "chapter", "--lang", "zh", "-o", out, "policy-study-sample", "schemes"))
	got, _ := os.ReadFile(out)
	if len(hist) != 1 || !strings.Contains(string(got), "translated_from: "+hist[0].Revision+"\n") {
		t.Fatalf("the store draft does not name the accepted revision %+v:\n%s", hist, got)
	}
	if _, err := aceo(t, s, "validate", out); err != nil {
		t.Errorf("the store starting draft does not validate: %v", err)
	}
	if _, err := aceo(t, s, "new", "chapter", "--lang", "zh", "-o", out, "policy-study-sample", "schemes"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrote %s: %v", out, err)
	}
}

// TestBuildChapterPreview: aceo build --preview --chapter writes the
// chapter's PDFs alone, no manifest, and stores nothing.
func TestBuildChapterPreview(t *testing.T) {
	s := pushPolicyStudy(t)
	out := t.TempDir()
	must(t)(aceo(t, s, "build", "--preview", "--chapter", "schemes", "--lang", "zh", "--out", out, "policy-study-sample"))
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(files) != 1 || filepath.Base(files[0]) != "policy-study-sample-schemes-zh.pdf" {
		t.Fatalf("wrote %v", files)
	}
	if list := must(t)(aceo(t, s, "builds", "list", "policy-study-sample")); !strings.Contains(list, "no builds") {
		t.Fatalf("a chapter preview was stored: %s", list)
	}
	if _, err := aceo(t, s, "build", "--chapter", "schemes", "--out", out, "policy-study-sample"); err == nil || !strings.Contains(err.Error(), "--preview") {
		t.Fatalf("--chapter without --preview: %v", err)
	}
}

// TestGuideAndHelp: aceo --help points authors to the guide, which aceo
// guide prints in both languages.
func TestGuideAndHelp(t *testing.T) {
	help := must(t)(aceo(t, "", "--help"))
	for _, want := range []string{"docs/authoring.md", "aceo guide", "new", "completion"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	if g := must(t)(aceo(t, "", "guide")); !strings.Contains(g, "# Writing a chapter for aceo") || !strings.Contains(g, "```aceo-table") {
		t.Error("aceo guide does not print the English guide")
	}
	if g := must(t)(aceo(t, "", "guide", "--lang", "zh")); !strings.Contains(g, "作者指南") {
		t.Error("aceo guide --lang zh does not print the Chinese guide")
	}
	if _, err := aceo(t, "", "guide", "--lang", "fr"); err == nil {
		t.Error("aceo guide --lang fr succeeded")
	}
}

// TestMessagesInChinese: --lang zh (or ACEO_LANG=zh) gives validate's and
// submit's messages and hints in Chinese; English stays the default.
func TestMessagesInChinese(t *testing.T) {
	dir := copySample(t, t.TempDir())
	file := filepath.Join(dir, "en", "03-freshwater.md")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, append(data, "\nSee @tbl:nowhere.\n"...), 0o644)
	_, err := aceo(t, "", "validate", "--lang", "zh", file)
	if err == nil || !strings.Contains(err.Error(), `引用的标签 "tbl:nowhere" 不存在`) || !strings.Contains(err.Error(), "请检查拼写") {
		t.Fatalf("validate --lang zh: %v", err)
	}
	_, err = aceo(t, "", "validate", file)
	if err == nil || !strings.Contains(err.Error(), `reference to missing label "tbl:nowhere"`) {
		t.Fatalf("validate: %v", err)
	}
	t.Setenv("ACEO_LANG", "zh")
	out, _ := aceo(t, "", "validate", "--json", file)
	if !strings.Contains(out, `"message": "引用的标签 \"tbl:nowhere\" 不存在"`) {
		t.Fatalf("ACEO_LANG=zh validate --json:\n%s", out)
	}
	if _, err := aceo(t, "", "validate", "--lang", "fr", file); err == nil || !strings.Contains(err.Error(), "en or zh") {
		t.Fatalf("--lang fr: %v", err)
	}
	t.Setenv("ACEO_LANG", "")
	s := pushPolicyStudy(t)
	bad := filepath.Join(t.TempDir(), "x.md")
	en, _ := os.ReadFile("../../chapters/policy-study-sample/en/schemes.md")
	os.WriteFile(bad, append(en, "\nSee @tbl:nowhere.\n"...), 0o644)
	if _, err := aceo(t, s, "submit", "chapter", "--lang", "zh", bad); err == nil || !strings.Contains(err.Error(), "个未存储") || !strings.Contains(err.Error(), `引用的标签 "tbl:nowhere" 不存在`) {
		t.Fatalf("submit --lang zh: %v", err)
	}
}

// TestCommandErrorsInChinese: with ACEO_LANG=zh the command line's own
// errors (a mistyped command, missing arguments, a store without the
// publication) are printed in Chinese, with the exit status unchanged.
func TestCommandErrorsInChinese(t *testing.T) {
	self, _ := os.Executable()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"biuld"}, `aceo 没有命令 "biuld"；是否应为 "build"？`},
		{[]string{"history"}, "history 需要出版物和章节"},
		{[]string{"--store", "file://" + t.TempDir(), "status", "nope"}, `出版物 "nope" 不在存储`},
	} {
		cmd := exec.Command(self, c.args...)
		cmd.Env = append(os.Environ(), "ACEO_TEST_MAIN=1", "ACEO_LANG=zh")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: %v, stderr %q; want exit 1 and %q", c.args, err, stderr.String(), c.want)
		}
	}
}

// TestInterrupt: Ctrl-C (SIGINT) stops a build within about a second, with
// exit status 130; nothing half-written is left in the output directory
// and no temporary file of aceo's in the temporary directory.
func TestInterrupt(t *testing.T) {
	self, _ := os.Executable()
	pub := filepath.Join(t.TempDir(), "synth")
	must(t)(aceo(t, "", "synth", "--chapters", "600", pub))
	out, tmp := t.TempDir(), t.TempDir()
	cmd := exec.Command(self, "build", "--out", out, pub)
	cmd.Env = append(os.Environ(), "ACEO_TEST_MAIN=1", "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // well into the build
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted: nothing half-written was kept") {
		t.Errorf("stderr: %s", stderr.String())
	}
	t.Logf("stopped %v after the signal", took.Round(time.Millisecond))
	if took > 3*time.Second {
		t.Errorf("%v to stop after Ctrl-C", took)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), ".") || strings.HasSuffix(f, ".tmp") {
			t.Errorf("half-written file left: %s", f)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "aceo-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestDatasetConvert: aceo dataset convert writes the long form of a
// World Bank table, which aceo validate then accepts with its dictionary.
func TestDatasetConvert(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "forest.csv")
	must(t)(aceo(t, "", "dataset", "convert", "../../pipeline/dataset/testdata/wdi-forest.csv", "--indicator", "FOREST_COVER", "-o", out))
	dict := "code,name_en,name_zh,unit_en,unit_zh,decimals\nFOREST_COVER,Forest cover,森林覆盖率,% of land area,占陆地面积%,1\n"
	os.WriteFile(filepath.Join(dir, "forest.indicators.csv"), []byte(dict), 0o644)
	if got := must(t)(aceo(t, "", "validate", out)); !strings.Contains(got, "forest.csv: ok") {
		t.Fatalf("validate: %s", got)
	}
	if _, err := aceo(t, "", "dataset", "convert", "../../pipeline/dataset/testdata/wdi-forest.csv", "--indicator", "FOREST_COVER", "-o", out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwrote: %v", err)
	}
	if _, err := aceo(t, "", "validate", "../../pipeline/dataset/testdata/wdi-forest.csv"); err == nil {
		t.Fatal("validate accepted a wide table")
	}
}

// TestInputSizeCheckedFirst: a file larger than any input may be is
// refused from its size, before it is read.
func TestInputSizeCheckedFirst(t *testing.T) {
	big := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(1 << 40) // a terabyte, sparse: reading it would never end
	f.Close()
	_, err = aceo(t, "", "validate", big)
	if err == nil || !strings.Contains(err.Error(), "huge.csv is 1099511627776 bytes, more than the 104857600 any input of aceo may be") {
		t.Fatalf("%v", err)
	}
}

// TestNoTerminalEscapes: an author's name holding a terminal escape
// sequence is printed escaped by history and status.
func TestNoTerminalEscapes(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, s, dir)
	must(t)(aceo(t, s, "submit", "chapter", "--author", "Mallory\x1b]0;owned\x07\x1b[2J", dir+"/en/schemes.md"))
	for _, args := range [][]string{{"history", "policy-study-sample", "schemes"}, {"status", "policy-study-sample"}} {
		out, _ := aceo(t, s, args...)
		if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) || !strings.Contains(out, `Mallory\x1b]0;owned\a\x1b[2J`) {
			t.Errorf("%v prints %q", args, out)
		}
	}
}

// TestInvalidNames: an invitation for an item no file could be named
// (.., 5,000 characters) and a release name ending in a dot are refused.
func TestInvalidNames(t *testing.T) {
	t.Setenv("ACEO_INVITE_KEY", strings.Repeat("k", 32))
	s := pushPolicyStudy(t)
	for _, item := range []string{"..", strings.Repeat("a", 5000)} {
		if _, err := aceo(t, s, "invite", "policy-study-sample", "--figure", item, "--author", "A"); err == nil {
			t.Errorf("an invitation for figure %.20q", item)
		}
	}
	must(t)(aceo(t, s, "review", "accept", "policy-study-sample", "schemes", "latest"))
	if _, err := aceo(t, s, "publish", "policy-study-sample", "x", "--release", "2013."); err == nil || !strings.Contains(err.Error(), `release name "2013." is not valid`) {
		t.Errorf("release 2013.: %v", err)
	}
}

// An SVG, a GIF or a figure whose header claims 2.5 gigapixels is refused
// as a figure, by validate and by submit, with the accepted formats.
func TestFiguresRefusedAsFigures(t *testing.T) {
	s := pushPolicyStudy(t)
	dir := t.TempDir()
	svg := filepath.Join(dir, "map.svg")
	os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), 0o644)
	for _, args := range [][]string{{"validate", svg}, {"submit", "figure", "--pub", "policy-study-sample", svg}} {
		_, err := aceo(t, s, args...)
		if err == nil || !strings.Contains(err.Error(), "map.svg: the file is an SVG drawing; figures are PNG or JPEG images") || strings.Contains(err.Error(), "dataset") {
			t.Errorf("%s: %v", args[0], err)
		}
	}
	huge := filepath.Join(dir, "map.png")
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	binary.BigEndian.PutUint32(data[16:], 50000)
	binary.BigEndian.PutUint32(data[20:], 50000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	os.WriteFile(huge, data, 0o644)
	_, err := aceo(t, s, "submit", "figure", "--pub", "policy-study-sample", huge)
	if err == nil || !strings.Contains(err.Error(), "50000×50000 pixels (2500 megapixels), more than the 40 allowed") {
		t.Errorf("huge figure: %v", err)
	}
	filepath.WalkDir(strings.TrimPrefix(s, "file://"), func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(filepath.ToSlash(path), "/figures/map") {
			t.Errorf("a refused figure was stored: %s", path)
		}
		return nil
	})
}
