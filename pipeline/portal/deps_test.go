package portal

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestLinksNoTypesetter: the catalogue, releases and manifests read what
// builds made; they link neither the typesetter (fpdf), nor the Markdown
// parser (goldmark), nor the spreadsheet library (excelize). The upload
// page gets the checks of aceo validate from the intake it is given.
// Filling a store with the sample links no typesetter either.
func TestLinksNoTypesetter(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	typesetter := []string{"codeberg.org/go-pdf/fpdf", "aceo/pipeline/typeset", "aceo/pipeline/build"}
	parsers := append([]string{"github.com/yuin/goldmark", "github.com/xuri/excelize", "aceo/pipeline/manuscript", "aceo/pipeline/dataset", "aceo/pipeline/intake"}, typesetter...)
	for pkg, banned := range map[string][]string{"../portal": parsers, "../release": parsers, "../manifest": parsers, "../drafts": parsers,
		"../sample": typesetter} { // the sample is submitted through the intake's checks
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s lists only %v", pkg, deps)
		}
		for _, d := range deps {
			for _, b := range banned {
				if strings.HasPrefix(d, b) || strings.HasSuffix(d, b) {
					t.Errorf("%s links %s", pkg, d)
				}
			}
		}
	}
}
