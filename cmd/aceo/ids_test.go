package main

import (
	"strings"
	"testing"
)

// TestInvalidIdsEverywhere: every command refuses an invalid publication,
// chapter, build or release id and an invalid language with an error that
// names it, before any key is made of it; none exits 0 with an empty
// answer.
func TestInvalidIdsEverywhere(t *testing.T) {
	s := pushPolicyStudy(t)
	t.Setenv("ACEO_INVITE_KEY", "0123456789abcdef0123456789abcdef")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"history", "../x", "introduction"}, `publication id "../x" is not valid`},
		{[]string{"history", "policy-study-sample", "../x"}, `has no chapter "../x"`},
		{[]string{"history", "--lang", "../../config", "policy-study-sample", "introduction"}, `language "../../config" is not one of`},
		{[]string{"get", "../x", "introduction", "latest"}, `publication id "../x" is not valid`},
		{[]string{"get", "--lang", "../c", "policy-study-sample", "introduction", "latest"}, `language "../c"`},
		{[]string{"review", "accept", "../x", "introduction", "latest"}, `publication id "../x" is not valid`},
		{[]string{"review", "accept", "--lang", "../c", "policy-study-sample", "introduction", "latest"}, `language "../c"`},
		{[]string{"status", "../x"}, `publication id "../x" is not valid`},
		{[]string{"build", "../x"}, `publication id "../x" is not valid`},
		{[]string{"build", "--lang", "../c", "policy-study-sample"}, `../c`},
		{[]string{"builds", "list", "../x"}, `publication id "../x" is not valid`},
		{[]string{"builds", "show", "../x"}, `build id "../x" is not valid`},
		{[]string{"publish", "../x", "abc", "--release", "r"}, `publication id "../x" is not valid`},
		{[]string{"publish", "policy-study-sample", "../x", "--release", "r"}, `build id "../x" is not valid`},
		{[]string{"publish", "policy-study-sample", "abc", "--release", "2013."}, `release name "2013." is not valid`},
		{[]string{"withdraw", "../x", "r", "--reason", "x"}, `publication id "../x" is not valid`},
		{[]string{"withdraw", "policy-study-sample", "../x", "--reason", "x"}, `release name "../x" is not valid`},
		{[]string{"download", "../x"}, `publication id "../x" is not valid`},
		{[]string{"download", "policy-study-sample", "--release", "../x"}, `release name "../x" is not valid`},
		{[]string{"download", "policy-study-sample", "--lang", "../x"}, `language "../x"`},
		{[]string{"watch", "../x"}, `publication id "../x" is not valid`},
		{[]string{"invite", "../x", "--chapter", "introduction", "--lang", "en", "--author", "A"}, `publication id "../x" is not valid`},
		{[]string{"invite", "policy-study-sample", "--chapter", "../x", "--lang", "en", "--author", "A"}, `has no chapter "../x"`},
		{[]string{"invite", "policy-study-sample", "--chapter", "introduction", "--lang", "../c", "--author", "A"}, `--lang, one of: en, zh`},
		{[]string{"invite", "policy-study-sample", "--dataset", "../x", "--author", "A"}, `dataset "../x" is not a valid name`},
		{[]string{"new", "chapter", "../x", "intro", "--lang", "en"}, `publication id "../x" is not valid`},
		{[]string{"activity", "list", "--plan", "../x"}, `plan register "../x": not a valid name`},
		{[]string{"activity", "list", "--lang", "../x"}, `language "../x" is not supported`},
	} {
		out, err := aceo(t, s, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("aceo %s: %v\n%s\nwant an error with %q", strings.Join(c.args, " "), err, out, c.want)
		}
	}
}
