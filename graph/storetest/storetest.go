// Package storetest is the conformance suite every graph.Store passes, so
// that the same corpus gives the same answers on every back end.
//
// A store's test calls Run with a function that opens a fresh, empty store.
// The suite writes its own fixture corpus (see Corpus) and checks only what
// the graph.Store documentation promises; where an order is not promised it
// sorts before comparing.
package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

// Run runs the conformance suite. open is called once per subtest and must
// return an empty store; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) graph.Store) {
	fresh := func(t *testing.T, items []graph.Extraction) graph.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		if len(items) > 0 {
			res, err := s.Write(context.Background(), items)
			if err != nil {
				t.Fatalf("Write corpus: %v", err)
			}
			if len(res.Failed) > 0 {
				t.Fatalf("Write corpus: failed items %+v", res.Failed)
			}
		}
		return s
	}
	corpus := func(t *testing.T) graph.Store { t.Helper(); return fresh(t, Corpus()) }

	t.Run("Ping", func(t *testing.T) {
		if err := fresh(t, nil).Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("WriteIdempotent", func(t *testing.T) { testWriteIdempotent(t, fresh) })
	t.Run("WriteReplacesArticle", func(t *testing.T) { testRewrite(t, corpus(t)) })
	t.Run("WriteInvalidItems", func(t *testing.T) { testInvalid(t, corpus(t)) })
	t.Run("WriteStubCountry", func(t *testing.T) { testStub(t, fresh(t, nil)) })
	t.Run("WriteConcurrent", func(t *testing.T) { testConcurrent(t, fresh(t, nil)) })
	t.Run("Stats", func(t *testing.T) { testStats(t, corpus(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, corpus(t)) })
	t.Run("SearchMentionTexts", func(t *testing.T) { testMentionTexts(t, fresh(t, nil)) })
	t.Run("Entity", func(t *testing.T) { testEntity(t, corpus(t)) })
	t.Run("Neighbors", func(t *testing.T) { testNeighbors(t, corpus(t)) })
	t.Run("Timeline", func(t *testing.T) { testTimeline(t, corpus(t)) })
	t.Run("ShortestPath", func(t *testing.T) { testPath(t, corpus(t)) })
	t.Run("Article", func(t *testing.T) { testArticle(t, corpus(t)) })
	t.Run("OneEventManyReports", func(t *testing.T) { testConsolidation(t, fresh) })
	t.Run("OrderIndependence", func(t *testing.T) { testOrderIndependence(t, fresh) })
}

var ctx = context.Background()

// wantCode fails unless err carries the error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := graph.ErrorCode(err); got != want {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func testWriteIdempotent(t *testing.T, fresh func(*testing.T, []graph.Extraction) graph.Store) {
	s := fresh(t, nil)
	res := must[graph.WriteResult](t, "first Write")(s.Write(ctx, Corpus()))
	if res.Written != 6 || res.Unchanged != 0 || len(res.Failed) != 0 {
		t.Errorf("first Write: %+v, want 6 written", res)
	}
	if res.Events != 8 {
		t.Errorf("first Write: %d events, want 8 (the 2021 exercise is stated twice)", res.Events)
	}
	if res.Entities == 0 {
		t.Errorf("first Write: no entity merged")
	}
	first := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	res = must[graph.WriteResult](t, "second Write")(s.Write(ctx, Corpus()))
	if res.Written != 0 || res.Unchanged != 6 || len(res.Failed) != 0 {
		t.Errorf("second Write: %+v, want 6 unchanged", res)
	}
	second := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if !reflect.DeepEqual(first, second) {
		t.Errorf("Stats changed by writing the same corpus again:\n%+v\n%+v", first, second)
	}
	// One article at a time gives the same graph as the batch.
	s2 := fresh(t, nil)
	for _, x := range Corpus() {
		must[graph.WriteResult](t, "Write one")(s2.Write(ctx, []graph.Extraction{x}))
	}
	if third := must[*graph.Stats](t, "Stats")(s2.Stats(ctx)); !reflect.DeepEqual(first, third) {
		t.Errorf("Stats of one-by-one writes differ from a batch write:\n%+v\n%+v", first, third)
	}
}

func testRewrite(t *testing.T, s graph.Store) {
	before := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	oldIDs := eventIDs(must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: PAK})))

	// The African Lion article loses its African Lion event and dates the
	// 2021 exercise to November 2021.
	x := AfricanLion()
	x.Events = x.Events[1:2]
	x.Events[0].Date = "2021-11"
	res := must[graph.WriteResult](t, "rewrite")(s.Write(ctx, []graph.Extraction{x}))
	if res.Written != 1 || res.Unchanged != 0 || res.Events != 1 {
		t.Errorf("rewrite: %+v, want 1 written with 1 event", res)
	}
	after := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if after.Articles != before.Articles {
		t.Errorf("rewrite: %d articles, want %d", after.Articles, before.Articles)
	}
	if got, want := after.Events[graph.EventExercise], before.Events[graph.EventExercise]-1; got != want {
		t.Errorf("rewrite: %d exercises, want %d", got, want)
	}
	tl := must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: PAK}))
	var dates []string
	for _, e := range tl {
		dates = append(dates, e.Date)
		if e.Subject != nil && e.Subject.Key == AfLion {
			t.Errorf("rewrite: the African Lion event %s is still in PAK's timeline", e.ID)
		}
	}
	if want := []string{"2021-11", "2023-10", "2024-02"}; !slices.Equal(dates, want) {
		t.Errorf("rewrite: PAK timeline dates %v, want %v", dates, want)
	}
	for _, id := range oldIDs {
		if slices.Contains(eventIDs(tl), id) {
			continue
		}
		_, err := s.Neighbors(ctx, id, graph.NeighborOptions{})
		wantCode(t, "Neighbors of a replaced event", err, graph.ENOTFOUND)
	}
	// Writing the original back restores the events.
	must[graph.WriteResult](t, "restore")(s.Write(ctx, []graph.Extraction{AfricanLion()}))
	restored := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if !reflect.DeepEqual(restored.Events, before.Events) || restored.Articles != before.Articles {
		t.Errorf("restore: stats %+v, want events %+v", restored, before.Events)
	}
	got := eventIDs(must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: PAK})))
	if !slices.Equal(sorted(got), sorted(oldIDs)) {
		t.Errorf("restore: PAK events %v, want %v", got, oldIDs)
	}
}

