package e2e

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A researcher's walk through the viewer against the sample corpus:
// search → expand (25 at a time, "N more", undo) → filter by type and date
// (and replay) → shortest path → country pair → evidence → export → the
// shared link reopens the view → language switch; then a hostile article
// whose text holds markup shows as text. Screenshots go to the output
// folder ($DEFGRAPH_TEST_OUT or the test's artifact directory).

// counts of the graph: nodes (without "more" nodes), visible ones, events.
const graphCounts = `(() => {
  const cy = window.cy;
  const real = cy.nodes().filter((n) => n.data('kind') !== 'more');
  return {
    nodes: real.length,
    visible: real.filter((n) => !n.hasClass('filtered')).length,
    events: real.filter('[kind = "event"]').length,
    visibleEvents: real.filter('[kind = "event"]').filter((n) => !n.hasClass('filtered')).length,
    more: cy.nodes('[kind = "more"]').length,
  };
})()`

type counts struct {
	Nodes         int `json:"nodes"`
	Visible       int `json:"visible"`
	Events        int `json:"events"`
	VisibleEvents int `json:"visibleEvents"`
	More          int `json:"more"`
}

// idle: no request in flight and no layout running.
const idle = `!document.body.classList.contains('loading') && window.viewer.graph.timing.done`

// pick types q into a picker input and clicks the suggestion for key.
func pick(t *testing.T, ctx context.Context, input, q, key string) {
	t.Helper()
	list := input + "-list"
	if input == "#search" {
		list = "#suggestions"
	}
	sel := list + ` .suggestion[data-key="` + key + `"]`
	step(t, ctx, "type "+q+" into "+input,
		chromedp.Evaluate[chromedp.Void](`void (() => { const i = document.querySelector(`+jsString(input)+`); i.value = ''; i.focus(); })()`),
		chromedp.SendKeys(chromedp.CSS(input), q),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Click(chromedp.CSS(sel)),
	)
}

