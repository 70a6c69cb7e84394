// Command aceo is the publication pipeline of the ASEAN-China Environment
// Outlook and the ASEAN-China joint policy studies. This package only wires
// flags to the pipeline packages; each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/tmpfiles"
	"github.com/urfave/cli/v2"
)

func main() {
	// what killed aceo processes left in the temporary directory
	tmpfiles.RemoveStale(24 * time.Hour)
	// Ctrl-C and SIGTERM end the command's context, which long commands
	// (watch, serve) and the stores and builders heed; a command that has
	// not returned within 0.6 s (or at a second signal) is stopped, its
	// temporary files removed: nothing half-written is ever kept, as
	// outputs are renamed into place only when whole.
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		cancel()
		select {
		case <-sig:
		case <-time.After(600 * time.Millisecond):
		}
		tmpfiles.RemoveAll()
		fmt.Fprintln(os.Stderr, "aceo: "+diag.Translate(os.Getenv("ACEO_LANG"), "interrupted: nothing half-written was kept"))
		os.Exit(130)
	}()
	stopProfile := startProfile(os.Getenv("ACEO_CPUPROFILE"))
	err := runContext(ctx, os.Args, os.Stdout, os.Stderr)
	stopProfile()
	tmpfiles.RemoveAll()
	if err != nil && ctx.Err() != nil {
		// stopped by the signal before it finished
		fmt.Fprintln(os.Stderr, "aceo: "+diag.Translate(os.Getenv("ACEO_LANG"), "interrupted: nothing half-written was kept"))
		os.Exit(130)
	}
	if err != nil {
		// in the language of ACEO_LANG (validate and submit --lang zh
		// have translated theirs already)
		fmt.Fprintln(os.Stderr, "aceo: "+diag.Translate(os.Getenv("ACEO_LANG"), oneLine(err)))
		var ie *diag.InternalError
		if errors.As(err, &ie) && os.Getenv("ACEO_DEBUG") != "" {
			fmt.Fprintln(os.Stderr, ie.Stack)
		}
		os.Exit(exitCode(err))
	}
}

// exitCode is 3 for an internal error (a bug in aceo, reported with what
// it was processing) and 1 for any other failure.
func exitCode(err error) int {
	var ie *diag.InternalError
	if errors.As(err, &ie) {
		return 3
	}
	return 1
}

// oneLine formats err for the terminal: its first line is the reason (for
// a list of problems, how many there are), and any further lines, one per
// problem, follow indented.
func oneLine(err error) string {
	return strings.TrimRight(err.Error(), "\n")
}

// run is main without the process: tests call it with arguments.
func run(args []string, stdout, stderr io.Writer) error {
	return runContext(context.Background(), args, stdout, stderr)
}

// runContext is run until ctx ends.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	app := &cli.App{
		Name:  "aceo",
		Usage: "build the ASEAN-China Environment Outlook and joint policy studies in English and Chinese",
		Description: "aceo turns chapter drafts (Markdown with YAML front matter) into print-quality\n" +
			"English and Chinese PDF editions.\n\n" +
			"Authors: the authors' guide (every block of a chapter with an example, the\n" +
			"common errors and their fixes, how to submit) is docs/authoring.md, printed by\n" +
			"aceo guide (aceo guide --lang zh: 中文作者指南) and served at /en/guide/ by\n" +
			"aceo serve. Start a chapter with aceo new chapter; check it with aceo validate.",
		Version:              versionText(manifest.ToolInfo()),
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		Suggest:              true,
		Flags:                []cli.Flag{storeFlag()},
		Commands: []*cli.Command{
			newCommand(), validateCommand(), submitCommand(), buildCommand(), publicationCommand(),
			historyCommand(), getCommand(), reviewCommand(), statusCommand(), credentialsCommand(),
			storeCommand(), synthCommand(), activityCommand(), buildsCommand(), publishCommand(), withdrawCommand(), reindexCommand(), downloadCommand(),
			watchCommand(), serveCommand(), inviteCommand(), guideCommand(), datasetCommand(), completionCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	app.Action = unknownCommand(app.Commands)
	setUnknownCommand(app.Commands)
	if n := len(args); n > 0 && args[n-1] == "--generate-bash-completion" {
		return runApp(ctx, app, args) // completion reads its flag last
	}
	return runApp(ctx, app, flagsFirst(app, args))
}

