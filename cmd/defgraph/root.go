package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/internal/extract"
)

// app holds what every command shares: the configuration and the logger.
type app struct {
	v      *viper.Viper
	logger *slog.Logger
	dryRun bool // import --dry-run
}

// defaults are the settings when neither config.yaml, the environment nor a
// flag gives one. config.yaml documents each of them.
var defaults = map[string]any{
	"store.driver":         "sqlite",
	"sqlite.path":          "data/defgraph.db",
	"neo4j.uri":            "bolt://127.0.0.1:7687",
	"neo4j.user":           "neo4j",
	"neo4j.password":       "",
	"neo4j.database":       "neo4j",
	"http.addr":            "127.0.0.1:8080",
	"import.workers":       0,
	"import.batch_size":    2500,
	"extract.gazetteer":    "",
	"log.level":            "info",
	"api.tokens":           []string{},
	"api.protect_reads":    false,
	"api.max_body_bytes":   10 << 20,
	"api.max_upload_bytes": 256 << 20,
}

type usageError struct{ error }

func isUsageError(err error) bool {
	_, ok := err.(usageError)
	return ok || strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag") || strings.Contains(err.Error(), "arg(s)")
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func newRootCmd() *cobra.Command {
	a := &app{v: viper.New()}
	var cfgFile string
	root := &cobra.Command{
		Use:           "defgraph",
		Short:         "defense-cooperation knowledge graph: extract, import, serve",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.load(cfgFile, cmd.Flags())
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&cfgFile, "config", "", "configuration file (default: ./config.yaml when present)")
	pf.String("store", "", "store driver: sqlite or neo4j (store.driver)")
	pf.String("sqlite-path", "", "SQLite database file (sqlite.path)")
	pf.String("neo4j-uri", "", "Neo4j URI: bolt://, neo4j://, neo4j+s:// (neo4j.uri)")
	pf.String("log-level", "", "debug, info, warn or error (log.level)")
	root.AddCommand(a.extractCmd(), a.importCmd(), a.serveCmd(), a.migrateCmd(), a.evalCmd(), a.genCorpusCmd(), a.benchImportCmd(), versionCmd())
	return root
}

// flagKeys maps flags to the configuration keys they override.
var flagKeys = map[string]string{
	"store":       "store.driver",
	"sqlite-path": "sqlite.path",
	"neo4j-uri":   "neo4j.uri",
	"log-level":   "log.level",
	"addr":        "http.addr",
	"workers":     "import.workers",
	"batch-size":  "import.batch_size",
	"gazetteer":   "extract.gazetteer",
}

// load reads the configuration: defaults, then the config file, then
// DEFGRAPH_* variables (DEFGRAPH_SQLITE_PATH for sqlite.path), then flags.
func (a *app) load(cfgFile string, flags *pflag.FlagSet) error {
	v := a.v
	for k, d := range defaults {
		v.SetDefault(k, d)
	}
	v.SetEnvPrefix("DEFGRAPH")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if cfgFile == "" {
		cfgFile = os.Getenv("DEFGRAPH_CONFIG")
	}
	if cfgFile != "" {
		v.SetConfigFile(cfgFile)
		if err := v.ReadInConfig(); err != nil {
			return usagef("reading config %s: %v", cfgFile, err)
		}
	} else if _, err := os.Stat("config.yaml"); err == nil {
		v.SetConfigFile("config.yaml")
		if err := v.ReadInConfig(); err != nil {
			return usagef("reading config.yaml: %v", err)
		}
	}
	var bindErr error
	flags.VisitAll(func(f *pflag.Flag) {
		if key, ok := flagKeys[f.Name]; ok && f.Changed {
			if err := v.BindPFlag(key, f); err != nil {
				bindErr = err
			}
		}
	})
	if bindErr != nil {
		return bindErr
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(v.GetString("log.level"))); err != nil {
		return usagef("log.level %q: want debug, info, warn or error", v.GetString("log.level"))
	}
	a.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// openStore opens the configured store, creating and migrating it if
// needed.
func (a *app) openStore(ctx context.Context) (graph.Store, error) {
	switch d := a.v.GetString("store.driver"); d {
	case "sqlite":
		return sqlite.Open(a.v.GetString("sqlite.path"))
	case "neo4j":
		return a.openNeo4j(ctx)
	default:
		return nil, usagef("store.driver %q: want sqlite or neo4j", d)
	}
}

func (a *app) extractor() (*extract.Extractor, error) {
	return extract.New(extract.Options{GazetteerPath: a.v.GetString("extract.gazetteer")})
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "defgraph", version)
		},
	}
}
