package storetest

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

// More articles about events of the corpus, from other outlets and one
// from the same outlet, for "one event, many reports".
const (
	artIndusNews  = "https://www.defensenews.example/2023/10/indus-shield"
	artIndusBilan = "https://example.org/fr/indus-shield-bilan"
	artAccord     = "https://www.lemonde.example/2022/03/accord-rabat"
)

// IndusShieldNews is an English article from another outlet on Indus
// Shield 2023: it names Morocco (the country, not its armed forces), gives
// no edition but a day, 16 October 2023.
func IndusShieldNews() graph.Extraction {
	s1 := "Moroccan troops joined Pakistan's Indus Shield exercise, which opened on 16 October 2023."
	t := text(s1)
	return graph.Extraction{
		Article: article(artIndusNews, "en", "Moroccan troops in Indus Shield", "2023-10-20", t),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Names: map[string]string{"en": "Morocco"}, Mentions: []graph.Mention{t.m("Moroccan")}},
			{Key: PAK, Type: graph.Country, Name: "Pakistan", Mentions: []graph.Mention{t.m("Pakistan")}},
			{Key: Indus, Type: graph.Exercise, Name: "Indus Shield", Mentions: []graph.Mention{t.m("Indus Shield")}},
		},
		Events: []graph.Event{{
			Type: graph.EventExercise, Subject: Indus, Date: "2023-10-16",
			Participants: []graph.Participant{part(MAR, graph.RoleParticipant), part(PAK, graph.RoleHost)},
			Evidence:     t.ev(s1), Confidence: 0.7,
		}},
	}
}

// IndusShieldBilan is a French article on the same outlet as IndusShield
// (example.org): the 2023 edition, dated by its year only.
func IndusShieldBilan() graph.Extraction {
	s1 := "L'exercice Indus Shield 2023 a réuni les forces aériennes de plusieurs pays, dont le Maroc."
	t := text(s1)
	return graph.Extraction{
		Article: article(artIndusBilan, "fr", "Indus Shield 2023 : le bilan", "2023-12-01", t),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Names: map[string]string{"fr": "Maroc"}, Mentions: []graph.Mention{t.m("Maroc")}},
			{Key: Indus, Type: graph.Exercise, Name: "Indus Shield", Year: 2023, Mentions: []graph.Mention{t.m("Indus Shield 2023")}},
		},
		Events: []graph.Event{{
			Type: graph.EventExercise, Subject: Indus, Edition: 2023, Date: "2023",
			Participants: []graph.Participant{part(MAR, graph.RoleParticipant)},
			Evidence:     t.ev(s1), Confidence: 0.6,
		}},
	}
}

// AccordRabat is a French article from a third outlet on the agreement of
// FranceMorocco, naming the Royal Armed Forces rather than Morocco, dated
// to the month.
func AccordRabat() graph.Extraction {
	s1 := "En mars 2022, les Forces Armées Royales et la France ont conclu un accord à Rabat."
	t := text(s1)
	return graph.Extraction{
		Article: article(artAccord, "fr", "Accord militaire à Rabat", "2022-03-20", t),
		Entities: []graph.Entity{
			{Key: MarFAR, Type: graph.Organization, Name: "Royal Armed Forces", Country: MAR,
				Names: map[string]string{"fr": "Forces Armées Royales"}, Mentions: []graph.Mention{t.m("Forces Armées Royales")}},
			{Key: FRA, Type: graph.Country, Name: "France", Names: map[string]string{"fr": "France"}, Mentions: []graph.Mention{t.m("France")}},
			{Key: Rabat, Type: graph.Place, Name: "Rabat", Country: MAR, Mentions: []graph.Mention{t.m("Rabat")}},
		},
		Events: []graph.Event{{
			Type: graph.EventAgreement, Place: Rabat, Date: "2022-03",
			Participants: []graph.Participant{part(MarFAR, graph.RoleParty), part(FRA, graph.RoleParty)},
			Evidence:     t.ev(s1), Confidence: 0.5,
		}},
	}
}

// SecondReports are the articles that report events of the corpus again.
func SecondReports() []graph.Extraction {
	return []graph.Extraction{IndusShieldNews(), IndusShieldBilan(), AccordRabat()}
}

// indusEvent returns the events of Indus Shield's timeline.
func indusEvents(t *testing.T, s graph.Store) []graph.EventDetail {
	t.Helper()
	return must[[]graph.EventDetail](t, "Timeline Indus")(s.Timeline(ctx, graph.TimelineQuery{Entity: Indus}))
}