func TestWorkflow(t *testing.T) {
	chrome := chromium(t)
	base := startServer(t)
	ctx := newBrowser(t, chrome)
	console := watchConsole(t, ctx)
	out := outputDir(t)
	shot := func(name string) { screenshot(t, ctx, out, name) }

	// 1. Search in any script: Arabic finds Morocco; pick it.
	step(t, ctx, "open the viewer", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(base+"/"))
	waitJS(t, ctx, "the viewer to start", `window.viewer && window.viewer.ready`)
	step(t, ctx, "type an Arabic name",
		chromedp.Evaluate[chromedp.Void](`void (() => { const i = document.getElementById('search'); i.focus(); i.value = 'المغرب'; i.dispatchEvent(new Event('input')); })()`),
		chromedp.WaitVisible(chromedp.CSS(`#suggestions .suggestion[data-key="MAR"]`)),
	)
	step(t, ctx, "clear the search", chromedp.Evaluate[chromedp.Void](`void (document.getElementById('search').value = '')`))
	pick(t, ctx, "#search", "Morocco", "MAR")
	waitJS(t, ctx, "Morocco's graph", `window.cy.nodes().length > 1 && `+idle+` && document.querySelectorAll('#timeline .event').length > 0`)
	c0 := eval[counts](t, ctx, graphCounts)
	t.Logf("after search: %+v", c0)
	if c0.Nodes < 2 || c0.Nodes > 26 {
		t.Errorf("opening MAR shows %d nodes, want 2..26 (the entity and at most 25 neighbours)", c0.Nodes)
	}
	if c0.More != 1 {
		t.Errorf("MAR has more than 25 neighbours in the corpus: want one \"N more\" node, got %d", c0.More)
	}
	if u := eval[string](t, ctx, `location.search`); !strings.Contains(u, "focus=MAR") {
		t.Errorf("URL %q does not hold focus=MAR", u)
	}
	shot("1-search.png")

	// 2. Expand: "N more" adds the next page; an entity adds its
	// neighbours; Undo takes the last expansion back.
	step(t, ctx, "tap the more node", chromedp.Evaluate[chromedp.Void](`void window.cy.nodes('[kind = "more"]').first().emit('tap')`))
	waitJS(t, ctx, "the next page", idle+` && window.cy.nodes().filter((n) => n.data('kind') !== 'more').length > `+itoa(c0.Nodes))
	c1 := eval[counts](t, ctx, graphCounts)
	if c1.Nodes-c0.Nodes > 25 {
		t.Errorf("the more node added %d nodes, want at most 25", c1.Nodes-c0.Nodes)
	}
	step(t, ctx, "tap Pakistan", chromedp.Evaluate[chromedp.Void](`void window.cy.getElementById('PAK').emit('tap')`))
	waitJS(t, ctx, "Pakistan's neighbours", idle+` && window.cy.nodes().filter((n) => n.data('kind') !== 'more').length > `+itoa(c1.Nodes))
	c2 := eval[counts](t, ctx, graphCounts)
	t.Logf("expansions: %d → %d (more) → %d (PAK)", c0.Nodes, c1.Nodes, c2.Nodes)
	if c2.Nodes-c1.Nodes > 25 {
		t.Errorf("expanding PAK added %d nodes, want at most 25", c2.Nodes-c1.Nodes)
	}
	shot("2-expand.png")
	steps := eval[int](t, ctx, `window.viewer.expander.steps`)
	step(t, ctx, "undo", chromedp.Evaluate[chromedp.Void](`void document.getElementById('undo').click()`))
	if n := eval[int](t, ctx, `window.viewer.expander.steps`); n != steps-1 {
		t.Errorf("undo: %d steps → %d, want one less", steps, n)
	}
	waitJS(t, ctx, "the undo", idle+` && window.cy.nodes().filter((n) => n.data('kind') !== 'more').length === `+itoa(c1.Nodes))

	// 3. Filters: hide an event type; a date range hides later events;
	// Play replays the events in date order.
	step(t, ctx, "hide exercises", chromedp.Click(chromedp.CSS(`#legend .toggle[data-type="EXERCISE"]`)))
	if n := eval[int](t, ctx, `window.cy.nodes('[type = "EXERCISE"][kind = "event"]').filter((n) => !n.hasClass('filtered')).length`); n != 0 {
		t.Errorf("%d exercise events still shown after hiding exercises", n)
	}
	if u := eval[string](t, ctx, `location.search`); !strings.Contains(u, "hide=EXERCISE") {
		t.Errorf("URL %q does not hold hide=EXERCISE", u)
	}
	step(t, ctx, "show exercises", chromedp.Click(chromedp.CSS(`#legend .toggle[data-type="EXERCISE"]`)))
	before := eval[counts](t, ctx, graphCounts)
	until := eval[string](t, ctx, `(() => {
	  const hi = document.getElementById('date-to');
	  hi.value = String(Math.floor(Number(hi.max) / 2));
	  hi.dispatchEvent(new Event('input'));
	  return window.viewer.filters.state.until;
	})()`)
	after := eval[counts](t, ctx, graphCounts)
	later := eval[int](t, ctx, `window.cy.nodes('[kind = "event"]').filter((n) => !n.hasClass('filtered') && n.data('date') > `+jsString(until)+` && !n.data('date').startsWith(`+jsString(until)+`)).length`)
	t.Logf("date range until %s: %d of %d nodes visible (%d events of %d)", until, after.Visible, after.Nodes, after.VisibleEvents, after.Events)
	if until == "" || after.VisibleEvents >= before.VisibleEvents || after.Visible >= before.Visible {
		t.Errorf("the date range until %q hid nothing: %+v → %+v", until, before, after)
	}
	if later != 0 {
		t.Errorf("%d events after %s still shown", later, until)
	}
	if u := eval[string](t, ctx, `location.search`); !strings.Contains(u, "until=") {
		t.Errorf("URL %q does not hold the date range", u)
	}
	shot("3-filter-date.png")
	// Play from the first date: the visible events only ever grow, in date order.
	shown := eval[[]int](t, ctx, `new Promise((resolve) => {
	  const seen = [];
	  document.getElementById('date-all').click();
	  document.getElementById('play').click();
	  const tick = setInterval(() => {
	    seen.push(window.cy.nodes('[kind = "event"]').filter((n) => !n.hasClass('filtered')).length);
	    if (!window.viewer.filters.playing) { clearInterval(tick); resolve(seen); }
	  }, 100);
	})`)
	t.Logf("replay: visible events over time %v", shown)
	if len(shown) < 3 || shown[len(shown)-1] <= shown[0] {
		t.Errorf("Play did not replay the graph: visible events %v", shown)
	}
	for i := 1; i < len(shown); i++ {
		if shown[i] < shown[i-1] {
			t.Errorf("Play hid events on the way: %v", shown)
			break
		}
	}

	// 4. Shortest path between two entities picked in the panel.
	pick(t, ctx, "#path-from", "Morocco", "MAR")
	pick(t, ctx, "#path-to", "Greece", "GRC")
	step(t, ctx, "connect", chromedp.Click(chromedp.CSS("#path-go")))
	waitJS(t, ctx, "the path", idle+` && window.cy.nodes('.on-path').length >= 3`)
	onPath := eval[[]string](t, ctx, `window.cy.nodes('.on-path').map((n) => n.id())`)
	t.Logf("path MAR → GRC: %v", onPath)
	if !contains(onPath, "MAR") || !contains(onPath, "GRC") {
		t.Errorf("the path's ends are not highlighted: %v", onPath)
	}
	if n := eval[int](t, ctx, `window.cy.edges('.on-path').length`); n < 2 {
		t.Errorf("%d path edges highlighted, want at least 2", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#path-steps .path-step').length`); n != len(onPath) {
		t.Errorf("the panel lists %d path steps, the graph highlights %d nodes", n, len(onPath))
	}
	if u := eval[string](t, ctx, `location.search`); !strings.Contains(u, "path=MAR,GRC") {
		t.Errorf("URL %q does not hold path=MAR,GRC", u)
	}
	shot("4-path.png")

	// 5. Country pair: the shared events on a time axis, ordered by date,
	// hover-linked with the graph both ways.
	pick(t, ctx, "#pair-a", "Morocco", "MAR")
	pick(t, ctx, "#pair-b", "Pakistan", "PAK")
	step(t, ctx, "compare", chromedp.Click(chromedp.CSS("#pair-go")))
	waitJS(t, ctx, "the pair timeline", idle+` && location.search.includes('with=PAK') && document.querySelectorAll('#pair-axis .pair-item').length >= 2`)
	dates := eval[[]string](t, ctx, `[...document.querySelectorAll('#pair-axis .pair-item')].map((g) => g.dataset.date)`)
	t.Logf("pair MAR × PAK: %v", dates)
	for i := 1; i < len(dates); i++ {
		if dates[i] < dates[i-1] {
			t.Errorf("pair items not ordered by date: %v", dates)
			break
		}
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#pair-axis .pair-item')].filter((g) => !window.cy.getElementById(g.dataset.id).nonempty()).length`); n != 0 {
		t.Errorf("%d pair events are not in the graph", n)
	}
	linked := eval[bool](t, ctx, `(() => {
	  const g = document.querySelector('#pair-axis .pair-item');
	  g.dispatchEvent(new MouseEvent('mouseenter'));
	  const n = window.cy.getElementById(g.dataset.id);
	  const ok = n.hasClass('linked') && n.connectedEdges('.linked').length > 0;
	  g.dispatchEvent(new MouseEvent('mouseleave'));
	  return ok && !n.hasClass('linked');
	})()`)
	if !linked {
		t.Errorf("hovering a pair item does not highlight its event node and edges")
	}
	back := eval[bool](t, ctx, `(() => {
	  const g = document.querySelectorAll('#pair-axis .pair-item')[1];
	  const n = window.cy.getElementById(g.dataset.id);
	  n.emit('mouseover');
	  const on = g.classList.contains('hover');
	  n.emit('mouseout');
	  return on && !g.classList.contains('hover');
	})()`)
	if !back {
		t.Errorf("hovering an event node does not highlight its pair item")
	}
	step(t, ctx, "hover an item for the screenshot", chromedp.Evaluate[chromedp.Void](`void document.querySelector('#pair-axis .pair-item:last-of-type').dispatchEvent(new MouseEvent('mouseenter'))`))
	shot("5-pair.png")

	// 6. Evidence: clicking a pair item (an event) shows its sentences in
	// their language with the mentions highlighted, and the source.
	step(t, ctx, "open an event's evidence", chromedp.Evaluate[chromedp.Void](`void document.querySelector('#pair-axis .pair-item').dispatchEvent(new MouseEvent('click'))`))
	waitJS(t, ctx, "the evidence", `document.querySelector('#evidence .evidence-text[data-highlights="mentions"] mark.mention') !== null`)
	type evidence struct {
		Text     string   `json:"text"`
		Marks    []string `json:"marks"`
		Lang     string   `json:"lang"`
		Title    string   `json:"title"`
		Outlet   string   `json:"outlet"`
		Date     string   `json:"date"`
		Href     string   `json:"href"`
		Selected int      `json:"selected"`
	}
	ev := eval[evidence](t, ctx, `(() => {
	  const q = document.querySelector('#evidence .evidence-text');
	  const item = q.closest('.evidence-item');
	  const a = item.querySelector('.article-title');
	  return {
	    text: q.textContent, marks: [...q.querySelectorAll('mark.mention')].map((m) => m.textContent),
	    lang: q.getAttribute('lang') || '', title: a.textContent, href: a.href || '',
	    outlet: (item.querySelector('.outlet') || {}).textContent || '',
	    date: (item.querySelector('.source time') || {}).textContent || '',
	    selected: window.cy.nodes(':selected').length,
	  };
	})()`)
	t.Logf("evidence: %q marks %q (%s) — %q, %s, %s", ev.Text, ev.Marks, ev.Lang, ev.Title, ev.Outlet, ev.Date)
	if ev.Text == "" || len(ev.Marks) == 0 || ev.Title == "" || ev.Outlet == "" || ev.Date == "" || ev.Lang == "" {
		t.Errorf("the evidence panel lacks the sentence, highlights or source: %+v", ev)
	}
	for _, m := range ev.Marks {
		if !strings.Contains(ev.Text, m) {
			t.Errorf("highlight %q is not in the sentence %q", m, ev.Text)
		}
	}
	if ev.Outlet != "example.org" {
		t.Errorf("outlet %q, want the link's host example.org", ev.Outlet)
	}
	if ev.Selected != 1 {
		t.Errorf("the event is not selected in the graph")
	}
	// An edge to an event shows the event's evidence too.
	step(t, ctx, "tap a participation link", chromedp.Evaluate[chromedp.Void](`void window.cy.edges('[type = "PARTICIPATED_IN"]').first().emit('tap')`))
	waitJS(t, ctx, "the link's evidence", `document.querySelector('#evidence .link-head') !== null && document.querySelector('#evidence .evidence-text mark.mention') !== null`)
	shot("6-evidence.png")

	// 7. Export: GraphML (parsed here), CSV and PNG, caught by a hook on
	// the page's download event.
	step(t, ctx, "hook downloads", chromedp.Evaluate[chromedp.Void](`void (window.__downloads = [], window.addEventListener('defgraph:download', async (e) => {
	  const b = e.detail.blob;
	  const head = [...new Uint8Array(await b.slice(0, 8).arrayBuffer())];
	  const text = b.type.startsWith('image/') ? '' : await b.text();
	  window.__downloads.push({ name: e.detail.name, type: b.type, size: b.size, head, text });
	}))`))
	visible := eval[counts](t, ctx, graphCounts)
	visibleEdges := eval[int](t, ctx, `(() => { const ids = new Set(window.cy.nodes().filter((n) => !n.hasClass('filtered') && n.data('kind') !== 'more').map((n) => n.id())); return window.cy.edges().filter((e) => e.data('type') !== 'MORE' && ids.has(e.source().id()) && ids.has(e.target().id())).length; })()`)
	for _, what := range []string{"graphml", "nodes", "edges", "png"} {
		step(t, ctx, "export "+what,
			chromedp.Click(chromedp.CSS("#export")),
			chromedp.Click(chromedp.CSS(`#export-menu [data-export="`+what+`"]`)),
		)
	}
	waitJS(t, ctx, "four downloads", `window.__downloads.length === 4`)
	type download struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Size int    `json:"size"`
		Head []byte `json:"head"`
		Text string `json:"text"`
	}
	files := eval[[]download](t, ctx, `window.__downloads`)
	for _, f := range files {
		if f.Text != "" {
			os.WriteFile(filepath.Join(out, f.Name), []byte(f.Text), 0o644)
		}
		t.Logf("download %s (%s, %d bytes)", f.Name, f.Type, f.Size)
		switch {
		case strings.HasSuffix(f.Name, ".graphml"):
			var g struct {
				Keys []struct {
					ID string `xml:"id,attr"`
				} `xml:"key"`
				Graph struct {
					Nodes []struct {
						ID string `xml:"id,attr"`
					} `xml:"node"`
					Edges []struct {
						ID string `xml:"id,attr"`
					} `xml:"edge"`
				} `xml:"graph"`
			}
			if err := xml.Unmarshal([]byte(f.Text), &g); err != nil {
				t.Errorf("the GraphML export is not XML: %v", err)
			}
			if len(g.Graph.Nodes) != visible.Visible || len(g.Graph.Edges) != visibleEdges {
				t.Errorf("GraphML has %d nodes and %d edges, the view shows %d and %d", len(g.Graph.Nodes), len(g.Graph.Edges), visible.Visible, visibleEdges)
			}
			var keys []string
			for _, k := range g.Keys {
				keys = append(keys, k.ID)
			}
			for _, k := range []string{"type", "name", "date", "role", "eventType"} {
				if !contains(keys, k) {
					t.Errorf("GraphML lacks the key %q (has %v)", k, keys)
				}
			}
		case strings.HasSuffix(f.Name, "-nodes.csv"), strings.HasSuffix(f.Name, "-edges.csv"):
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(f.Text, "\uFEFF"))).ReadAll()
			want := visible.Visible
			if strings.HasSuffix(f.Name, "-edges.csv") {
				want = visibleEdges
			}
			if err != nil || len(rows) != want+1 {
				t.Errorf("%s: %d rows (err %v), want a header and %d rows", f.Name, len(rows), err, want)
			}
		case strings.HasSuffix(f.Name, ".png"):
			if f.Size < 1000 || string(f.Head[:4]) != "\x89PNG" {
				t.Errorf("the PNG export is not a PNG image: %d bytes, starts %v", f.Size, f.Head)
			}
		default:
			t.Errorf("unexpected download %s", f.Name)
		}
	}

	// 8. The link reopens the view: focus, pair and path.
	link := eval[string](t, ctx, `location.href`)
	t.Logf("shared link: %s", link)
	step(t, ctx, "open the shared link", chromedp.Navigate(link))
	waitJS(t, ctx, "the shared view", `window.viewer && window.viewer.ready && `+idle+` && document.querySelectorAll('#pair-axis .pair-item').length >= 2 && window.cy.nodes('.on-path').length >= 3`)

	// 9. Names in Arabic, right to left.
	step(t, ctx, "switch to Arabic", chromedp.Click(chromedp.CSS(`#lang-switch [data-lang="ar"]`)))
	label := eval[string](t, ctx, `window.cy.getElementById('MAR').data('label')`)
	if label != "المغرب" {
		t.Errorf("MAR's label in Arabic is %q, want المغرب", label)
	}
	if u := eval[string](t, ctx, `location.search`); !strings.Contains(u, "lang=ar") {
		t.Errorf("URL %q does not hold lang=ar", u)
	}
	if d := eval[string](t, ctx, `document.getElementById('graph').dir`); d != "rtl" {
		t.Errorf("the graph's direction in Arabic is %q, want rtl", d)
	}
	shot("7-arabic.png")

	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// An article whose text holds <script> and <img onerror> shows as text.
