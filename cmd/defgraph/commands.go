package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/api"
	"github.com/defgraph/defgraph/internal/article"
	"github.com/defgraph/defgraph/internal/importer"
	"github.com/defgraph/defgraph/internal/source"
	"github.com/defgraph/defgraph/web"
)

func (a *app) extractCmd() *cobra.Command {
	var published string
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "extract entities and events from articles, as JSON Lines on stdout",
		Long: `Reads each FILE — plain text optionally starting with URL:/TITLE:/DATE:/LANG:
header lines and a "---" line, or any source import reads (.jsonl, .html,
feeds, folders, http(s) URLs, "-" for standard input) — and prints one JSON
object per article, as extraction-spec §3 describes. An article that cannot
be extracted is reported on stderr and the others are still printed; the
exit status is then 1.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if published != "" {
				d, err := article.NormalizeDate(published)
				if err != nil || len(d) != 10 {
					return usagef("--published %q: want YYYY-MM-DD", published)
				}
				published = d
			}
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			failed, read := 0, 0
			err = source.Read(cmd.Context(), files, source.Options{Stdin: cmd.InOrStdin()}, func(it source.Item) error {
				read++
				err := it.Err
				if err == nil && it.Extraction != nil {
					return enc.Encode(it.Extraction)
				}
				if err == nil {
					if published != "" {
						it.Article.Published = published
					}
					var x graph.Extraction
					if x, err = ex.Extract(it.Article); err == nil {
						return enc.Encode(x)
					}
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "defgraph: %s\n", graph.ErrorMessage(err))
				failed++
				return nil
			})
			if err != nil {
				return usageError{err}
			}
			if failed > 0 {
				return &exitError{1, fmt.Errorf("%d of %d articles failed", failed, read)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&published, "published", "", "publication date of the articles (YYYY-MM-DD), for relative dates")
	cmd.Flags().String("gazetteer", "", "extra gazetteer file (extract.gazetteer)")
	return cmd
}

func (a *app) importCmd() *cobra.Command {
	var published, report string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "extract articles from files and folders and write them to the store",
		Long: `Imports .txt and .md articles (with the optional header) and .jsonl files
(one article per line: url, title, published, language, text; or the lines
"defgraph extract" prints) from files and folders, recursively. Importing the
same files again changes nothing. Exit status: 0 when every item was
imported, 1 when some failed (the others are imported), 2 for bad usage.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			tuneGC()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			store, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			total, err := importer.CountItems(paths)
			if err != nil {
				return usageError{err}
			}
			pr := newProgress(cmd.ErrOrStderr(), total, a.logger)
			a.dryRun = dryRun
			sum, err := a.runImport(ctx, store, paths, published, pr.update)
			pr.done(sum.Read)
			if report != "" {
				if rerr := writeReport(report, sum.Failed); rerr != nil {
					return fmt.Errorf("writing the report %s: %w", report, rerr)
				}
			}
			if err != nil {
				if graph.ErrorCode(err) == graph.EINVALID {
					return usageError{err}
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "read %d, imported %d, unchanged %d, failed %d; %d entities, %d events written in %s\n",
				sum.Read, sum.Imported, sum.Unchanged, len(sum.Failed), sum.Entities, sum.Events, sum.Elapsed.Round(time.Millisecond))
			for _, f := range sum.Failed {
				where := f.Source
				if f.Line > 0 {
					where = fmt.Sprintf("%s:%d", f.Source, f.Line)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "failed: %s: %s\n", where, f.Reason)
			}
			if len(sum.Failed) > 0 {
				return &exitError{1, fmt.Errorf("%d of %d items failed", len(sum.Failed), sum.Read)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&published, "published", "", "publication date for articles that give none (YYYY-MM-DD)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "extract but write nothing (measures the bare extraction rate)")
	cmd.Flags().StringVar(&report, "report", "", "write one JSON line per skipped or failed item (source, line, reason) to this file")
	cmd.Flags().Int("workers", 0, "extraction workers (import.workers; 0: one per core)")
	cmd.Flags().Int("batch-size", 0, "articles per store write (import.batch_size)")
	cmd.Flags().String("gazetteer", "", "extra gazetteer file (extract.gazetteer)")
	return cmd
}

// tuneGC trades memory a bulk import has to spare for less garbage
// collection: GOGC 400 under a soft limit of 352 MiB of Go heap (an
// import's live heap stays near 100 MiB, two batches in flight included;
// SQLite's 32 MiB page cache is on top, and the peak resident size of a
// 100,000-article import stays under 450 MB). GOGC and GOMEMLIMIT in the
// environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(352 << 20)
	}
}

func (a *app) runImport(ctx context.Context, store graph.Store, paths []string, published string, onProgress func(importer.Summary)) (importer.Summary, error) {
	ex, err := a.extractor()
	if err != nil {
		return importer.Summary{}, err
	}
	return importer.Import(ctx, store, ex, paths, importer.Options{
		Workers:    a.v.GetInt("import.workers"),
		BatchSize:  a.v.GetInt("import.batch_size"),
		Published:  published,
		OnProgress: onProgress,
		DryRun:     a.dryRun,
	})
}

func (a *app) serveCmd() *cobra.Command {
	var seed []string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve the API and the viewer",
		Long: `Serves the JSON API under /api/v1, /healthz and the viewer at /.
With --seed PATH, imports PATH first when the store holds no article yet.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			store, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			if len(seed) > 0 {
				st, err := store.Stats(ctx)
				if err != nil {
					return err
				}
				if st.Articles == 0 {
					sum, err := a.runImport(ctx, store, seed, "", nil)
					if err != nil {
						return err
					}
					a.logger.Info("seeded the empty store", "paths", seed, "imported", sum.Imported, "failed", len(sum.Failed), "events", sum.Events)
				}
			}
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			opts := api.Options{
				Logger:         a.logger,
				Extractor:      ex,
				Tokens:         a.v.GetStringSlice("api.tokens"),
				ProtectReads:   a.v.GetBool("api.protect_reads"),
				MaxBodyBytes:   a.v.GetInt64("api.max_body_bytes"),
				MaxUploadBytes: a.v.GetInt64("api.max_upload_bytes"),
				Import: importer.Options{
					Workers:   a.v.GetInt("import.workers"),
					BatchSize: a.v.GetInt("import.batch_size"),
				},
			}
			if web.Built() {
				opts.Assets = web.Assets()
			} else {
				a.logger.Warn("the viewer is not built (run make web); serving the API only")
			}
			addr := a.v.GetString("http.addr")
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listening on %s: %w", addr, err)
			}
			server := api.New(store, opts)
			defer server.Close()
			srv := &http.Server{Handler: server.Handler(), ReadHeaderTimeout: 10 * time.Second}
			a.logger.Info("serving", "url", "http://"+ln.Addr().String(), "store", a.v.GetString("store.driver"))
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
				shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				return srv.Shutdown(shut)
			}
		},
	}
	cmd.Flags().String("addr", "", "listen address (http.addr)")
	cmd.Flags().StringSliceVar(&seed, "seed", nil, "import these paths first when the store is empty")
	cmd.Flags().String("gazetteer", "", "extra gazetteer file (extract.gazetteer)")
	return cmd
}

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "create or update the store's schema (also done on every start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "%s store is migrated\n", a.v.GetString("store.driver"))
			return nil
		},
	}
}
