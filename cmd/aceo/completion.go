package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
)

// bashCompletion asks aceo itself for the words that may follow, through
// urfave/cli's --generate-bash-completion.
const bashCompletion = `# bash completion for aceo: eval "$(aceo completion bash)" in ~/.bashrc
_aceo_complete() {
  local cur opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == "-"* ]]; then
    opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}
complete -o bashdefault -o default -F _aceo_complete aceo
`

const zshCompletion = `#compdef aceo
# zsh completion for aceo: eval "$(aceo completion zsh)" in ~/.zshrc
_aceo() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
if (( $+functions[compdef] )); then
  compdef _aceo aceo
fi
`

func completionCommand() *cli.Command {
	shell := func(name, usage string, script func(*cli.Context) (string, error)) *cli.Command {
		return &cli.Command{
			Name:  name,
			Usage: usage,
			Action: func(c *cli.Context) error {
				s, err := script(c)
				if err != nil {
					return fmt.Errorf("completion %s: %w", name, err)
				}
				_, err = io.WriteString(c.App.Writer, s)
				return err
			},
		}
	}
	fixed := func(s string) func(*cli.Context) (string, error) {
		return func(*cli.Context) (string, error) { return s, nil }
	}
	return &cli.Command{
		Name:  "completion",
		Usage: "print a shell completion script: bash, zsh or fish",
		Description: "Commands, subcommands and options complete with Tab. For example:\n" +
			"  bash: eval \"$(aceo completion bash)\"   (in ~/.bashrc)\n" +
			"  zsh:  eval \"$(aceo completion zsh)\"    (in ~/.zshrc)\n" +
			"  fish: aceo completion fish > ~/.config/fish/completions/aceo.fish",
		Subcommands: []*cli.Command{
			shell("bash", "completion script for bash", fixed(bashCompletion)),
			shell("zsh", "completion script for zsh", fixed(zshCompletion)),
			shell("fish", "completion script for fish", func(c *cli.Context) (string, error) { return c.App.ToFishCompletion() }),
		},
	}
}
