package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/urfave/cli/v2"
)

func datasetCommand() *cli.Command {
	return &cli.Command{
		Name:  "dataset",
		Usage: "work on dataset files (authors)",
		Subcommands: []*cli.Command{
			{
				Name:      "convert",
				Usage:     "turn a wide table (a column per year, as the World Bank and ASEANstats publish) into aceo's long form",
				ArgsUsage: "FILE",
				Description: "Reads a CSV file or the first sheet of a workbook whose header row has a\n" +
					"column per year and a country column (ISO code or name), and writes the\n" +
					"long form, indicator,country,year,value, for the ten AMS and China; other\n" +
					"countries and groups (World...) are left out and listed. Values are copied as\n" +
					"the file holds them. Empty cells and \"..\" are left out. A file of several\n" +
					"indicators (an Indicator Code column) takes --from CODE. The dictionary\n" +
					"(NAME.indicators.csv) is still to be written.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "indicator", Required: true, Usage: "the indicator's code in the dictionary, e.g. FOREST_COVER"},
					&cli.StringFlag{Name: "from", Usage: "the file's own code of the indicator to take, e.g. AG.LND.FRST.ZS"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the long table to this file (default: standard output)"},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("dataset convert needs a file, for example: aceo dataset convert API_AG.LND.FRST.ZS.csv --indicator FOREST_COVER")
					}
					file := c.Args().First()
					data, err := readFile(file)
					if err != nil {
						return err
					}
					out, sum, err := dataset.Convert(file, data, c.String("indicator"), c.String("from"))
					if err != nil {
						return err
					}
					if o := c.String("output"); o != "" {
						if _, err := os.Stat(o); err == nil {
							return fmt.Errorf("%s already exists and is left as it is; name another file with --output", o)
						} else if !errors.Is(err, os.ErrNotExist) {
							return err
						}
						if err := writeFileAtomic(o, out); err != nil {
							return err
						}
					} else if _, err := c.App.Writer.Write(out); err != nil {
						return err
					}
					fmt.Fprintf(c.App.ErrWriter, "%d values of %s for %s, %d-%d\n", sum.Observations, c.String("indicator"), strings.Join(sum.Countries, ", "), sum.Years[0], sum.Years[1])
					if len(sum.Skipped) > 0 {
						fmt.Fprintf(c.App.ErrWriter, "left out (not an AMS or China): %s\n", strings.Join(sum.Skipped, "; "))
					}
					return nil
				},
			},
		},
	}
}