// versionText is what aceo --version prints after "aceo version": the
// module version, the VCS revision it was built from (+modified when the
// work tree had changes) and the Go version.
func versionText(t manifest.Tool) string {
	s := t.Version
	if t.Revision != "" {
		s += ", revision " + t.Revision
		if t.Modified {
			s += "+modified"
		}
		if t.Time != "" {
			s += " of " + t.Time
		}
	}
	if t.GoVersion != "" {
		s += ", " + t.GoVersion
	}
	return s
}

// unknownCommand is the action of a command that only groups others
// (and of aceo itself): with no argument it shows the help; an argument
// is a mistyped command, answered with the nearest one.
func unknownCommand(cmds []*cli.Command) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.NArg() == 0 {
			return cli.ShowSubcommandHelp(c)
		}
		var names []string
		for _, cmd := range cmds {
			if !cmd.Hidden {
				names = append(names, cmd.Names()...)
			}
		}
		where := "aceo"
		if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
			where = "aceo " + c.Command.FullName()
		}
		help := where + " --help"
		bad := c.Args().First()
		if near := diag.Nearest(bad, names); near != "" {
			return fmt.Errorf("%s has no command %q; did you mean %q? (%s lists the commands)", where, bad, near, help)
		}
		return fmt.Errorf("%s has no command %q; %s lists the commands", where, bad, help)
	}
}

// setUnknownCommand gives every command that only groups others the
// unknownCommand action, down the tree.
func setUnknownCommand(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if len(cmd.Subcommands) > 0 {
			if cmd.Action == nil {
				cmd.Action = unknownCommand(cmd.Subcommands)
			}
			setUnknownCommand(cmd.Subcommands)
		}
	}
}

// runApp runs the command line; a panic anywhere in it is recovered here
// and becomes an internal error naming the command.
func runApp(ctx context.Context, app *cli.App, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = diag.Recovered(r, "aceo "+strings.Join(args[1:], " "))
		}
	}()
	return app.RunContext(ctx, args)
}

// flagsFirst lets options follow the arguments, as in
// "aceo activity update 1.2.3 --status done": urfave/cli stops reading
// flags at the first argument, so the options after the command's name are
// moved before its arguments. "--" still ends the options.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	cmds, flags := app.Commands, app.Flags
	found := false
	i := 1
	for i < len(args) {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			if a == "--" {
				break
			}
			out = append(out, a)
			i++
			if takesValue(flags, a) && i < len(args) {
				out = append(out, args[i])
				i++
			}
			continue
		}
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
			}
		}
		if next == nil {
			break
		}
		out = append(out, a)
		i++
		found = true
		cmds, flags = next.Subcommands, next.Flags
	}
	if !found {
		return args
	}
	var pos []string
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			out = append(out, a)
			i++
			if takesValue(flags, a) && i < len(args) {
				out = append(out, args[i])
				i++
			}
		default:
			pos = append(pos, a)
			i++
		}
	}
	return append(out, pos...)
}

// takesValue reports whether the option a (without "=value") is one of
// flags that takes a value.
func takesValue(flags []cli.Flag, a string) bool {
	if strings.Contains(a, "=") {
		return false
	}
	name := strings.TrimLeft(a, "-")
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}

// startProfile writes a CPU profile of the command to path when it is
// set (ACEO_CPUPROFILE): how the start-up and a whole fresh process are
// measured. It returns the function that ends the profile.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "aceo: cpu profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "aceo: cpu profile:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