func testConsolidation(t *testing.T, fresh func(*testing.T, []graph.Extraction) graph.Store) {
	s := fresh(t, append(Corpus(), SecondReports()...))
	x := IndusShield()
	wantID := graph.ConsolidatedID(graph.EventKey(x.Events[0], entityMap(x)))
	if other := IndusShieldNews(); graph.ConsolidatedID(graph.EventKey(other.Events[0], entityMap(other))) != wantID {
		t.Fatalf("fixture: the two Indus Shield reports have different keys")
	}
	tl := indusEvents(t, s)
	if len(tl) != 1 {
		t.Fatalf("Timeline(Indus): %d events, want one for three reports: %v", len(tl), eventIDs(tl))
	}
	e := tl[0]
	if e.ID != wantID {
		t.Errorf("Indus Shield event id %s, want ConsolidatedID(EventKey) = %s", e.ID, wantID)
	}
	if e.Date != "2023-10-16" || e.Edition != 2023 {
		t.Errorf("Indus Shield event date %q edition %d, want the most precise date 2023-10-16 and edition 2023", e.Date, e.Edition)
	}
	if e.Sources != 2 {
		t.Errorf("Indus Shield event: %d sources, want 2 (example.org twice, defensenews.example)", e.Sources)
	}
	var got []string
	for _, v := range e.Evidence {
		got = append(got, v.Article.URL+" "+v.Article.Outlet+" "+v.Text)
		if v.Article.Outlet != graph.Outlet(v.Article.URL) {
			t.Errorf("evidence of %s: outlet %q", v.Article.URL, v.Article.Outlet)
		}
	}
	want := []string{ // by publication date
		artIndusNews + " defensenews.example " + IndusShieldNews().Events[0].Evidence.Text,
		artIndus + " example.org " + x.Events[0].Evidence.Text,
		artIndusBilan + " example.org " + IndusShieldBilan().Events[0].Evidence.Text,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Indus Shield evidence\n%q\nwant\n%q", got, want)
	}
	// MAR takes part directly (one article names it) and through its armed
	// forces (another names them): one participation, no Via.
	if p := findParticipant(e, MAR); p == nil || p.Via != "" || p.Role != graph.RoleParticipant {
		t.Errorf("MAR in Indus Shield: %+v, want a direct participant", p)
	}
	if p := findParticipant(e, MarFAR); p == nil {
		t.Errorf("the Royal Armed Forces are not among Indus Shield's participants")
	}
	// The timelines list it once.
	for _, k := range []string{MAR, PAK, MarFAR} {
		n := 0
		for _, ev := range must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: k})) {
			if ev.Subject != nil && ev.Subject.Key == Indus {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Timeline(%s) lists Indus Shield %d times, want once", k, n)
		}
	}
	// The agreement: two reports, one event, the day from the French article.
	ag := must[[]graph.EventDetail](t, "Timeline FRA")(s.Timeline(ctx, graph.TimelineQuery{Entity: FRA, EventTypes: []graph.EventType{graph.EventAgreement}}))
	if len(ag) != 1 || ag[0].Date != "2022-03-12" || len(ag[0].Evidence) != 2 || ag[0].Sources != 2 {
		t.Errorf("the Rabat agreement: %+v, want one event of 2022-03-12 with two evidence sentences from two sources", ag)
	}
	st := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if st.Events[graph.EventExercise] != 3 || st.Events[graph.EventAgreement] != 1 || st.Articles != 9 {
		t.Errorf("Stats: %+v, want 3 exercises and 1 agreement (as without the second reports) in 9 articles", st)
	}
	if d := must[*graph.EntityDetail](t, "Entity")(s.Entity(ctx, Indus)); d.Counts.Events != 1 || d.Counts.Articles != 3 {
		t.Errorf("Entity(Indus) counts %+v, want 1 event in 3 articles", d.Counts)
	}
	g := must[*graph.Subgraph](t, "Neighbors")(s.Neighbors(ctx, Indus, graph.NeighborOptions{}))
	for _, n := range g.Nodes {
		if n.Kind == "event" && (n.Key != wantID || n.Sources != 2) {
			t.Errorf("Neighbors(Indus): event node %+v, want %s with 2 sources", n, wantID)
		}
	}
	p := must[*graph.Path](t, "ShortestPath")(s.ShortestPath(ctx, Indus, MAR, 0))
	if len(p.Nodes) != 3 || p.Nodes[1].Key != wantID || p.Nodes[1].Sources != 2 {
		t.Errorf("ShortestPath(Indus, MAR): %+v, want through %s with its sources", p.Nodes, wantID)
	}
	a := must[*graph.ArticleDetail](t, "Article")(s.Article(ctx, IndusShieldNews().Article.ID))
	if len(a.Events) != 1 || a.Events[0].ID != wantID || len(a.Events[0].Evidence) != 3 {
		t.Errorf("Article(news): events %+v, want the consolidated event with its 3 evidence sentences", a.Events)
	}

	// One article drops the event: the others' reports keep it.
	x.Events = nil
	must[graph.WriteResult](t, "rewrite")(s.Write(ctx, []graph.Extraction{x}))
	tl = indusEvents(t, s)
	if len(tl) != 1 || tl[0].ID != wantID || len(tl[0].Evidence) != 2 || tl[0].Date != "2023-10-16" || tl[0].Sources != 2 {
		t.Fatalf("after one article dropped it: %+v, want %s with the two other reports", tl, wantID)
	}
	if p := findParticipant(tl[0], PakPAF); p != nil {
		t.Errorf("the Pakistan Air Force still takes part, though only the rewritten article named it")
	}
	if org := must[[]graph.EventDetail](t, "Timeline PAF")(s.Timeline(ctx, graph.TimelineQuery{Entity: PakPAF})); len(org) != 0 {
		t.Errorf("Timeline(PAF) = %v, want none", eventIDs(org))
	}
	if a := must[*graph.ArticleDetail](t, "Article")(s.Article(ctx, x.Article.ID)); len(a.Events) != 0 {
		t.Errorf("Article(rewritten) still lists %v", eventIDs(a.Events))
	}

	// The others drop it too: the event is gone, with its links.
	news, bilan := IndusShieldNews(), IndusShieldBilan()
	news.Events, bilan.Events = nil, nil
	must[graph.WriteResult](t, "rewrite")(s.Write(ctx, []graph.Extraction{news, bilan}))
	if tl := indusEvents(t, s); len(tl) != 0 {
		t.Errorf("after every report is gone: Timeline(Indus) = %v", eventIDs(tl))
	}
	_, err := s.Neighbors(ctx, wantID, graph.NeighborOptions{})
	wantCode(t, "Neighbors of an event without reports", err, graph.ENOTFOUND)
	if st := must[*graph.Stats](t, "Stats")(s.Stats(ctx)); st.Events[graph.EventExercise] != 2 {
		t.Errorf("Stats: %d exercises, want 2", st.Events[graph.EventExercise])
	}
	if d := must[*graph.EntityDetail](t, "Entity")(s.Entity(ctx, Indus)); d.Counts.Events != 0 {
		t.Errorf("Entity(Indus): %d events, want 0", d.Counts.Events)
	}
}