func testInvalid(t *testing.T, s graph.Store) {
	before := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	tx := text("Morocco and Spain signed a defense agreement in 2024.")
	good := graph.Extraction{
		Article: article("https://example.org/en/morocco-spain", "en", "Morocco and Spain", "2024-05-01", tx),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Mentions: []graph.Mention{tx.m("Morocco")}},
			{Key: "ESP", Type: graph.Country, Name: "Spain", Names: map[string]string{"es": "España"}, Mentions: []graph.Mention{tx.m("Spain")}},
		},
		Events: []graph.Event{{Type: graph.EventAgreement, Date: "2024",
			Participants: []graph.Participant{part(MAR, graph.RoleParty), part("ESP", graph.RoleParty)},
			Evidence:     tx.ev(string(tx)), Confidence: 0.9}},
	}
	badParticipant := good
	badParticipant.Article = article("https://example.org/en/bad-participant", "en", "", "", tx)
	badParticipant.Events = []graph.Event{{Type: graph.EventAgreement, Date: "2024",
		Participants: []graph.Participant{part(MAR, graph.RoleParty), part("PRT", graph.RoleParty)},
		Evidence:     tx.ev(string(tx))}}
	badRole := good
	badRole.Article = article("https://example.org/en/bad-role", "en", "", "", tx)
	badRole.Events = []graph.Event{{Type: graph.EventAgreement, Date: "2024",
		Participants: []graph.Participant{part(MAR, graph.RoleBuyer)}, Evidence: tx.ev(string(tx))}}
	noID := good
	noID.Article = graph.Article{Source: "testdata/no-id.txt", Text: string(tx)}

	res := must[graph.WriteResult](t, "Write")(s.Write(ctx, []graph.Extraction{badParticipant, good, badRole, noID}))
	if res.Written != 1 {
		t.Errorf("Write: %d written, want 1", res.Written)
	}
	var failed []string
	for _, f := range res.Failed {
		failed = append(failed, f.Article)
		if f.Reason == "" {
			t.Errorf("Write: failure of %s has no reason", f.Article)
		}
	}
	want := []string{badParticipant.Article.ID, badRole.Article.ID, noID.Article.Source}
	if !slices.Equal(sorted(failed), sorted(want)) {
		t.Errorf("Write: failed %v, want %v", failed, want)
	}
	if _, err := s.Article(ctx, good.Article.ID); err != nil {
		t.Errorf("the valid item was not written: %v", err)
	}
	for _, x := range []graph.Extraction{badParticipant, badRole} {
		_, err := s.Article(ctx, x.Article.ID)
		wantCode(t, "Article of an invalid item", err, graph.ENOTFOUND)
	}
	after := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if after.Articles != before.Articles+1 || after.Events[graph.EventAgreement] != before.Events[graph.EventAgreement]+1 {
		t.Errorf("Stats after a partly invalid write: %+v, want one more article and agreement than %+v", after, before)
	}
}

func testStub(t *testing.T, s graph.Store) {
	tx := text("The Nigerian Navy hosted a maritime exercise in 2024.")
	x := graph.Extraction{
		Article: article("https://example.org/en/nigerian-navy", "en", "", "", tx),
		Entities: []graph.Entity{{Key: "org:NGA:navy", Type: graph.Organization, Name: "Nigerian Navy", Country: "NGA",
			Mentions: []graph.Mention{tx.m("Nigerian Navy")}}},
		Events: []graph.Event{{Type: graph.EventExercise, Date: "2024",
			Participants: []graph.Participant{part("org:NGA:navy", graph.RoleHost)}, Evidence: tx.ev(string(tx)), Confidence: 0.8}},
	}
	must[graph.WriteResult](t, "Write")(s.Write(ctx, []graph.Extraction{x}))
	e, err := s.Entity(ctx, "NGA")
	if err != nil {
		t.Fatalf("Entity of a derived country: %v", err)
	}
	if e.Type != graph.Country || e.Name != "NGA" {
		t.Errorf("stub country: type %q name %q, want Country named by its key", e.Type, e.Name)
	}
	tl := must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: "NGA"}))
	if len(tl) != 1 {
		t.Fatalf("Timeline of the stub country: %d events, want 1", len(tl))
	}
	p := findParticipant(tl[0], "NGA")
	if p == nil || p.Via != "org:NGA:navy" || p.Role != graph.RoleHost {
		t.Errorf("stub country participation: %+v, want host via org:NGA:navy", p)
	}
}

