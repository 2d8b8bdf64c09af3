package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The viewer in headless Chromium against the real server: search an
// entity, open it from the suggestions, and check the graph, the timeline
// and the evidence; then open a ?focus= link directly and check the same.

// timelineState is what the page shows, read in the browser.
type timelineState struct {
	URL       string   `json:"url"`
	Nodes     int      `json:"nodes"`
	EventNode int      `json:"eventNodes"`
	Dates     []string `json:"dates"`
	Evidence  []string `json:"evidence"` // visible evidence sentences in #timeline
	Message   string   `json:"message"`  // text of #message when it shows an error
	Title     string   `json:"title"`    // the focused entity's name
}

const readState = `(() => {
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const msg = document.getElementById('message');
  const name = document.querySelector('#entity .entity-name');
  return {
    url: location.pathname + location.search,
    nodes: window.cy ? window.cy.nodes().length : 0,
    eventNodes: window.cy ? window.cy.nodes('[kind = "event"]').length : 0,
    dates: [...document.querySelectorAll('#timeline .event')].map((e) => e.dataset.date || ''),
    evidence: [...document.querySelectorAll('#timeline .evidence-text')].filter(visible).map((e) => e.textContent.trim()).filter(Boolean),
    message: msg && !msg.hidden && msg.classList.contains('error') ? msg.textContent : '',
    title: name ? name.textContent : '',
  };
})()`

// ready is true once the graph, the timeline and its evidence are shown.
const ready = `window.cy && window.cy.nodes().length > 1 &&
  document.querySelectorAll('#timeline .event').length >= 2 &&
  document.querySelector('#timeline .evidence-text') !== null &&
  !document.body.classList.contains('loading')`

func TestViewer(t *testing.T) {
	chrome := chromium(t)
	base := startServer(t)
	ctx := newBrowser(t, chrome)
	console := watchConsole(t, ctx)
	out := outputDir(t)

	// 1. Type in the search box and pick the suggestion.
	step(t, ctx, "open the viewer",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#search")),
		chromedp.SendKeys(chromedp.CSS("#search"), "Morocco"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions .suggestion")),
	)
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#suggestions .suggestion').dataset.key`))
	if err != nil {
		t.Fatalf("reading the first suggestion: %v", err)
	}
	if first != "MAR" {
		t.Errorf("first suggestion for %q is %q, want MAR (an exact name ranks first)", "Morocco", first)
	}
	step(t, ctx, "pick the suggestion", chromedp.Click(chromedp.CSS("#suggestions .suggestion")))
	st := waitReady(t, ctx, "after picking the suggestion")
	checkView(t, st, "MAR")
	screenshot(t, ctx, out, "viewer-search.png")

	// 2. Select an event in the graph: its evidence shows in #evidence.
	step(t, ctx, "tap an event node",
		chromedp.Evaluate[chromedp.Void](`void window.cy.nodes('[kind = "event"]').first().emit('tap')`),
	)
	sel, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(() => { const e = document.querySelector('#evidence .evidence-text'); return e && e.getBoundingClientRect().height > 0 && e.textContent.trim(); })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Errorf("tapping an event node showed no evidence in #evidence: %v", err)
	} else {
		t.Logf("selected event's evidence: %q", sel)
	}

	// A link (edge) to an event shows the event's evidence too.
	step(t, ctx, "tap a participation link",
		chromedp.Evaluate[chromedp.Void](`void window.cy.edges('[type = "PARTICIPATED_IN"]').first().emit('tap')`),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('#evidence .link-head') !== null && document.querySelector('#evidence .evidence-text') !== null`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("tapping a participation link showed no evidence in #evidence: %v", err)
	}

	// 3. A link with ?focus= reopens the same view.
	step(t, ctx, "open /?focus=MAR", chromedp.Navigate(base+"/?focus=MAR"))
	st = waitReady(t, ctx, "after opening /?focus=MAR")
	checkView(t, st, "MAR")
	screenshot(t, ctx, out, "viewer-focus.png")

	// 4. The with selector narrows the timeline to shared events.
	partner, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const o = document.querySelector('#with option:nth-child(2)'); return o ? o.value : ''; })()`))
	if err != nil || partner == "" {
		t.Errorf("the with selector lists no other entity (err %v)", err)
	} else {
		step(t, ctx, "restrict the timeline to "+partner,
			chromedp.SetValue(chromedp.CSS("#with"), partner),
			chromedp.Evaluate[chromedp.Void](`void document.getElementById('with').dispatchEvent(new Event('change'))`),
		)
		n, err := chromedp.Run(ctx, chromedp.Poll[int](
			`location.search.includes('with=') && !document.body.classList.contains('loading') && document.querySelectorAll('#timeline .event').length`,
			chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil {
			t.Errorf("timeline with %s: %v", partner, err)
		} else {
			t.Logf("timeline of MAR with %s: %d events", partner, n)
		}
	}

	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// waitReady waits until the view is complete and returns what it shows.
func waitReady(t *testing.T, ctx context.Context, what string) timelineState {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[timelineState](readState))
		t.Fatalf("%s: the view did not fill in: %v\npage state: %+v", what, err, st)
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[timelineState](readState))
	if err != nil {
		t.Fatalf("%s: reading the page: %v", what, err)
	}
	return st
}

