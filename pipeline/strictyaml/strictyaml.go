// Package strictyaml decodes YAML written by people into Go structs, refusing
// fields the struct does not know and reporting every problem with its file
// and line, so that a typo in a front matter or publication file is caught
// instead of silently ignored.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"gopkg.in/yaml.v3"
)

// Decode parses data (the YAML text of file, whose first line is line
// firstLine of that file) into v, a pointer to a struct. Unknown keys,
// duplicate keys and type mismatches are reported as diag errors.
func Decode(file string, data []byte, firstLine int, v any) error {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if err.Error() == "EOF" {
			return diag.At(file, firstLine, "empty YAML document", "")
		}
		return yamlErr(file, firstLine, err)
	}
	var errs diag.List
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	checkFields(file, firstLine, doc, reflect.TypeOf(v).Elem(), &errs)
	// the known fields are decoded even when others are wrong, so that
	// callers check them too and every problem is reported at once
	if err := doc.Decode(v); err != nil {
		errs.Merge(yamlErr(file, firstLine, err))
	}
	return errs.Err()
}

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

// yamlErr maps yaml.v3 messages ("yaml: line 3: ...") to diag errors.
func yamlErr(file string, firstLine int, err error) error {
	var list diag.List
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		if s := lineRE.FindStringSubmatch(m); s != nil {
			n, _ := strconv.Atoi(s[1])
			list.Add(diag.At(file, firstLine+n-1, "YAML: "+s[2], "check the indentation and quoting on that line"))
			continue
		}
		list.Add(diag.At(file, firstLine, "YAML: "+m, ""))
	}
	return list
}

// checkFields walks node against type t and reports keys that t does not
// declare (by yaml tag), and keys given twice.
func checkFields(file string, firstLine int, node *yaml.Node, t reflect.Type, errs *diag.List) {
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
				errs.Add(&diag.Error{File: file, Line: line,
					Msg:  fmt.Sprintf("unknown field %q", k.Value),
					Hint: "known fields are " + strings.Join(known, ", ")})
				continue
			}
			checkFields(file, firstLine, val, ft, errs)
		}
	case reflect.Slice:
		if node.Kind == yaml.SequenceNode {
			for _, c := range node.Content {
				checkFields(file, firstLine, c, t.Elem(), errs)
			}
		}
	case reflect.Map:
		if node.Kind == yaml.MappingNode {
			for i := 1; i < len(node.Content); i += 2 {
				checkFields(file, firstLine, node.Content[i], t.Elem(), errs)
			}
		}
	}
}
