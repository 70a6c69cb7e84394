package typeset

import (
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

func TestNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"61.3": true, "1,354": true, "−8.1": true, "-5": true, "45 %": true, "100": true, "157,000": true,
		"4.2.6": false, "2012-2013": false, "Cambodia": false, "..": false, "1,23": false, "": false, "12a": false,
	} {
		if got := numeric([]ms.Span{{Text: s}}); got != want {
			t.Errorf("numeric(%q) = %v, want %v", s, got, want)
		}
	}
}