func TestHostileArticle(t *testing.T) {
	chrome := chromium(t)
	base := startServer(t)
	ctx := newBrowser(t, chrome)
	out := outputDir(t)
	step(t, ctx, "open XAN", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(base+"/?focus=XAN"))
	waitJS(t, ctx, "Xanadu's graph", `window.viewer && window.viewer.ready && window.cy.nodes('[kind = "event"]').length === 1`)
	step(t, ctx, "open the event's evidence", chromedp.Evaluate[chromedp.Void](`void window.cy.nodes('[kind = "event"]').first().emit('tap')`))
	waitJS(t, ctx, "the evidence", `document.querySelector('#evidence .evidence-text[data-highlights="mentions"]') !== null`)
	time.Sleep(300 * time.Millisecond) // give a script, had one been injected, the time to run
	type page struct {
		Text   string   `json:"text"`
		Title  string   `json:"title"`
		Marks  []string `json:"marks"`
		Imgs   int      `json:"imgs"`
		Script int      `json:"scripts"`
		XSS    bool     `json:"xss"`
	}
	p := eval[page](t, ctx, `({
	  text: document.querySelector('#evidence .evidence-text').textContent,
	  title: document.querySelector('#evidence .article-title').textContent,
	  marks: [...document.querySelectorAll('#evidence mark.mention')].map((m) => m.textContent),
	  imgs: document.querySelectorAll('img').length,
	  scripts: document.querySelectorAll('body script').length,
	  xss: window.__xss !== undefined,
	})`)
	screenshot(t, ctx, out, "hostile.png")
	t.Logf("hostile evidence: %+v", p)
	for _, s := range []string{"<script>window.__xss=1</script>", `<img src=x onerror="window.__xss=2">`} {
		if !strings.Contains(p.Text, s) {
			t.Errorf("the evidence does not show %q as text: %q", s, p.Text)
		}
	}
	if p.Title != `Drill <b>"bold"</b> & co` {
		t.Errorf("the article title is %q, want the literal markup", p.Title)
	}
	if p.Imgs != 0 || p.XSS || p.Script > 1 {
		t.Errorf("markup from the article ran or was parsed: %d img elements, %d scripts, __xss set: %v", p.Imgs, p.Script, p.XSS)
	}
	if !contains(p.Marks, "Xanadu") || !contains(p.Marks, "Zembla") {
		t.Errorf("mentions not highlighted: %q", p.Marks)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return "'" + r.Replace(s) + "'"
}