func testConcurrent(t *testing.T, s graph.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			x := Generated(i)
			res, err := s.Write(ctx, []graph.Extraction{x})
			if err == nil && res.Written != 1 {
				err = fmt.Errorf("write %d: %+v", i, res)
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := s.Stats(ctx)
			if err == nil {
				_, err = s.Search(ctx, "generated", graph.SearchOptions{})
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent use: %v", err)
		}
	}
	if st := must[*graph.Stats](t, "Stats")(s.Stats(ctx)); st.Articles != 8 {
		t.Errorf("after 8 concurrent writes: %d articles", st.Articles)
	}
}

// Generated returns a small synthetic extraction, distinct for each i, for
// load and concurrency tests: an exercise between two generated countries
// and an organization of the first.
func Generated(i int) graph.Extraction {
	a, b, org := fmt.Sprintf("G%02d", i%100), fmt.Sprintf("H%02d", i%97), fmt.Sprintf("org:G%02d:army", i%100)
	tx := text(fmt.Sprintf("Generated article %d: the %s army and %s held exercise number %d in 2024.", i, a, b, i))
	return graph.Extraction{
		Article: article(fmt.Sprintf("https://example.org/generated/%d", i), "en", fmt.Sprintf("Generated %d", i), "2024-01-01", tx),
		Entities: []graph.Entity{
			{Key: a, Type: graph.Country, Name: "Generated country " + a, Mentions: []graph.Mention{tx.m(a)}},
			{Key: b, Type: graph.Country, Name: "Generated country " + b, Mentions: []graph.Mention{tx.m(b)}},
			{Key: org, Type: graph.Organization, Name: "Generated army " + a, Country: a, Mentions: []graph.Mention{tx.m(a + " army")}},
		},
		Events: []graph.Event{{Type: graph.EventExercise, Date: "2024",
			Participants: []graph.Participant{part(org, graph.RoleHost), part(b, graph.RoleParticipant)},
			Evidence:     tx.ev(string(tx)), Confidence: 0.5}},
	}
}

// testMentionTexts checks that an entity is found by a text it is only
// mentioned by (not one of its names) while some article mentions it so,
// and no longer once every such article is rewritten without it.
func testMentionTexts(t *testing.T, s graph.Store) {
	zed := func(url string, mentioned bool) graph.Extraction {
		tx := text("Zedonian troops and the Morocco navy joined the drill.")
		x := graph.Extraction{Article: article(url, "en", "Zedonian drill", "2024-03-01", tx),
			Entities: []graph.Entity{{Key: MAR, Type: graph.Country, Name: "Morocco", Mentions: []graph.Mention{tx.m("Morocco")}}}}
		if mentioned {
			x.Entities = append(x.Entities, graph.Entity{Key: "ZZZ", Type: graph.Country, Name: "Zedland",
				Mentions: []graph.Mention{tx.m("Zedonian")}})
		}
		return x
	}
	found := func(q string) bool {
		t.Helper()
		for _, r := range must[[]graph.EntitySummary](t, "Search "+q)(s.Search(ctx, q, graph.SearchOptions{})) {
			if r.Key == "ZZZ" {
				return true
			}
		}
		return false
	}
	a, b := "https://example.org/zed/1", "https://example.org/zed/2"
	must[graph.WriteResult](t, "Write")(s.Write(ctx, []graph.Extraction{zed(a, true), zed(b, true), zed(b, true)}))
	if !found("zedonian") || !found("zedland") {
		t.Fatalf("ZZZ not found by its mention text or its name")
	}
	must[graph.WriteResult](t, "Write")(s.Write(ctx, []graph.Extraction{zed(a, false)}))
	if !found("zedonian") {
		t.Errorf("ZZZ no longer found by a mention text one article still says")
	}
	must[graph.WriteResult](t, "Write")(s.Write(ctx, []graph.Extraction{zed(b, false), zed(b, true), zed(b, false)}))
	if found("zedonian") {
		t.Errorf("ZZZ still found by a mention text no article says any more")
	}
	if !found("zedland") {
		t.Errorf("ZZZ no longer found by its name")
	}
}

func testStats(t *testing.T, s graph.Store) {
	st := must[*graph.Stats](t, "Stats")(s.Stats(ctx))
	if st.Articles != 6 {
		t.Errorf("Stats: %d articles, want 6", st.Articles)
	}
	wantEntities := map[graph.EntityType]int{graph.Country: 7, graph.Organization: 4, graph.Exercise: 2,
		graph.Exhibition: 1, graph.Place: 4, graph.Date: 7}
	for _, ty := range graph.EntityTypes {
		if st.Entities[ty] != wantEntities[ty] {
			t.Errorf("Stats: %d %s entities, want %d", st.Entities[ty], ty, wantEntities[ty])
		}
	}
	wantEvents := map[graph.EventType]int{graph.EventExercise: 3, graph.EventExhibition: 1, graph.EventAgreement: 1,
		graph.EventTraining: 1, graph.EventVisit: 1, graph.EventMeeting: 1}
	for _, ty := range graph.EventTypes {
		if st.Events[ty] != wantEvents[ty] {
			t.Errorf("Stats: %d %s events, want %d", st.Events[ty], ty, wantEvents[ty])
		}
	}
	// Every event has at least its participation, date and report links.
	if st.Links < 8*3 {
		t.Errorf("Stats: %d links, too few for 8 events", st.Links)
	}
}

