package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/synth"
	"github.com/aceo-project/aceo/templates"
)

// TestNewestAcceptedInOneSecond: of two revisions submitted and accepted
// within one second, a release build takes the one submitted last, even
// when its hash sorts first (revision ids have whole seconds).
func TestNewestAcceptedInOneSecond(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, 1); err != nil {
		t.Fatal(err)
	}
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sec := time.Date(2013, 10, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	r := &drafts.Repo{Store: s, Now: func() time.Time { n++; return sec.Add(time.Duration(n) * time.Millisecond) }}
	ctx := context.Background()
	data, _ := os.ReadFile(filepath.Join(dir, "publication.yaml"))
	if _, err := r.PushPublication(ctx, "publication.yaml", data); err != nil {
		t.Fatal(err)
	}
	en, _ := os.ReadFile(filepath.Join(dir, "ch01-en.md"))
	zh, _ := os.ReadFile(filepath.Join(dir, "ch01-zh.md"))
	first, err := intake.SubmitChapter(ctx, r, "ch01-en.md", en, "a")
	if err != nil {
		t.Fatal(err)
	}
	// a second revision whose id sorts before the first one's
	var second drafts.Result
	var marker string
	for i := 0; ; i++ {
		marker = fmt.Sprintf("Second revision %d.", i)
		text := strings.Replace(string(en), "\n\n", "\n\n"+marker+"\n\n", 1)
		if second, err = intake.SubmitChapter(ctx, r, "ch01-en.md", []byte(text), "a"); err != nil {
			t.Fatal(err)
		}
		if second.Revision.ID < first.Revision.ID {
			break
		}
	}
	if _, err := intake.SubmitChapter(ctx, r, "ch01-zh.md", zh, "a"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, rev string }{{"en", first.Revision.ID}, {"en", second.Revision.ID}, {"zh", "latest"}} {
		if _, err := r.Review(ctx, "synthetic", "ch01", c.lang, c.rev, drafts.Accept, "", "editor"); err != nil {
			t.Fatal(err)
		}
	}
	src, _, err := FromStore(ctx, r, "synthetic", false, Options{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(src.Chapters["ch01"]["en"].Source); !strings.Contains(got, marker) {
		t.Fatalf("the release build took the revision submitted first (%s), not the last (%s)", first.Revision.ID, second.Revision.ID)
	}
}
