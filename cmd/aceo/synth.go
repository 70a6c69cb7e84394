package main

import (
	"fmt"

	"github.com/aceo-project/aceo/pipeline/synth"
	"github.com/urfave/cli/v2"
)

func synthCommand() *cli.Command {
	return &cli.Command{
		Name:      "synth",
		Usage:     "write a synthetic bilingual publication, for benchmarks",
		ArgsUsage: "DIR",
		Description: "Writes DIR/publication.yaml and N chapters in English and Chinese, each with\n" +
			"3 sections, 12 paragraphs and 3 tables of 11 rows by 7 columns.\n" +
			"Example: aceo synth --chapters 40 /tmp/synth && aceo build /tmp/synth",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "chapters", Value: 40, Usage: "number of chapters"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("synth needs one output directory")
			}
			if n := c.Int("chapters"); n < 1 || n > 999 {
				return fmt.Errorf("--chapters must be between 1 and 999, not %d", n)
			}
			if err := synth.Generate(c.Args().First(), c.Int("chapters")); err != nil {
				return fmt.Errorf("write synthetic publication: %w", err)
			}
			return nil
		},
	}
}