func keysOf(l []graph.EntitySummary) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Key)
	}
	return out
}

func testSearch(t *testing.T, s graph.Store) {
	first := map[string]string{
		"المغرب":           MAR, // Arabic name
		"Maroc":            MAR, // French name
		"morocco":          MAR, // English, lower case
		"MAROC":            MAR, // upper case
		"المملكه المغربيه": MAR, // taa marbuta written as haa
		"مغربية":           MAR, // without the article al-
		"Moroccan":         MAR, // a mention text, not a name
		"اسلام اباد":       PAK, // mention text إسلام أباد without hamzas
		"pakistan":         PAK, // exact beats the prefix of Pakistan Air Force
		"forces armees":    MarFAR,
		"riyadh":           Riyadh,
		"Indus":            Indus,
	}
	for q, want := range first {
		got := must[[]graph.EntitySummary](t, "Search "+q)(s.Search(ctx, q, graph.SearchOptions{}))
		if len(got) == 0 || got[0].Key != want {
			t.Errorf("Search(%q) = %v, want %s first", q, keysOf(got), want)
		}
	}
	got := must[[]graph.EntitySummary](t, "Search")(s.Search(ctx, "pakistan", graph.SearchOptions{}))
	if k := keysOf(got); len(k) < 2 || k[0] != PAK || k[1] != PakPAF {
		t.Errorf("Search(pakistan) = %v, want PAK (exact) then %s (prefix)", k, PakPAF)
	}
	if got[0].Type != graph.Country || got[0].Name != "Pakistan" || got[0].Events != 4 {
		t.Errorf("Search(pakistan)[0] = %+v, want the country Pakistan with 4 events", got[0])
	}
	got = must[[]graph.EntitySummary](t, "Search")(s.Search(ctx, "pakistan", graph.SearchOptions{Types: []graph.EntityType{graph.Organization}}))
	if k := keysOf(got); !slices.Equal(k, []string{PakPAF}) {
		t.Errorf("Search(pakistan, Organization) = %v, want [%s]", k, PakPAF)
	}
	got = must[[]graph.EntitySummary](t, "Search")(s.Search(ctx, "a", graph.SearchOptions{Limit: 3}))
	if len(got) != 3 {
		t.Errorf("Search(a, Limit 3): %d results", len(got))
	}
	got = must[[]graph.EntitySummary](t, "Search")(s.Search(ctx, "zzzz", graph.SearchOptions{}))
	if len(got) != 0 {
		t.Errorf("Search(zzzz) = %v, want nothing", keysOf(got))
	}
	_, err := s.Search(ctx, "", graph.SearchOptions{})
	wantCode(t, "Search of an empty query", err, graph.EINVALID)
	_, err = s.Search(ctx, " - ", graph.SearchOptions{})
	wantCode(t, "Search of a query that folds to nothing", err, graph.EINVALID)
	_, err = s.Search(ctx, "maroc", graph.SearchOptions{Types: []graph.EntityType{"Weapon"}})
	wantCode(t, "Search with an unknown type", err, graph.EINVALID)

	// The default limit is 20.
	var more []graph.Extraction
	for i := range 25 {
		more = append(more, Generated(i))
	}
	must[graph.WriteResult](t, "Write generated")(s.Write(ctx, more))
	got = must[[]graph.EntitySummary](t, "Search")(s.Search(ctx, "generated country", graph.SearchOptions{}))
	if len(got) != 20 {
		t.Errorf("Search(generated country): %d results, want the default limit 20", len(got))
	}
}

func testEntity(t *testing.T, s graph.Store) {
	e := must[*graph.EntityDetail](t, "Entity MAR")(s.Entity(ctx, MAR))
	if e.Key != MAR || e.Type != graph.Country || e.Name != "Morocco" {
		t.Errorf("Entity(MAR) = %s %s %q", e.Key, e.Type, e.Name)
	}
	if e.Names["ar"] != "المغرب" || e.Names["fr"] != "Maroc" {
		t.Errorf("Entity(MAR) names %v, want ar المغرب and fr Maroc", e.Names)
	}
	all := e.AllNames()
	for _, n := range []string{"المملكة المغربية", "Royaume du Maroc"} { // aliases from two articles
		if !slices.Contains(all, n) {
			t.Errorf("Entity(MAR) names %v lack %q", all, n)
		}
	}
	// MAR takes part in 6 events: Indus Shield and the WDS visit through the
	// Royal Armed Forces, African Lion, the 2021 exercise, the agreement and
	// the training through the Royal Armed Forces.
	want := graph.EntityCounts{Events: 6, Articles: 3, Mentions: countMentions(MAR)}
	if e.Counts != want {
		t.Errorf("Entity(MAR) counts %+v, want %+v", e.Counts, want)
	}
	ex := must[*graph.EntityDetail](t, "Entity exercise")(s.Entity(ctx, Indus))
	if ex.Type != graph.Exercise || ex.Counts.Events != 1 || ex.Counts.Articles != 1 || ex.Counts.Mentions != 1 {
		t.Errorf("Entity(%s) = %s %+v, want an exercise with 1 event, 1 article, 1 mention", Indus, ex.Type, ex.Counts)
	}
	org := must[*graph.EntityDetail](t, "Entity org")(s.Entity(ctx, PakPAF))
	if org.Country != PAK || org.Type != graph.Organization || !slices.Contains(org.AllNames(), "PAF") {
		t.Errorf("Entity(%s) = %+v", PakPAF, org)
	}
	sau := must[*graph.EntityDetail](t, "Entity SAU")(s.Entity(ctx, SAU))
	if sau.Name != "Saudi Arabia" || sau.Type != graph.Country {
		t.Errorf("Entity(SAU) = %s %q: the stub made for Riyadh's country must take the name an article gives", sau.Type, sau.Name)
	}
	d := must[*graph.EntityDetail](t, "Entity date")(s.Entity(ctx, "2023-10"))
	if d.Type != graph.Date || d.Name != graph.DateName("2023-10") || d.Counts.Events != 1 {
		t.Errorf("Entity(2023-10) = %s %q %+v, want the Date node named %q with 1 event", d.Type, d.Name, d.Counts, graph.DateName("2023-10"))
	}
	_, err := s.Entity(ctx, "XXX")
	wantCode(t, "Entity of an unknown key", err, graph.ENOTFOUND)
}

