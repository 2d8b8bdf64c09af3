package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/neo4j"
	"github.com/defgraph/defgraph/internal/corpusgen"
	"github.com/defgraph/defgraph/internal/source"
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
	var floor bool
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
			neo, _ := sto.(*neo4j.Store)
			var server0 time.Duration
			if neo != nil {
				if server0, _, err = neo.ServerCPU(cmd.Context()); err != nil {
					return err
				}
			}
			imp, err := measure(self, append(append([]string{}, base...), corpus))
			if err != nil {
				return fmt.Errorf("import pass: %w", err)
			}
			if neo != nil {
				server1, _, err := neo.ServerCPU(cmd.Context())
				if err != nil {
					return err
				}
				imp.serverCPU = server1 - server0
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
			perArticle := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(n) }
			fmt.Fprintf(out, "CPU per article: extraction %.3f ms; import %.3f ms", perArticle(dry.cpu), perArticle(imp.cpu))
			if neo == nil {
				fmt.Fprintln(out)
				return nil
			}
			fmt.Fprintf(out, " here and %.3f ms in the Neo4j server\n", perArticle(imp.serverCPU))
			if !floor {
				return nil
			}
			fl, err := a.measureFloor(cmd.Context(), neo, corpus)
			if err != nil {
				return fmt.Errorf("floor pass: %w", err)
			}
			cores := runtime.GOMAXPROCS(0)
			fmt.Fprintf(out, "Neo4j floor (only the articles and their MENTIONS and REPORTED_IN links, with nothing else running): %.1f s, %.0f articles/s; CPU per article %.3f ms here and %.3f ms in the server\n",
				fl.elapsed.Seconds(), float64(fl.articles)/fl.elapsed.Seconds(), fl.clientCPU.Seconds()*1000/float64(fl.articles), fl.serverCPU.Seconds()*1000/float64(fl.articles))
			// No import can extract an article and write at least the floor
			// of it in less CPU than both take: on this machine's cores, at
			// best cores / (extraction + floor) articles per second.
			perFloor := (fl.clientCPU + fl.serverCPU).Seconds() / float64(fl.articles)
			best := float64(cores) / (dry.cpu.Seconds()/float64(n) + perFloor)
			fmt.Fprintf(out, "best import rate the floor allows on %d cores: %.0f articles/s, %.2f × the extraction rate\n",
				cores, best, best/(float64(n)/dry.elapsed.Seconds()))
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "n", 100000, "number of generated articles")
	cmd.Flags().StringVar(&corpus, "corpus", "", "use this .jsonl corpus instead of generating one (give --n its size)")
	cmd.Flags().Int("workers", 0, "extraction workers (import.workers; 0: one per core)")
	cmd.Flags().BoolVar(&floor, "floor", true, "Neo4j only: also measure the floor of any write of the corpus (see neo4j.WriteFloor)")
	return cmd
}

type measured struct {
	elapsed   time.Duration
	peakMB    float64
	cpu       time.Duration // user and system time of the process
	serverCPU time.Duration // the Neo4j server's, over the same time
}

type floorRun struct {
	articles             int
	elapsed              time.Duration // in WriteFloor
	clientCPU, serverCPU time.Duration // over the same time
}

// measureFloor extracts the corpus in batches (not timed) and writes each
// with WriteFloor, timed with nothing else running, after a first untimed
// write of the first batch; it removes what it wrote before it returns.
func (a *app) measureFloor(ctx context.Context, neo *neo4j.Store, corpus string) (floorRun, error) {
	var fl floorRun
	ex, err := a.extractor()
	if err != nil {
		return fl, err
	}
	defer neo.DropFloor(context.Background())
	var arts []graph.Article
	write := func() error {
		xs := make([]graph.Extraction, len(arts))
		errs := make([]error, len(arts))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < len(arts); i = int(next.Add(1)) - 1 {
					xs[i], errs[i] = ex.Extract(arts[i])
				}
			}()
		}
		wg.Wait()
		ok := xs[:0]
		for i, x := range xs {
			if errs[i] == nil && x.Validate() == nil {
				ok = append(ok, x)
			}
		}
		if fl.articles == 0 {
			// Warm the server up to these queries once, untimed, so that the
			// floor is not charged with planning and compiling them.
			if err := neo.WriteFloor(ctx, ok); err != nil {
				return err
			}
			if err := neo.DropFloor(ctx); err != nil {
				return err
			}
		}
		s0, _, err := neo.ServerCPU(ctx)
		if err != nil {
			return err
		}
		c0, t0 := processCPU(), time.Now()
		if err := neo.WriteFloor(ctx, ok); err != nil {
			return err
		}
		fl.elapsed += time.Since(t0)
		fl.clientCPU += processCPU() - c0
		s1, _, err := neo.ServerCPU(ctx)
		if err != nil {
			return err
		}
		fl.serverCPU += s1 - s0
		fl.articles += len(ok)
		arts = arts[:0]
		return nil
	}
	err = source.Read(ctx, []string{corpus}, source.Options{}, func(it source.Item) error {
		if it.Err != nil || it.Extraction != nil {
			return nil
		}
		arts = append(arts, it.Article)
		if len(arts) == 2500 {
			return write()
		}
		return nil
	})
	if err == nil && len(arts) > 0 {
		err = write()
	}
	if err == nil && fl.articles == 0 {
		err = fmt.Errorf("%s: no article to write", corpus)
	}
	return fl, err
}

// processCPU returns the user and system time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return cpuTime(&ru)
}

// cpuTime returns the user and system time of ru.
func cpuTime(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
		m.cpu = cpuTime(ru)
	}
	return m, err
}

func runSelf(self string, args ...string) error {
	c := exec.Command(self, args...)
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c.Run()
}
