package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/defgraph/defgraph/internal/importer"
)

// progress shows an import's advance: a bar with counts, rate and ETA on a
// terminal, a log line every interval otherwise.
type progress struct {
	mu       sync.Mutex
	total    int
	bar      *mpb.Bar
	p        *mpb.Progress
	logger   *slog.Logger
	interval time.Duration
	last     time.Time
	start    time.Time
}

func newProgress(w io.Writer, total int, logger *slog.Logger) *progress {
	pr := &progress{total: total, logger: logger, interval: 10 * time.Second, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
		pr.bar = pr.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name("import "), decor.CountersNoUnit("%d / %d")),
			mpb.AppendDecorators(decor.AverageSpeed(0, " %.0f articles/s"), decor.Name("  ETA "),
				decor.AverageETA(decor.ET_STYLE_MMSS)),
		)
	}
	return pr
}

// update is importer.Options.OnProgress.
func (pr *progress) update(sum importer.Summary) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.bar != nil {
		pr.bar.SetCurrent(int64(sum.Read))
		return
	}
	if time.Since(pr.last) < pr.interval {
		return
	}
	pr.last = time.Now()
	rate := float64(sum.Read) / time.Since(pr.start).Seconds()
	args := []any{"read", sum.Read, "total", pr.total, "imported", sum.Imported, "unchanged", sum.Unchanged,
		"failed", len(sum.Failed), "rate", fmt.Sprintf("%.0f/s", rate)}
	if rate > 0 && pr.total > sum.Read {
		args = append(args, "eta", time.Duration(float64(pr.total-sum.Read)/rate*float64(time.Second)).Round(time.Second))
	}
	pr.logger.Info("importing", args...)
}

// done ends the bar.
func (pr *progress) done(read int) {
	if pr.bar != nil {
		pr.bar.SetTotal(int64(read), true)
		pr.p.Wait()
	}
}

// writeReport writes one JSON line per failed or skipped item.
func writeReport(path string, failed []importer.Failure) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, x := range failed {
		if err := enc.Encode(x); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
