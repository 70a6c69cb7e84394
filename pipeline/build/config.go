package build

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/hyphen"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// Config is what a publication is built with, resolved once when its
// sources are loaded and passed down with them (Sources.Config): the
// template, the plan register of a publication with appendices, the font
// set, and the hyphenation patterns, each with the hash of its file for
// the manifest. The preflight, the editions, the annex and the manifest
// all take it from there; nothing else loads a template or applies a
// default.
type Config struct {
	Templates    fs.FS // where the template and register were read
	Template     *typeset.Template
	TemplateFile manifest.FileHash
	Register     *activity.Register // nil when the publication has no appendices
	RegisterFile *manifest.FileHash
	Fonts        *typeset.FontSet
	Hyphenation  []manifest.FileHash // the pattern files the template names for the publication's languages
}

// NewConfig resolves the configuration of pub under opt: its Templates
// (the built-in ones by default) and Fonts (the system's font directories
// by default).
func NewConfig(pub *publication.Publication, opt Options) (*Config, error) {
	c := &Config{Templates: opt.Templates, Fonts: opt.Fonts}
	if c.Templates == nil {
		c.Templates = templates.FS
	}
	if c.Fonts == nil {
		c.Fonts = typeset.NewFontSet(typeset.DefaultFontDirs())
	}
	name := pub.Template + ".yaml"
	data, err := fs.ReadFile(c.Templates, name)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", pub.Template, err)
	}
	if c.Template, err = typeset.LoadTemplate(c.Templates, pub.Template); err != nil {
		return nil, err
	}
	c.TemplateFile = manifest.FileHash{Name: name, SHA256: sha(data)}
	if len(pub.Appendices) > 0 {
		if c.Register, err = activity.LoadRegister(c.Templates, pub.Plan); err != nil {
			return nil, err
		}
		rname := "registers/" + c.Register.ID + ".yaml"
		if data, err := fs.ReadFile(c.Templates, rname); err == nil {
			c.RegisterFile = &manifest.FileHash{Name: rname, SHA256: sha(data)}
		}
	}
	// the patterns are read when a paragraph is hyphenated; a file that
	// cannot be found is reported then, in the language that needs it
	for _, lang := range pub.Languages {
		file := c.Template.Hyphenation[lang]
		if file == "" {
			continue
		}
		path, err := hyphen.Find(file, hyphen.DefaultDirs)
		if err != nil {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		h := manifest.FileHash{Name: filepath.Base(path), SHA256: sha(data)}
		if !slices.Contains(c.Hyphenation, h) {
			c.Hyphenation = append(c.Hyphenation, h)
		}
	}
	return c, nil
}

// config is the configuration of the sources, which a step of a run
// given opt uses; sources made by hand (tests) get the defaults. Fonts
// are given when the sources are loaded: other fonts given to a later
// step are an error, not silently ignored.
func (s *Sources) config(opt Options) (*Config, error) {
	if s.Config != nil && opt.Fonts != nil && opt.Fonts != s.Config.Fonts {
		return nil, fmt.Errorf("build %s: the sources were loaded with another font set; give the fonts to Load or FromStore", s.Pub.ID)
	}
	if s.Config == nil {
		c, err := NewConfig(s.Pub, opt)
		if err != nil {
			return nil, err
		}
		s.Config = c
	}
	return s.Config, nil
}

// preloadFonts parses the template's primary fonts; the renderer takes
// them when it needs them. Run it in the background while inputs are read.
func (c *Config) preloadFonts() { c.Fonts.Preload(c.Template.PrimaryFontFiles()) }
