// Package templates holds the report templates (page design, fonts, colours
// and bilingual labels) compiled into the aceo binary. A directory given
// with --templates takes their place.
package templates

import "embed"

// FS holds the template files.
//
//go:embed *.yaml registers/*.yaml portal/*
var FS embed.FS