// countMentions counts the mentions of key in the corpus.
func countMentions(key string) int {
	n := 0
	for _, x := range Corpus() {
		for _, e := range x.Entities {
			if e.Key == key {
				n += len(e.Mentions)
			}
		}
	}
	return n
}

func nodeKeys(g *graph.Subgraph) map[string]graph.Node {
	out := map[string]graph.Node{}
	for _, n := range g.Nodes {
		out[n.Key] = n
	}
	return out
}

// checkSubgraph checks what every subgraph promises: the root is in, every
// edge joins two nodes of the result, links to events carry the event type.
func checkSubgraph(t *testing.T, what string, g *graph.Subgraph, root string) map[string]graph.Node {
	t.Helper()
	nodes := nodeKeys(g)
	if len(nodes) != len(g.Nodes) {
		t.Errorf("%s: duplicate nodes", what)
	}
	if _, ok := nodes[root]; !ok {
		t.Errorf("%s: the root %s is not among the nodes", what, root)
	}
	for _, e := range g.Edges {
		src, ok1 := nodes[e.Source]
		dst, ok2 := nodes[e.Target]
		if !ok1 || !ok2 {
			t.Errorf("%s: edge %+v leaves the subgraph", what, e)
			continue
		}
		if (src.Kind == "event" || dst.Kind == "event") && e.EventType == "" {
			t.Errorf("%s: edge %+v to an event has no event type", what, e)
		}
		if e.Type == graph.RelParticipatedIn && (e.Role == "" || dst.Kind != "event") {
			t.Errorf("%s: participation edge %+v lacks a role or an event target", what, e)
		}
	}
	for _, n := range g.Nodes {
		if n.Kind == "event" && !graph.EventType(n.Type).Valid() || n.Kind == "entity" && !graph.EntityType(n.Type).Valid() {
			t.Errorf("%s: node %+v has kind %q and type %q", what, n.Key, n.Kind, n.Type)
		}
		if n.Name == "" {
			t.Errorf("%s: node %s has no name", what, n.Key)
		}
	}
	return nodes
}

func eventsIn(nodes map[string]graph.Node) (types []string, dates []string) {
	for _, n := range nodes {
		if n.Kind == "event" {
			types = append(types, n.Type)
			dates = append(dates, n.Date)
		}
	}
	sort.Strings(types)
	sort.Strings(dates)
	return types, dates
}

