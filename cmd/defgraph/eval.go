package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/defgraph/defgraph/internal/eval"
)

func (a *app) evalCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "eval DIR",
		Short: "score extraction against gold files (NAME.txt + NAME.gold.json)",
		Long: `Extracts every NAME.txt of DIR that has a NAME.gold.json beside it and scores
it as extraction-spec §4 says: precision, recall and F1 for entities and
events per language and overall, date and role accuracy over matched events,
then each file's misses, false hits and wrong dates or roles.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			rep, err := eval.EvalDir(args[0], ex)
			if err != nil {
				return usageError{err}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().String("gazetteer", "", "extra gazetteer file (extract.gazetteer)")
	return cmd
}
