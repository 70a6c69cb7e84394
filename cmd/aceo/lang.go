package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/urfave/cli/v2"
)

// msgLangFlag is --lang for the language of messages and hints (validate,
// submit), which ACEO_LANG sets for every command.
func msgLangFlag() cli.Flag {
	return &cli.StringFlag{Name: "lang", EnvVars: []string{"ACEO_LANG"}, Value: "en", Usage: "language of messages and hints: en or zh (中文提示：--lang zh)"}
}

// msgLang is the language messages are shown in: the command's --lang
// where it means that (validate, submit), else ACEO_LANG, else English.
func msgLang(c *cli.Context, own bool) (string, error) {
	lang := os.Getenv("ACEO_LANG")
	if own {
		lang = c.String("lang")
	}
	if lang == "" {
		return "en", nil
	}
	if !slices.Contains(diag.Languages, lang) {
		return "", fmt.Errorf("messages are in %s, not %q", strings.Join(diag.Languages, " or "), lang)
	}
	return lang, nil
}