func testNeighbors(t *testing.T, s graph.Store) {
	nb := func(key string, o graph.NeighborOptions) (*graph.Subgraph, map[string]graph.Node) {
		t.Helper()
		what := fmt.Sprintf("Neighbors(%s, %+v)", key, o)
		g := must[*graph.Subgraph](t, what)(s.Neighbors(ctx, key, o))
		return g, checkSubgraph(t, what, g, key)
	}
	has := func(what string, nodes map[string]graph.Node, yes, no []string) {
		t.Helper()
		for _, k := range yes {
			if _, ok := nodes[k]; !ok {
				t.Errorf("%s lacks %s", what, k)
			}
		}
		for _, k := range no {
			if _, ok := nodes[k]; ok {
				t.Errorf("%s holds %s", what, k)
			}
		}
	}

	g, nodes := nb(MAR, graph.NeighborOptions{Depth: 1})
	has("depth 1 around MAR", nodes, []string{MAR, PAK, FRA, MarFAR, PakPAF, FraArmy, Indus, AfLion, WDS, Riyadh, Agadir, Rabat},
		[]string{IND, SAU, IndArmy, JPN, "2021", "2023-10"})
	if types, _ := eventsIn(nodes); len(types) != 6 {
		t.Errorf("depth 1 around MAR: events %v, want MAR's 6", types)
	}
	if g.Truncated {
		t.Errorf("depth 1 around MAR: truncated")
	}
	var via bool
	for _, e := range g.Edges {
		if e.Source == MAR && e.Type == graph.RelParticipatedIn && e.Via == MarFAR && e.EventType == graph.EventExercise && e.Date == "2023-10" {
			via = true
		}
	}
	if !via {
		t.Errorf("depth 1 around MAR: no PARTICIPATED_IN edge from MAR via %s to the October 2023 exercise: %+v", MarFAR, g.Edges)
	}

	_, nodes = nb(MAR, graph.NeighborOptions{Depth: 2})
	has("depth 2 around MAR", nodes, []string{IND, SAU, IndArmy}, []string{JPN, AUS, Tokyo})
	_, nodes = nb(MAR, graph.NeighborOptions{Depth: 3})
	has("depth 3 around MAR", nodes, []string{IND, SAU, IndArmy}, []string{JPN, AUS, Tokyo})

	_, nodes = nb(MAR, graph.NeighborOptions{EventTypes: []graph.EventType{graph.EventAgreement}})
	if types, _ := eventsIn(nodes); !slices.Equal(types, []string{"AGREEMENT"}) {
		t.Errorf("MAR's agreements: events %v", types)
	}
	has("MAR's agreements", nodes, []string{FRA, Rabat}, []string{PAK, PakPAF})

	_, nodes = nb(MAR, graph.NeighborOptions{From: "2023", To: "2023"})
	if _, dates := eventsIn(nodes); !slices.Equal(dates, []string{"2023-06", "2023-10"}) {
		t.Errorf("MAR's 2023 events: dates %v", dates)
	}
	has("MAR's 2023 events", nodes, []string{PAK, PakPAF}, []string{FRA, WDS})
	_, nodes = nb(MAR, graph.NeighborOptions{From: "2023-10-15"})
	if _, dates := eventsIn(nodes); !slices.Equal(dates, []string{"2023-10", "2024-02"}) {
		t.Errorf("MAR's events from 2023-10-15: dates %v (undated dropped, October 2023 kept)", dates)
	}

	_, nodes = nb(MAR, graph.NeighborOptions{NodeTypes: []graph.EntityType{graph.Country}})
	for _, n := range nodes {
		if n.Kind == "entity" && n.Type != string(graph.Country) {
			t.Errorf("countries around MAR: node %s is a %s", n.Key, n.Type)
		}
	}
	has("countries around MAR", nodes, []string{PAK, FRA}, nil)
	if types, _ := eventsIn(nodes); len(types) != 6 {
		t.Errorf("countries around MAR: events %v, want all 6 kept", types)
	}

	_, nodes = nb(MAR, graph.NeighborOptions{NodeTypes: []graph.EntityType{graph.Country, graph.Date}})
	if d, ok := nodes["2023-10"]; !ok || d.Type != string(graph.Date) || d.Name != graph.DateName("2023-10") {
		t.Errorf("with dates around MAR: date node 2023-10 = %+v", d)
	}

	g, nodes = nb(MAR, graph.NeighborOptions{Depth: 2, Limit: 5})
	if len(g.Nodes) > 5 || !g.Truncated {
		t.Errorf("Limit 5: %d nodes, truncated %v", len(g.Nodes), g.Truncated)
	}

	// From an event: its participants, subject and place.
	tl := must[[]graph.EventDetail](t, "Timeline")(s.Timeline(ctx, graph.TimelineQuery{Entity: Indus}))
	if len(tl) != 1 {
		t.Fatalf("Timeline(%s): %d events", Indus, len(tl))
	}
	g, nodes = nb(tl[0].ID, graph.NeighborOptions{})
	has("around the Indus Shield event", nodes, []string{tl[0].ID, Indus, MarFAR, PakPAF, MAR, PAK}, []string{"2023-10", FRA})
	if g.Root != tl[0].ID || nodes[tl[0].ID].Kind != "event" {
		t.Errorf("around the Indus Shield event: root %q, node %+v", g.Root, nodes[tl[0].ID])
	}
	_, nodes = nb(tl[0].ID, graph.NeighborOptions{NodeTypes: []graph.EntityType{graph.Date}})
	has("dates of the Indus Shield event", nodes, []string{"2023-10"}, []string{MAR})

	_, err := s.Neighbors(ctx, "XXX", graph.NeighborOptions{})
	wantCode(t, "Neighbors of an unknown key", err, graph.ENOTFOUND)
	for _, d := range []int{-1, graph.MaxDepth + 1} {
		_, err = s.Neighbors(ctx, MAR, graph.NeighborOptions{Depth: d})
		wantCode(t, fmt.Sprintf("Neighbors at depth %d", d), err, graph.EINVALID)
	}
}

func eventIDs(l []graph.EventDetail) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.ID)
	}
	return out
}

func sorted(l []string) []string {
	l = slices.Clone(l)
	sort.Strings(l)
	return l
}

func findParticipant(e graph.EventDetail, key string) *graph.ParticipantDetail {
	for i := range e.Participants {
		if e.Participants[i].Entity == key {
			return &e.Participants[i]
		}
	}
	return nil
}

