// Package strictyaml decodes YAML written by people into Go structs, refusing
// fields the struct does not know and reporting every problem with its file
// and line, so that a typo in a front matter or publication file is caught
// instead of silently ignored.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"go.yaml.in/yaml/v4"
)

// Decode parses data (the YAML text of file, whose first line is line
// firstLine of that file) into v, a pointer to a struct. Unknown keys,
// duplicate keys and type mismatches are reported as diag errors.
func Decode(file string, data []byte, firstLine int, v any) error {
	return DecodeWith(file, data, firstLine, v, nil)
}

// DecodeWith is Decode with hints for unknown fields that people often
// write by mistake: hints["years"] is the hint given when a field
// "years" is not known.
func DecodeWith(file string, data []byte, firstLine int, v any, hints map[string]string) error {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	lines := strings.Split(string(data), "\n")
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return diag.At(file, firstLine, "empty YAML document", "")
		}
		return yamlErr(file, firstLine, err, lines)
	}
	var errs diag.List
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	c := &checker{file: file, firstLine: firstLine, lines: lines, hints: hints, errs: &errs}
	c.fields(doc, reflect.TypeOf(v).Elem())
	// the known fields are decoded even when others are wrong, so that
	// callers check them too and every problem is reported at once
	if err := doc.Decode(v); err != nil {
		errs.Merge(yamlErr(file, firstLine, err, lines))
	}
	return errs.Err()
}

// QuoteFlow rewrites the flow mappings of a YAML line ({en: a, b, zh: c})
// with every value quoted ({en: "a, b", zh: "c"}): a comma or colon in an
// unquoted value otherwise ends it. A new entry starts only at a known key
// (keys; nil: any lower-case word followed by ": "). ok is false when the
// line has no flow mapping.
func QuoteFlow(line string, keys []string) (string, bool) {
	open := strings.IndexByte(line, '{')
	end := strings.LastIndexByte(line, '}')
	if open < 0 || end < open {
		return line, false
	}
	inner := line[open+1 : end]
	isKey := func(s string) (string, bool) {
		s = strings.TrimLeft(s, " ")
		i := strings.Index(s, ":")
		if i <= 0 {
			return "", false
		}
		k := s[:i]
		if keys != nil {
			return k, slices.Contains(keys, k)
		}
		return k, flowKeyRE.MatchString(k)
	}
	var entries []string
	for _, part := range strings.Split(inner, ",") {
		if _, ok := isKey(part); ok || len(entries) == 0 {
			entries = append(entries, part)
			continue
		}
		entries[len(entries)-1] += "," + part
	}
	for i, e := range entries {
		k, ok := isKey(e)
		if !ok {
			return line, false
		}
		val := strings.TrimSpace(strings.TrimLeft(e, " ")[len(k)+1:])
		if len(val) >= 2 && (val[0] == '"' && val[len(val)-1] == '"' || val[0] == '\'' && val[len(val)-1] == '\'') {
			entries[i] = k + ": " + val
			continue
		}
		entries[i] = k + ": " + strconv.Quote(val)
	}
	return line[:open+1] + strings.Join(entries, ", ") + line[end:], true
}

var flowKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// yamlErr maps the YAML library's errors to diag errors at their lines,
// from the errors' own positions (yaml.LoadError), not their text. On a
// line with a flow mapping ({en: ..., zh: ...}), the hint is the line with
// its values quoted.
func yamlErr(file string, firstLine int, err error, lines []string) error {
	var list diag.List
	var errs []*yaml.LoadError
	var many *yaml.LoadErrors
	var one *yaml.LoadError
	switch {
	case errors.As(err, &many):
		errs = many.Errors
	case errors.As(err, &one):
		errs = []*yaml.LoadError{one}
	default:
		return diag.At(file, firstLine, "YAML: "+err.Error(), "")
	}
	for _, e := range errs {
		// the line of the construct the problem is in (an unclosed flow
		// mapping), else where it was found
		n := e.Mark.Line
		if c := e.ContextMark.Line; c > 0 && (n <= 0 || c < n) {
			n = c
		}
		if n <= 0 {
			list.Add(diag.At(file, firstLine, "YAML: "+e.Message, ""))
			continue
		}
		hint := "check the indentation and quoting on that line"
		// look at that line and the few after it for a flow mapping whose
		// values need quotes
		for i := n - 1; i >= 0 && i < len(lines) && i < n+3; i++ {
			if fixed, ok := QuoteFlow(lines[i], nil); ok && fixed != lines[i] && strings.ContainsAny(lines[i][strings.IndexByte(lines[i], '{'):], ":,") {
				hint = "a comma or colon inside a value ends it: put the value in quotes, as in: " + strings.TrimSpace(fixed)
				n = i + 1
				break
			}
		}
		list.Add(diag.At(file, firstLine+n-1, "YAML: "+e.Message, hint))
	}
	return list
}

// checker walks a YAML document against a Go type.
type checker struct {
	file      string
	firstLine int
	lines     []string
	hints     map[string]string
	errs      *diag.List
}

// fields walks node against type t and reports keys that t does not
// declare (by yaml tag), and keys given twice.
func (c *checker) fields(node *yaml.Node, t reflect.Type) {
	file, firstLine, errs := c.file, c.firstLine, c.errs
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		if _, ok := reflect.New(t).Interface().(yaml.Unmarshaler); ok {
			return
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, val := node.Content[i], node.Content[i+1]
			line := firstLine + k.Line - 1
			if seen[k.Value] {
				errs.Add(diag.Errorf(file, line, "field %q is given twice", k.Value))
				continue
			}
			seen[k.Value] = true
			ft, ok := fields[k.Value]
			if !ok {
				known := make([]string, 0, len(fields))
				for n := range fields {
					known = append(known, n)
				}
				sort.Strings(known)
				e := &diag.Error{File: file, Line: line,
					Msg:  fmt.Sprintf("unknown field %q", k.Value),
					Hint: "known fields are " + strings.Join(known, ", ")}
				src := ""
				if k.Line >= 1 && k.Line <= len(c.lines) {
					src = c.lines[k.Line-1]
				}
				if node.Style&yaml.FlowStyle != 0 && val.Tag == "!!null" && val.Value == "" {
					// {en: Forest cover, 1990-2010, zh: ...}: the comma ended
					// the value, and what followed became a key
					e.Msg = fmt.Sprintf("a comma inside a value ended it, and %q was read as a field", k.Value)
					e.Hint = "put the value in quotes"
					if fixed, ok := QuoteFlow(src, known); ok {
						e.Hint += ", as in: " + strings.TrimSpace(fixed)
					}
				} else if h, ok := c.hints[k.Value]; ok {
					e.Hint = h + "; known fields are " + strings.Join(known, ", ")
				} else if near := diag.Nearest(k.Value, known); near != "" {
					e.Hint = fmt.Sprintf("did you mean %q? Known fields are %s", near, strings.Join(known, ", "))
				}
				errs.Add(e)
				continue
			}
			c.fields(val, ft)
		}
	case reflect.Slice:
		if node.Kind == yaml.SequenceNode {
			for _, x := range node.Content {
				c.fields(x, t.Elem())
			}
		}
	case reflect.Map:
		if node.Kind == yaml.MappingNode {
			for i := 1; i < len(node.Content); i += 2 {
				c.fields(node.Content[i], t.Elem())
			}
		}
	}
}