func entityMap(x graph.Extraction) map[string]graph.Entity {
	m := map[string]graph.Entity{}
	for _, e := range x.Entities {
		m[e.Key] = e
	}
	return m
}

// Answers is the JSON of what a store answers about the corpus items
// (Corpus and SecondReports, or a part of them), by question: the graph as
// a reader sees it, for comparing two stores or a store before and after a
// change.
func Answers(t *testing.T, s graph.Store, items []graph.Extraction) map[string]string {
	t.Helper()
	out := map[string]string{}
	put := func(what string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		b, _ := json.Marshal(v)
		out[what] = string(b)
	}
	st, err := s.Stats(ctx)
	put("Stats", st, err)
	for _, q := range []string{"Moroccan", "Pakistani", "المغرب", "والمغرب", "marocaines", "indus"} {
		r, err := s.Search(ctx, q, graph.SearchOptions{})
		put("Search "+q, r, err)
	}
	for _, k := range []string{MAR, PAK, FRA, SAU, MarFAR, PakPAF, Indus, AfLion, Rabat, "2023-10-16", "2022-03"} {
		tl, err := s.Timeline(ctx, graph.TimelineQuery{Entity: k})
		put("Timeline "+k, tl, err)
		for _, d := range []int{1, 2} {
			g, err := s.Neighbors(ctx, k, graph.NeighborOptions{Depth: d})
			put(fmt.Sprintf("Neighbors %s %d", k, d), g, err)
		}
	}
	for _, x := range items {
		a, err := s.Article(ctx, x.Article.ID)
		put("Article "+x.Article.URL, a, err)
	}
	return out
}

