package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	cases := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "a.md", Line: 3, Msg: "bad", Hint: "fix it"}, "a.md:3: bad; fix it"},
		{&Error{File: "d.xlsx", Cell: "data!D17", Msg: `"n/a" is not a number`}, `d.xlsx data!D17: "n/a" is not a number`},
		{&Error{File: "p.yaml", Msg: "no chapters"}, "p.yaml: no chapters"},
		{&Error{Msg: "alone"}, "alone"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list is an error")
	}
	l.Add(nil)
	l.Add(At("b.md", 2, "second", ""))
	l.Merge(fmt.Errorf("wrapped: %w", At("a.md", 9, "first", "")))
	l.Merge(errors.New("plain"))
	l.Sort()
	err := l.Err()
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "3 problems, the first: ") {
		t.Fatalf("%q", err.Error())
	}
	var back List
	if !errors.As(err, &back) || len(back) != 3 || back[0].File != "" || back[1].File != "a.md" {
		t.Fatalf("%+v", back)
	}
}