func testTimeline(t *testing.T, s graph.Store) {
	texts := map[string]string{}
	for _, x := range Corpus() {
		texts[x.Article.ID] = x.Article.Text
	}
	tl := must[[]graph.EventDetail](t, "Timeline MAR")(s.Timeline(ctx, graph.TimelineQuery{Entity: MAR}))
	var dates []string
	for _, e := range tl {
		dates = append(dates, e.Date)
	}
	if want := []string{"2021", "2022-03-12", "2023-06", "2023-10", "2024-02", ""}; !slices.Equal(dates, want) {
		t.Fatalf("Timeline(MAR) dates %v, want %v (undated last)", dates, want)
	}
	for _, e := range tl {
		if len(e.Evidence) == 0 {
			t.Errorf("event %s has no evidence", e.ID)
		}
		for _, v := range e.Evidence {
			r := []rune(texts[v.Article.ID])
			if v.Start < 0 || v.End > len(r) || v.Start > v.End || string(r[v.Start:v.End]) != v.Text {
				t.Errorf("event %s: evidence %q at [%d,%d) is not that span of article %s", e.ID, v.Text, v.Start, v.End, v.Article.ID)
			}
		}
		if e.Confidence <= 0 || e.Confidence > 1 {
			t.Errorf("event %s: confidence %v", e.ID, e.Confidence)
		}
	}
	// The 2021 exercise is stated twice in one article: one event, with
	// both participants.
	ex := tl[0]
	if ex.Type != graph.EventExercise || len(ex.Participants) != 2 || ex.Subject != nil {
		t.Errorf("the 2021 exercise: %+v", ex)
	}
	// Indus Shield: participants by name, type and role; MAR and PAK through
	// their organizations.
	is := tl[3]
	if is.Subject == nil || is.Subject.Key != Indus || is.Subject.Name != "Indus Shield" || is.Edition != 2023 {
		t.Errorf("Indus Shield event subject %+v edition %d", is.Subject, is.Edition)
	}
	if len(is.Evidence) != 1 || is.Evidence[0].Article.ID != IndusShield().Article.ID || is.Evidence[0].Article.Language != "ar" ||
		is.Evidence[0].Article.URL != artIndus {
		t.Errorf("Indus Shield evidence %+v", is.Evidence)
	}
	wantP := []graph.ParticipantDetail{
		{Entity: MarFAR, Type: graph.Organization, Name: "Royal Armed Forces", Country: MAR, Role: graph.RoleParticipant},
		{Entity: PakPAF, Type: graph.Organization, Name: "Pakistan Air Force", Country: PAK, Role: graph.RoleOrganizer},
		{Entity: MAR, Type: graph.Country, Name: "Morocco", Role: graph.RoleParticipant, Via: MarFAR},
		{Entity: PAK, Type: graph.Country, Name: "Pakistan", Role: graph.RoleOrganizer, Via: PakPAF},
	}
	gotP := slices.Clone(is.Participants)
	byEntity := func(a, b graph.ParticipantDetail) int { return strings.Compare(a.Entity, b.Entity) }
	slices.SortFunc(gotP, byEntity)
	slices.SortFunc(wantP, byEntity)
	if !reflect.DeepEqual(gotP, wantP) {
		t.Errorf("Indus Shield participants\n%+v\nwant\n%+v", gotP, wantP)
	}
	// The WDS visit is held in Riyadh.
	if w := tl[4]; w.Place == nil || w.Place.Key != Riyadh || w.Subject == nil || w.Subject.Key != WDS {
		t.Errorf("WDS event place %+v subject %+v", w.Place, w.Subject)
	}

	// With: the events of both.
	with := must[[]graph.EventDetail](t, "Timeline MAR with FRA")(s.Timeline(ctx, graph.TimelineQuery{Entity: MAR, With: FRA}))
	var types []graph.EventType
	for _, e := range with {
		types = append(types, e.Type)
	}
	if !slices.Equal(types, []graph.EventType{graph.EventAgreement, graph.EventTraining}) {
		t.Errorf("Timeline(MAR with FRA) = %v, want the agreement then the undated training", types)
	}
	if len(with) == 2 {
		if p := findParticipant(with[1], FRA); p == nil || p.Via != FraArmy || p.Role != graph.RoleTrainer {
			t.Errorf("training: FRA takes part as %+v, want trainer via %s", p, FraArmy)
		}
	}
	with = must[[]graph.EventDetail](t, "Timeline PAK with MAR")(s.Timeline(ctx, graph.TimelineQuery{Entity: PAK, With: MAR}))
	if len(with) != 4 {
		t.Errorf("Timeline(PAK with MAR): %d events, want 4", len(with))
	}
	ty := must[[]graph.EventDetail](t, "Timeline types")(s.Timeline(ctx, graph.TimelineQuery{Entity: MAR, EventTypes: []graph.EventType{graph.EventExercise}}))
	if len(ty) != 3 {
		t.Errorf("Timeline(MAR, EXERCISE): %d events, want 3", len(ty))
	}
	ra := must[[]graph.EventDetail](t, "Timeline range")(s.Timeline(ctx, graph.TimelineQuery{Entity: MAR, From: "2022", To: "2023-06"}))
	if len(ra) != 2 || ra[0].Date != "2022-03-12" || ra[1].Date != "2023-06" {
		t.Errorf("Timeline(MAR, 2022..2023-06) = %v", eventIDs(ra))
	}
	li := must[[]graph.EventDetail](t, "Timeline limit")(s.Timeline(ctx, graph.TimelineQuery{Entity: MAR, Limit: 2}))
	if len(li) != 2 || li[0].ID != tl[0].ID || li[1].ID != tl[1].ID {
		t.Errorf("Timeline(MAR, Limit 2) = %v, want the first two of %v", eventIDs(li), eventIDs(tl))
	}
	// An organization sees its own events only.
	org := must[[]graph.EventDetail](t, "Timeline org")(s.Timeline(ctx, graph.TimelineQuery{Entity: PakPAF}))
	if len(org) != 1 || org[0].ID != is.ID {
		t.Errorf("Timeline(%s) = %v, want only Indus Shield", PakPAF, eventIDs(org))
	}
	_, err := s.Timeline(ctx, graph.TimelineQuery{Entity: "XXX"})
	wantCode(t, "Timeline of an unknown entity", err, graph.ENOTFOUND)
	_, err = s.Timeline(ctx, graph.TimelineQuery{Entity: MAR, With: "XXX"})
	wantCode(t, "Timeline with an unknown entity", err, graph.ENOTFOUND)
}

