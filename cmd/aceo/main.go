// Command aceo is the publication pipeline of the ASEAN-China Environment
// Outlook and the ASEAN-China joint policy studies. This package only wires
// flags to the pipeline packages; each subcommand lives in its own file.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

func main() {
	if err := run(os.Args, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "aceo: "+oneLine(err))
		os.Exit(1)
	}
}

// oneLine formats err for the terminal: its first line is the reason (for
// a list of problems, how many there are), and any further lines, one per
// problem, follow indented.
func oneLine(err error) string {
	return strings.TrimRight(err.Error(), "\n")
}

// run is main without the process: tests call it with arguments.
func run(args []string, stdout, stderr io.Writer) error {
	app := &cli.App{
		Name:  "aceo",
		Usage: "build the ASEAN-China Environment Outlook and joint policy studies in English and Chinese",
		Description: "aceo turns chapter drafts (Markdown with YAML front matter) into print-quality\n" +
			"English and Chinese PDF editions. See README.md for the chapter format.",
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		Flags:                []cli.Flag{storeFlag},
		Commands: []*cli.Command{
			buildCommand(), submitCommand(), validateCommand(), publicationCommand(),
			historyCommand(), getCommand(), reviewCommand(), statusCommand(), credentialsCommand(),
			storeCommand(), synthCommand(), activityCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	return app.Run(args)
}