// testOrderIndependence writes the corpus and the second reports in
// several orders and batch splits, and as an interrupted import resumed,
// and compares what the store answers: the graph depends only on the set
// of articles.
func testOrderIndependence(t *testing.T, fresh func(*testing.T, []graph.Extraction) graph.Store) {
	all := append(Corpus(), SecondReports()...)
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	shuffled := slices.Clone(all)
	rand.New(rand.NewSource(7)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	split := func(l []graph.Extraction, n int) [][]graph.Extraction {
		var out [][]graph.Extraction
		for i := 0; i < len(l); i += n {
			out = append(out, l[i:min(i+n, len(l))])
		}
		return out
	}
	runs := []struct {
		name     string
		writes   [][]graph.Extraction
		prepared bool // through graph.Preparer, when the store is one
	}{
		{"one write", [][]graph.Extraction{all}, false},
		{"reversed, one at a time", split(reversed, 1), false},
		{"shuffled, batches of 2", split(shuffled, 2), false},
		{"shuffled, batches of 4", split(shuffled, 4), false},
		{"interrupted after 5 and resumed", [][]graph.Extraction{shuffled[:5], all}, false},
		// Earlier versions of articles, rewritten into the final ones: in
		// the same call, in a call before, and one at a time.
		{"first drafts rewritten in the same call", [][]graph.Extraction{append(drafts(all), all...)}, false},
		{"first drafts rewritten in a later call", [][]graph.Extraction{drafts(all), all}, false},
		{"first drafts rewritten one at a time", split(append(drafts(reversed), reversed...), 1), false},
		{"prepared, shuffled, batches of 4", split(shuffled, 4), true},
		{"prepared, first drafts rewritten in the same call", [][]graph.Extraction{append(drafts(all), all...)}, true},
	}
	var want map[string]string
	canPrepare := false
	for i, r := range runs {
		if r.prepared && !canPrepare {
			continue // a store that prepares nothing has nothing more to check
		}
		s := fresh(t, nil)
		p, isPreparer := s.(graph.Preparer)
		canPrepare = canPrepare || isPreparer
		for _, w := range r.writes {
			if !r.prepared {
				must[graph.WriteResult](t, r.name)(s.Write(ctx, w))
				continue
			}
			writePrepared(t, r.name, p, w)
		}
		got := Answers(t, s, all)
		s.Close()
		if i == 0 {
			want = got
			continue
		}
		for _, k := range sortedKeys(want) {
			if got[k] != want[k] {
				t.Errorf("%s: %s differs from one write:\n%s\nwant\n%s", r.name, k, got[k], want[k])
			}
		}
	}
}

// writePrepared writes l through p, prepared concurrently as an import's
// workers do, with an invalid item among them that must be reported (as
// every invalid item of l) and must not keep the others from being
// written.
func writePrepared(t *testing.T, name string, p graph.Preparer, l []graph.Extraction) {
	t.Helper()
	wantFailed := []string{}
	for i := range l {
		if l[i].Validate() != nil {
			wantFailed = append(wantFailed, l[i].Article.ID)
		}
	}
	bad := graph.Extraction{Article: graph.Article{ID: "invalid", Source: "invalid.txt", Published: "someday"}}
	l = append(slices.Clone(l), bad)
	wantFailed = append(wantFailed, "invalid")
	items := make([]graph.Prepared, len(l))
	var wg sync.WaitGroup
	for i := range l {
		wg.Add(1)
		go func() { defer wg.Done(); items[i] = p.Prepare(&l[i]) }()
	}
	wg.Wait()
	for i, it := range items {
		if it.Extraction() != &l[i] {
			t.Fatalf("%s: Prepared.Extraction of item %d is not the extraction prepared", name, i)
		}
	}
	res := must[graph.WriteResult](t, name)(p.WritePrepared(ctx, items))
	failed := []string{}
	for _, f := range res.Failed {
		failed = append(failed, f.Article)
	}
	if !slices.Equal(failed, wantFailed) {
		t.Errorf("%s: WritePrepared failed %v, want %v", name, failed, wantFailed)
	}
}

// drafts returns an earlier version of every article with events of l: its
// last event left out, its first one less sure and placed elsewhere.
func drafts(l []graph.Extraction) []graph.Extraction {
	var out []graph.Extraction
	for _, x := range l {
		if len(x.Events) == 0 {
			continue
		}
		d := x
		d.Events = slices.Clone(x.Events[:max(1, len(x.Events)-1)])
		d.Events[0].Confidence /= 2
		d.Events[0].Place = Rabat
		out = append(out, d)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
