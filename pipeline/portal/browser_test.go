package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// artifacts is where the browser test keeps its screenshots
// ($ACEO_ARTIFACTS, or out/screenshots at the top of the repository).
func artifacts(t *testing.T) string {
	dir := os.Getenv("ACEO_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "out", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromium finds Debian's Chromium; the test fails without it (CI
// installs it: scripts/setup-test.sh).
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("ACEO_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found for the browser test: install Debian's chromium (bash scripts/setup-test.sh) or set ACEO_CHROMIUM")
	return ""
}

// axeSource is axe-core (npm), which scripts/setup-test.sh installs in the
// user's cache directory ($ACEO_AXE names another axe.min.js); the test
// fails without it.
func axeSource(t *testing.T) string {
	p := os.Getenv("ACEO_AXE")
	if p == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(dir, "aceo", "axe-core", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("axe-core is required for the accessibility checks (bash scripts/setup-test.sh, or set ACEO_AXE): %v", err)
	}
	return string(src)
}

// TestBrowser drives the catalogue in headless Chromium as a visitor and
// an invited author would: the home page, the switch to Chinese, a
// publication, the Chinese PDF downloaded and checked against the
// catalogue; a broken draft uploaded and refused with its line, then a
// good one accepted and stored.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	shots := artifacts(t)
	s := copyStore(t)
	_, ts := newServer(t, s, nil)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Minute)
	defer cancel()

	type step = chromedp.Action[chromedp.Void]
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	shot := func(name string) step {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name), buf, 0o644)
		})
	}
	run := func(what string, steps ...step) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	attr := func(sel, name string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(css(sel), name))
		if err != nil {
			t.Fatalf("%s of %s: %v", name, sel, err)
		}
		return v.Value
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}

	// the home page, in the browser's language
	run("open the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(css(`#latest`)), shot("home-en.png"))
	if h2, lang := text(`#latest`), attr(`html`, "lang"); h2 != "Latest Environment Outlook" || lang != "en" {
		t.Fatalf("home page: heading %q, lang %q", h2, lang)
	}
	// the first Tab reaches the skip link
	run("tab to the skip link", chromedp.KeyEvent("\t"))
	if focused := eval(`document.activeElement.className`); focused != "skip" {
		t.Errorf("the first Tab focuses %q, want the skip link", focused)
	}

	// the switch to Chinese
	run("switch to Chinese", chromedp.Click(css(`a.switch`)), chromedp.WaitVisible(css(`html[lang="zh"] #latest`)), shot("home-zh.png"))
	if h2 := text(`#latest`); h2 != "最新环境展望" {
		t.Fatalf("Chinese home page heading %q", h2)
	}

	// the Outlook's page
	run("open the Outlook", chromedp.Click(css(`section[aria-labelledby="latest"] h3 a`)), chromedp.WaitVisible(css(`h1[lang]`)), shot("publication-zh.png"))
	if title := text(`h1`); title != "中国—东盟环境展望" {
		t.Fatalf("publication page title %q", title)
	}
	shown := attr(`table.files a[hreflang="zh"]`, "data-sha256")

	// download the Chinese PDF
	dl := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	yes := true
	run("download the Chinese PDF",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dl, EventsEnabled: &yes})
			return err
		}),
		chromedp.Click(css(`table.files a[hreflang="zh"]`)))
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("the download did not finish: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dl, guid))
	if err != nil {
		t.Fatal(err)
	}
	_, raw := get(t, ts.URL+"/catalog.json")
	var cat release.Catalog
	if err := json.Unmarshal([]byte(raw), &cat); err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, f := range cat.Latest("aceo-sample").Files {
		if f.Kind == "pdf" && f.Lang == "zh" {
			want = f.SHA256
		}
	}
	h := sha256.Sum256(pdf)
	if got := hex.EncodeToString(h[:]); got != want || want == "" || shown != want {
		t.Fatalf("downloaded Chinese PDF: SHA-256 %s, catalogue %s, page %s", got, want, shown)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("the download is not a PDF")
	}

	// an invited author uploads a broken draft, then a good one
	token, err := SignInvite(testKey, Invite{Pub: "policy-study-sample", Kind: InviteChapter, Item: "schemes", Lang: "zh", Author: "李华", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join("..", "..", "chapters", "policy-study-sample", "zh", "schemes.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	bad := filepath.Join(files, "schemes.md")
	// the front matter's closing line is missing a dash
	broken := strings.Replace(string(good), "\n---\n", "\n--\n", 1)
	if err := os.WriteFile(bad, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	run("upload a broken draft",
		chromedp.Navigate(ts.URL+"/zh/upload/"+token),
		chromedp.WaitVisible(css(`#file`)),
		shot("upload-zh.png"),
		chromedp.SetUploadFiles(css(`#file`), []string{bad}),
		chromedp.Click(css(`form.upload button`)),
		chromedp.WaitVisible(css(`#problems`)),
		shot("upload-refused-zh.png"))
	if problems := text(`#problems`); !strings.Contains(problems, "schemes.md") || !strings.Contains(problems, "行") {
		t.Errorf("the refusal does not name the file and line: %q", problems)
	}
	repo := &drafts.Repo{Store: s}
	before, err := repo.History(context.Background(), "policy-study-sample", drafts.Chapters, "schemes", "zh")
	if err != nil {
		t.Fatal(err)
	}
	fixed := filepath.Join(files, "fixed", "schemes.md")
	os.MkdirAll(filepath.Dir(fixed), 0o755)
	if err := os.WriteFile(fixed, append(good, []byte("\n本修订补充了一句说明。\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	// a file dropped on the form is taken as if chosen
	run("drop a file on the form", chromedp.Navigate(ts.URL+"/zh/upload/"+token), chromedp.WaitVisible(css(`#drop`)))
	dropped := eval(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["---\n"], "dropped.md", {type: "text/markdown"}));
		const zone = document.getElementById("drop");
		zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		const over = zone.classList.contains("over");
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		const f = document.getElementById("file").files;
		return over + " " + f.length + " " + (f.length ? f[0].name : "") + " " + document.getElementById("chosen").textContent;
	})()`)
	if dropped != "true 1 dropped.md dropped.md" {
		t.Errorf("drag and drop: %q", dropped)
	}
	run("upload a good draft",
		chromedp.SetUploadFiles(css(`#file`), []string{fixed}),
		chromedp.Click(css(`form.upload button`)),
		chromedp.WaitVisible(css(`#accepted`)),
		shot("upload-accepted-zh.png"))
	accepted, rev := text(`#accepted h2`), text(`#accepted code.revision`)
	after, err := repo.History(context.Background(), "policy-study-sample", drafts.Chapters, "schemes", "zh")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].ID != rev || after[len(after)-1].Author != "李华" {
		t.Fatalf("after the upload: %d revisions (was %d), newest %+v, page says %q", len(after), len(before), after[len(after)-1], rev)
	}
	if !strings.Contains(accepted, "已接受") {
		t.Errorf("acceptance message %q", accepted)
	}

	run("the archive and a search",
		chromedp.Navigate(ts.URL+"/en/archive/"), chromedp.WaitVisible(css(`table.archive`)), shot("archive-en.png"),
		chromedp.Navigate(ts.URL+"/zh/search?topic=policy"), chromedp.WaitVisible(css(`#results`)), shot("search-zh.png"))
	if n := eval(`String(document.querySelectorAll("#results ~ article.card").length)`); n != "2" {
		t.Errorf("search for the policy topic: %s cards, want 2", n)
	}

	// full-text search, typed into the form as a reader would
	run("search the reports' text",
		chromedp.Navigate(ts.URL+"/zh/search"), chromedp.WaitVisible(css(`#q`)),
		chromedp.SendKeys(css(`#q`), "湄公河"), chromedp.Click(css(`form.search button`)),
		chromedp.WaitVisible(css(`ol.hits`)), shot("search-text-zh.png"),
		chromedp.Navigate(ts.URL+"/en/search?q=mangrove"), chromedp.WaitVisible(css(`ol.hits`)), shot("search-text-en.png"))
	if got := eval(`(() => {
		const hits = document.querySelectorAll("ol.hits li.hit");
		const marks = document.querySelectorAll("ol.hits li.hit .snippet mark");
		const pdf = hits.length ? hits[0].querySelector("p.links a").getAttribute("href") : "";
		const page = hits.length ? hits[0].querySelector("h3 a").getAttribute("href") : "";
		return hits.length + " " + (marks.length >= hits.length) + " " + /\.pdf#page=\d+$/.test(pdf) + " " + /^\/en\/publications\/[a-z-]+\/[a-z0-9-]+\/(#.*)?$/.test(page);
	})()`); !strings.HasSuffix(got, " true true true") || strings.HasPrefix(got, "0 ") {
		t.Errorf("search for mangrove: %q (hits, every hit marked, linked to a PDF page and to a chapter's page)", got)
	}
	// the first hit's chapter page, in the browser
	run("open a hit's chapter page", chromedp.Click(css(`ol.hits li.hit h3 a`)), chromedp.WaitVisible(css(`article.chapter`)), shot("chapter-en.png"))
	if overflow := eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); overflow != "false" {
		t.Error("a chapter page scrolls sideways at 1280 px")
	}
	if got := eval(`String(document.querySelectorAll("article.chapter mark, article.chapter h2, article.chapter p").length > 5)`); got != "true" {
		t.Errorf("the chapter page: %s", got)
	}

	// axe-core finds no serious or critical accessibility violation on
	// the pages a reader goes through
	axe := axeSource(t)
	for _, u := range []string{"/en/", "/zh/", "/en/publications/aceo-sample/", "/zh/publications/policy-study-sample/", "/en/archive/",
		"/zh/search?q=%E6%B9%84%E5%85%AC%E6%B2%B3", "/en/search?q=mangrove", "/en/publications/aceo-sample/air-quality/", "/zh/publications/aceo-sample/forests-biodiversity/"} {
		run("open "+u+" for axe", chromedp.Navigate(ts.URL+u), chromedp.WaitVisible(css(`main`)))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatalf("load axe-core into %s: %v", u, err)
		}
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))`,
			func(p *runtime.EvaluateParams) { yes := true; p.AwaitPromise = &yes }))
		if err != nil {
			t.Fatalf("axe on %s: %v", u, err)
		}
		if res != "[]" {
			t.Errorf("axe on %s: %s", u, res)
		}
	}

	// a phone's screen
	run("the Chinese home page on a phone",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+"/zh/"), chromedp.WaitVisible(css(`#latest`)), shot("home-zh-phone.png"))
	// a date is one line box: "2013年11月15日" never wraps
	if got := eval(`(() => {
		const ts = [...document.querySelectorAll("time")];
		return ts.length + " " + ts.filter(t => t.getClientRects().length > 1).length;
	})()`); strings.HasPrefix(got, "0 ") || !strings.HasSuffix(got, " 0") {
		t.Errorf("dates on the Chinese home page at 390 px (count, wrapped): %s", got)
	}
	for _, u := range []string{"/zh/search?q=%E7%BA%A2%E6%A0%91%E6%9E%97", "/zh/publications/aceo-sample/", "/zh/publications/aceo-sample/forests-biodiversity/", "/en/publications/aceo-sample/air-quality/"} {
		run("open "+u+" on a phone", chromedp.Navigate(ts.URL+u), chromedp.WaitVisible(css(`h1`)))
		if overflow := eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); overflow != "false" {
			t.Errorf("%s scrolls sideways on a 390 px screen", u)
		}
	}
	run("the publication page on a phone",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+"/en/publications/policy-study-sample/"),
		chromedp.WaitVisible(css(`h1[lang]`)),
		shot("publication-en-phone.png"))
	eval(`document.querySelector("table.files").scrollIntoView(); ""`)
	view, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(shots, "publication-en-phone-files.png"), view, 0o644)
	if overflow := eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); overflow != "false" {
		t.Error("the publication page scrolls sideways on a 390 px screen")
	}
}
