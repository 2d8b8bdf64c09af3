package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/defgraph/defgraph/internal/corpusgen"
)

// genCorpusCmd writes synthetic articles for benchmarks (hidden).
func (a *app) genCorpusCmd() *cobra.Command {
	var n int
	var seed int64
	cmd := &cobra.Command{
		Use:    "gen-corpus FILE.jsonl",
		Short:  "write N synthetic articles in ar/en/fr as JSON Lines, for benchmarks",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if n <= 0 {
				return usagef("--n %d: want a positive number of articles", n)
			}
			f, err := os.Create(args[0])
			if err != nil {
				return err
			}
			w := bufio.NewWriterSize(f, 1<<20)
			if err := corpusgen.New(seed).WriteJSONL(w, n); err != nil {
				f.Close()
				return err
			}
			if err := w.Flush(); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
	cmd.Flags().IntVar(&n, "n", 1000, "number of articles")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed (the same seed gives the same corpus)")
	return cmd
}

// benchImportCmd measures, side by side in one run, the bare extraction
// rate and the import rate into the configured store, each in a child
// process of its own so that their peak memory is measured apart.
func (a *app) benchImportCmd() *cobra.Command {
	var n int
	var corpus string
	cmd := &cobra.Command{
		Use:    "bench-import",
		Short:  "benchmark: bare extraction vs import of a generated corpus into the configured store",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			self, err := os.Executable()
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "defgraph-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			if corpus == "" {
				corpus = filepath.Join(dir, "corpus.jsonl")
				t0 := time.Now()
				if err := runSelf(self, "gen-corpus", "--n", strconv.Itoa(n), corpus); err != nil {
					return err
				}
				fmt.Fprintf(out, "generated %d articles in %s\n", n, time.Since(t0).Round(time.Millisecond))
			}
			st, err := os.Stat(corpus)
			if err != nil {
				return err
			}
			mb := float64(st.Size()) / 1e6
			store := a.v.GetString("store.driver")
			base := []string{"import", "--store", store}
			if cmd.Flags().Changed("workers") {
				base = append(base, "--workers", strconv.Itoa(a.v.GetInt("import.workers")))
			}
			if store == "sqlite" {
				db := filepath.Join(dir, "bench.db")
				a.v.Set("sqlite.path", db)
				base = append(base, "--sqlite-path", db)
			}
			sto, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer sto.Close()
			if before, err := sto.Stats(cmd.Context()); err != nil {
				return err
			} else if before.Articles > 0 {
				return usagef("the %s store already holds %d articles: benchmark a fresh import into an empty one", store, before.Articles)
			}

			dry, err := measure(self, append(append([]string{}, base...), "--dry-run", corpus))
			if err != nil {
				return fmt.Errorf("extraction pass: %w", err)
			}
			imp, err := measure(self, append(append([]string{}, base...), corpus))
			if err != nil {
				return fmt.Errorf("import pass: %w", err)
			}
			stats, err := sto.Stats(context.Background())
			if err != nil {
				return err
			}
			nodes := stats.Articles
			for _, c := range stats.Entities {
				nodes += c
			}
			for _, c := range stats.Events {
				nodes += c
			}
			writes := nodes + stats.Links
			fmt.Fprintf(out, "corpus: %d articles, %.1f MB; store: %s; graph: %d nodes, %d links\n", n, mb, store, nodes, stats.Links)
			fmt.Fprintf(out, "%-22s %10s %12s %10s %16s %12s\n", "pass", "seconds", "articles/s", "MB/s", "graph writes/s", "peak RSS MB")
			fmt.Fprintf(out, "%-22s %10.1f %12.0f %10.2f %16s %12.0f\n", "extraction only", dry.elapsed.Seconds(),
				float64(n)/dry.elapsed.Seconds(), mb/dry.elapsed.Seconds(), "-", dry.peakMB)
			fmt.Fprintf(out, "%-22s %10.1f %12.0f %10.2f %16.0f %12.0f\n", "import into "+store, imp.elapsed.Seconds(),
				float64(n)/imp.elapsed.Seconds(), mb/imp.elapsed.Seconds(), float64(writes)/imp.elapsed.Seconds(), imp.peakMB)
			fmt.Fprintf(out, "import rate / extraction rate: %.2f\n", dry.elapsed.Seconds()/imp.elapsed.Seconds())
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "n", 100000, "number of generated articles")
	cmd.Flags().StringVar(&corpus, "corpus", "", "use this .jsonl corpus instead of generating one (give --n its size)")
	cmd.Flags().Int("workers", 0, "extraction workers (import.workers; 0: one per core)")
	return cmd
}

type measured struct {
	elapsed time.Duration
	peakMB  float64
}

// measure runs the binary with args and returns its wall time and peak
// resident memory.
func measure(self string, args []string) (measured, error) {
	c := exec.Command(self, args...)
	c.Stderr = os.Stderr
	t0 := time.Now()
	err := c.Run()
	m := measured{elapsed: time.Since(t0)}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.peakMB = float64(ru.Maxrss) / 1024 // KiB on Linux
	}
	return m, err
}

func runSelf(self string, args ...string) error {
	c := exec.Command(self, args...)
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c.Run()
}