func testPath(t *testing.T, s graph.Store) {
	check := func(from, to string, wantLen int) {
		t.Helper()
		p, err := s.ShortestPath(ctx, from, to, 0)
		if err != nil {
			t.Errorf("ShortestPath(%s, %s): %v", from, to, err)
			return
		}
		if len(p.Nodes) == 0 || p.Nodes[0].Key != from || p.Nodes[len(p.Nodes)-1].Key != to {
			t.Errorf("ShortestPath(%s, %s): nodes %v", from, to, p.Nodes)
			return
		}
		if len(p.Edges) != len(p.Nodes)-1 || len(p.Edges) != wantLen {
			t.Errorf("ShortestPath(%s, %s): %d nodes and %d edges, want %d edges", from, to, len(p.Nodes), len(p.Edges), wantLen)
			return
		}
		for i, e := range p.Edges {
			a, b := p.Nodes[i].Key, p.Nodes[i+1].Key
			if !(e.Source == a && e.Target == b || e.Source == b && e.Target == a) {
				t.Errorf("ShortestPath(%s, %s): edge %d %+v does not join %s and %s", from, to, i, e, a, b)
			}
			switch e.Type {
			case graph.RelParticipatedIn, graph.RelAbout, graph.RelHeldIn, graph.RelPartOf, graph.RelLocatedIn:
			default:
				t.Errorf("ShortestPath(%s, %s): edge of type %s", from, to, e.Type)
			}
		}
		for _, n := range p.Nodes {
			if n.Type == string(graph.Date) {
				t.Errorf("ShortestPath(%s, %s) goes through the date %s", from, to, n.Key)
			}
		}
	}
	// IND -> the visit -> Riyadh -> the WDS event -> PAK.
	check(IND, PAK, 4)
	// FRA -> the agreement -> MAR -> an exercise -> PAK.
	check(FRA, PAK, 4)
	check(MAR, PAK, 2)
	check(MarFAR, MAR, 1)

	_, err := s.ShortestPath(ctx, FRA, PAK, 3)
	wantCode(t, "ShortestPath beyond maxDepth", err, graph.ENOTFOUND)
	_, err = s.ShortestPath(ctx, MAR, JPN, 0)
	wantCode(t, "ShortestPath to an island", err, graph.ENOTFOUND)
	_, err = s.ShortestPath(ctx, MAR, "XXX", 0)
	wantCode(t, "ShortestPath to an unknown key", err, graph.ENOTFOUND)
	if err != nil && !strings.Contains(graph.ErrorMessage(err), "XXX") {
		t.Errorf("ShortestPath to an unknown key: message %q does not name it", graph.ErrorMessage(err))
	}
	_, err = s.ShortestPath(ctx, "XXX", MAR, 0)
	wantCode(t, "ShortestPath from an unknown key", err, graph.ENOTFOUND)
}

func testArticle(t *testing.T, s graph.Store) {
	x := FranceMorocco()
	a := must[*graph.ArticleDetail](t, "Article")(s.Article(ctx, x.Article.ID))
	if a.ID != x.Article.ID || a.Text != x.Article.Text || a.Title != x.Article.Title || a.Language != "fr" ||
		a.Published != x.Article.Published || a.URL != x.Article.URL {
		t.Errorf("Article: %+v, want %+v", a.Article, x.Article)
	}
	var types []string
	for _, e := range a.Events {
		types = append(types, string(e.Type))
		if len(e.Evidence) == 0 || e.Evidence[0].Article.ID != x.Article.ID {
			t.Errorf("Article: event %s evidence %+v", e.ID, e.Evidence)
		}
	}
	if !slices.Equal(sorted(types), []string{"AGREEMENT", "TRAINING"}) {
		t.Errorf("Article: events %v", types)
	}
	var want []string
	for _, e := range x.Entities {
		want = append(want, e.Key)
	}
	if got := keysOf(a.Entities); !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("Article: entities %v, want %v", got, want)
	}
	// Every mention of the extraction, in text order, slicing the text.
	var wantM []string
	for _, e := range x.Entities {
		for _, m := range e.Mentions {
			wantM = append(wantM, fmt.Sprintf("%06d-%06d %s %s %s", m.Start, m.End, e.Key, e.Type, m.Text))
		}
	}
	var gotM []string
	runes := []rune(a.Text)
	for i, m := range a.Mentions {
		gotM = append(gotM, fmt.Sprintf("%06d-%06d %s %s %s", m.Start, m.End, m.Entity, m.Type, m.Text))
		if m.Start < 0 || m.End > len(runes) || string(runes[m.Start:m.End]) != m.Text {
			t.Errorf("Article: mention %+v does not slice the text", m)
		}
		if i > 0 && a.Mentions[i-1].Start > m.Start {
			t.Errorf("Article: mentions not ordered by start at %d", i)
		}
	}
	if !slices.Equal(gotM, sorted(wantM)) {
		t.Errorf("Article: mentions\n%v\nwant\n%v", gotM, sorted(wantM))
	}
	_, err := s.Article(ctx, "sha256:0000")
	wantCode(t, "Article of an unknown id", err, graph.ENOTFOUND)
}