// checkView checks the graph, the timeline order, the evidence and the URL.
func checkView(t *testing.T, st timelineState, focus string) {
	t.Helper()
	t.Logf("%s: %q, %d nodes (%d events), %d timeline events, %d evidence sentences", st.URL, st.Title, st.Nodes, st.EventNode, len(st.Dates), len(st.Evidence))
	if !strings.Contains(st.URL, "focus="+focus) {
		t.Errorf("URL %q does not keep the focus %s", st.URL, focus)
	}
	if st.Nodes <= 1 {
		t.Errorf("graph has %d nodes, want more than 1", st.Nodes)
	}
	if len(st.Dates) < 2 {
		t.Errorf("timeline shows %d events, want at least 2", len(st.Dates))
	}
	for i := 1; i < len(st.Dates); i++ {
		a, b := st.Dates[i-1], st.Dates[i]
		if a == "" && b != "" || a != "" && b != "" && a > b {
			t.Errorf("timeline not ordered by date: %q before %q (all: %q)", a, b, st.Dates)
			break
		}
	}
	if len(st.Evidence) == 0 {
		t.Errorf("no evidence sentence visible in the timeline")
	} else {
		t.Logf("first evidence: %q", st.Evidence[0])
	}
	if st.Message != "" {
		t.Errorf("the page shows a message: %q", st.Message)
	}
}

// step runs actions, each step within 30 seconds; a failure ends the test
// with what the page showed and what the browser console said.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[timelineState](readState))
		t.Fatalf("%s: %v\npage state: %+v", what, err, st)
	}
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", p)
}

// outputDir is $DEFGRAPH_TEST_OUT when set (kept after the test), else the
// test's artifact directory (kept with go test -artifacts, else removed).
func outputDir(t *testing.T) string {
	if d := os.Getenv("DEFGRAPH_TEST_OUT"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

// chromium finds the browser: $CHROME_PATH, /usr/bin/chromium, or one on
// PATH. Without one the test is skipped, or fails when CI=true.
func chromium(t *testing.T) string {
	t.Helper()
	cands := []string{os.Getenv("CHROME_PATH"), "/usr/bin/chromium"}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			cands = append(cands, p)
		}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (set CHROME_PATH, or install the chromium package); it is required when CI=true")
	}
	t.Skip("no Chromium found: set CHROME_PATH or install chromium to run the browser test")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab context; everything stops when the test ends.
func newBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancel()
	})
	if err := chromedp.Do(tctx); err != nil { // start the browser now
		t.Fatalf("starting %s: %v", exe, err)
	}
	return tctx
}

// watchConsole records the page's uncaught exceptions and console errors
// (failed requests included); the returned func lists them so far.
func watchConsole(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var msgs []string
	it := chromedp.Console(ctx) // subscribes now, before the first navigation
	go func() {
		for m, err := range it {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				mu.Lock()
				msgs = append(msgs, m.String())
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), msgs...)
	}
}
