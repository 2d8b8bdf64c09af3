package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitJS polls a JavaScript expression until it is truthy (20 s at most);
// on timeout the test fails with what the page showed.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[timelineState](readState))
		t.Fatalf("waiting for %s: %v\npage state: %+v", what, err, st)
	}
}

// eval evaluates expr (awaiting a promise) into a T; errors end the test.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80q: %v", expr, err)
	}
	return v
}
