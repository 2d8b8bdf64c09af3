package graph

import (
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"testing"
)

var ents = map[string]Entity{
	"MAR":                        {Key: "MAR", Type: Country},
	"PAK":                        {Key: "PAK", Type: Country},
	"USA":                        {Key: "USA", Type: Country},
	"org:MAR:royal-armed-forces": {Key: "org:MAR:royal-armed-forces", Type: Organization, Country: "MAR"},
	"org:PAK:air-force":          {Key: "org:PAK:air-force", Type: Organization, Country: "PAK"},
}

func report(article, url string, ev Event) Report {
	return Report{ArticleID: article, ArticleURL: url, Event: ev, Links: ActorLinks(ev, ents)}
}

func TestEventKey(t *testing.T) {
	indus := Event{Type: EventExercise, Subject: "exercise:indus-shield", Edition: 2023, Date: "2023-10",
		Participants: []Participant{{"org:MAR:royal-armed-forces", RoleParticipant}}}
	other := indus
	other.Edition, other.Date = 0, "2023"
	other.Participants = []Participant{{"PAK", RoleOrganizer}}
	if EventKey(indus, ents) != EventKey(other, ents) {
		t.Errorf("the same edition named two ways: %q vs %q", EventKey(indus, ents), EventKey(other, ents))
	}
	next := indus
	next.Edition, next.Date = 2024, "2024-10"
	if EventKey(indus, ents) == EventKey(next, ents) {
		t.Error("two editions share a key")
	}
	a := Event{Type: EventAgreement, Date: "2021-11-24", Participants: []Participant{{"org:MAR:royal-armed-forces", RoleParty}, {"PAK", RoleParty}}}
	b := Event{Type: EventAgreement, Date: "2021-11", Participants: []Participant{{"PAK", RoleParty}, {"MAR", RoleParty}}}
	c := Event{Type: EventAgreement, Date: "2022", Participants: b.Participants}
	d := Event{Type: EventAgreement, Date: "2021", Participants: []Participant{{"PAK", RoleParty}, {"USA", RoleParty}}}
	if EventKey(a, ents) != EventKey(b, ents) {
		t.Error("the same agreement, one side named by its armed force, got two keys")
	}
	if EventKey(b, ents) == EventKey(c, ents) || EventKey(b, ents) == EventKey(d, ents) {
		t.Error("other year or other parties share a key")
	}
}

func TestConsolidate(t *testing.T) {
	e1 := Event{Type: EventExercise, Subject: "exercise:indus-shield", Edition: 2023, Date: "2023-10", Confidence: 0.8,
		Participants: []Participant{{"org:MAR:royal-armed-forces", RoleParticipant}, {"org:PAK:air-force", RoleOrganizer}}}
	e2 := Event{Type: EventExercise, Subject: "exercise:indus-shield", Edition: 2023, Date: "2023-10-12", Confidence: 0.5, Place: "place:PAK:sargodha",
		Participants: []Participant{{"MAR", RoleParticipant}, {"PAK", RoleHost}, {"USA", RoleObserver}}}
	e3 := Event{Type: EventExercise, Subject: "exercise:indus-shield", Edition: 2023, Date: "2023", Confidence: 0.6,
		Participants: []Participant{{"PAK", RoleOrganizer}}}
	rs := []Report{
		report("sha256:a", "https://www.example.org/1", e1),
		report("sha256:b", "https://example.org/2", e2),
		report("sha256:c", "", e3),
	}
	key := EventKey(e1, ents)
	c := Consolidate(key, rs)
	if c.ID != ConsolidatedID(key) || c.Date != "2023-10-12" || c.Place != "place:PAK:sargodha" || c.Edition != 2023 {
		t.Errorf("consolidated: %+v", c)
	}
	if c.Sources != 2 || c.Articles != 3 {
		t.Errorf("sources %d articles %v", c.Sources, c.Articles)
	}
	if want := 1 - 0.2*0.5*0.4; c.Confidence < want-0.001 || c.Confidence > want+0.001 {
		t.Errorf("confidence %v, want %v", c.Confidence, want)
	}
	want := []ActorLink{
		{Entity: "MAR", Role: RoleParticipant},
		{Entity: "PAK", Role: RoleOrganizer},
		{Entity: "USA", Role: RoleObserver},
		{Entity: "org:MAR:royal-armed-forces", Role: RoleParticipant},
		{Entity: "org:PAK:air-force", Role: RoleOrganizer},
	}
	if !reflect.DeepEqual(c.Links, want) {
		t.Errorf("links\n%+v\nwant\n%+v", c.Links, want)
	}
	// Order does not matter.
	for i := 0; i < 20; i++ {
		sh := append([]Report(nil), rs...)
		rand.Shuffle(len(sh), func(a, b int) { sh[a], sh[b] = sh[b], sh[a] })
		if got := Consolidate(key, sh); !reflect.DeepEqual(got, c) {
			t.Fatalf("order changed the result: %+v vs %+v", got, c)
		}
	}
	// A country known only through its organization keeps Via.
	only := Consolidate(key, rs[:1])
	if only.Links[0].Entity != "MAR" || only.Links[0].Via != "org:MAR:royal-armed-forces" {
		t.Errorf("via lost: %+v", only.Links)
	}
}

func TestConsolidateDate(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"2023"}, "2023"},
		{[]string{"2023", "2023-10", "2023-10-12"}, "2023-10-12"},
		{[]string{"2023-10-12", "2023-10-13", "2023-10"}, "2023-10"},
		{[]string{"2023-10-12", "2023-11", "2023-11"}, "2023-11"},
		{[]string{"2023-10-12", "2023-11-01"}, "2023-10-12"},
	} {
		counts := map[string]int{}
		for _, d := range c.in {
			counts[d]++
		}
		if got := consolidateDate(counts); got != c.want {
			t.Errorf("%v: %q, want %q", c.in, got, c.want)
		}
	}
}

// TestTallyIncremental adds and removes articles' reports in random order
// and checks, after every step, that the tally (also through a JSON round
// trip, as stores keep it) gives exactly Consolidate of the reports left.
func TestTallyIncremental(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	subjects := []string{"exercise:indus-shield"}
	hosts := []string{"", "https://example.org/", "https://www.news.example/", "http://other.example/"}
	roles := []Role{RoleParticipant, RoleOrganizer, RoleHost, RoleObserver}
	actors := []string{"MAR", "PAK", "USA", "org:MAR:royal-armed-forces", "org:PAK:air-force"}
	dates := []string{"", "2023", "2023-10", "2023-10-12", "2023-10-13", "2023-11"}
	// articles[i] holds the reports of article i about the key.
	var articles [][]Report
	for i := 0; i < 40; i++ {
		id := "sha256:" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		url := hosts[rng.Intn(len(hosts))]
		if url != "" {
			url += id
		}
		var rs []Report
		for j := 0; j <= rng.Intn(3); j++ {
			ev := Event{Type: EventExercise, Subject: subjects[0], Edition: []int{0, 2023}[rng.Intn(2)],
				Date: dates[rng.Intn(len(dates))], Confidence: float64(rng.Intn(11)) / 10,
				Evidence: Evidence{Start: j * 10}}
			if rng.Intn(2) == 0 {
				ev.Place = []string{"place:PAK:sargodha", "place:PAK:karachi"}[rng.Intn(2)]
			}
			for k := 0; k <= rng.Intn(3); k++ {
				ev.Participants = append(ev.Participants, Participant{actors[rng.Intn(len(actors))], roles[rng.Intn(len(roles))]})
			}
			rs = append(rs, report(id, url, ev))
		}
		articles = append(articles, rs)
	}
	key := EventKey(articles[0][0].Event, ents)
	in := map[int]bool{}
	var tally Tally
	for step := 0; step < 400; step++ {
		i := rng.Intn(len(articles))
		if in[i] {
			tally.Remove(articles[i]...)
		} else {
			tally.Add(articles[i]...)
		}
		in[i] = !in[i]
		b, err := json.Marshal(&tally)
		if err != nil {
			t.Fatal(err)
		}
		if fast := tally.AppendJSON(nil); string(fast) != string(b) {
			t.Fatalf("step %d: AppendJSON\n%s\nencoding/json\n%s", step, fast, b)
		}
		var back Tally
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		var left []Report
		for j := range articles {
			if in[j] {
				left = append(left, articles[j]...)
			}
		}
		want := Consolidate(key, left)
		if got := back.Consolidated(key); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: tally gives\n%+v\nConsolidate gives\n%+v", step, got, want)
		}
		if back.Empty() != (len(left) == 0) {
			t.Fatalf("step %d: Empty() = %v with %d reports left", step, back.Empty(), len(left))
		}
		tally = back
	}
	for i := range articles {
		if in[i] {
			tally.Remove(articles[i]...)
		}
	}
	if !tally.Empty() || !reflect.DeepEqual(tally, Tally{}) {
		t.Errorf("every report removed, the tally keeps %+v", tally)
	}
}

// AppendJSON writes what encoding/json writes, keys that need escaping
// included.
func TestTallyAppendJSON(t *testing.T) {
	var tally Tally
	tally.Add(report("sha256:x", "https://a.example/<1>", Event{Type: EventVisit, Subject: "a\"b<c>&\u2028d\x01",
		Edition: 2024, Date: "2024-05", Place: "place:\\x", Confidence: 0.5,
		Participants: []Participant{{"org:MAR:royal-armed-forces", RoleVisitor}, {"ÉTAT", RoleHost}}}))
	tally.Add(report("sha256:y", "", Event{Type: EventVisit, Edition: 10, Participants: []Participant{{"MAR", RoleHost}}}))
	want, _ := json.Marshal(&tally)
	if got := tally.AppendJSON(nil); string(got) != string(want) {
		t.Errorf("AppendJSON\n%s\nencoding/json\n%s", got, want)
	}
	var empty Tally
	want, _ = json.Marshal(&empty)
	if got := empty.AppendJSON(nil); string(got) != string(want) {
		t.Errorf("empty: AppendJSON %s, encoding/json %s", got, want)
	}
}

// appendExtractionJSON writes exactly what encoding/json writes, and
// ContentHash is the digest of encoding/json's bytes, on extractions with
// every kind of field: empty and nil slices, maps, texts to escape
// (HTML, control characters, invalid UTF-8, U+2028), floats of every size.
func TestExtractionJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(3))
	pieces := []string{"", "Maroc", "المغرب", "a<b>&c", "line\nbreak\ttab", "quote\"back\\slash", "\x01\x1f", "bad\xffutf8", "sep\u2028\u2029", "é", "🛡"}
	str := func() string {
		var s string
		for range rnd.Intn(3) {
			s += pieces[rnd.Intn(len(pieces))]
		}
		return s
	}
	floats := []float64{0, 1, 0.5, 0.123456789, 1e-7, 3.2e-12, 1e21, 2.5e22, -0.75, 1e20, 123456789.125, math.SmallestNonzeroFloat64, math.MaxFloat64}
	for i := range 500 {
		x := Extraction{Article: Article{ID: str(), URL: str(), Title: str(), Language: str(), Published: str(), Source: str(), Text: str()}}
		if rnd.Intn(4) > 0 {
			x.Entities = []Entity{}
			for range rnd.Intn(4) {
				e := Entity{Key: str(), Type: EntityType(str()), Name: str(), Country: str(), Year: rnd.Intn(3) * 2023}
				if rnd.Intn(2) == 0 {
					e.Names = map[string]string{}
					for range rnd.Intn(4) {
						e.Names[str()] = str()
					}
				}
				if rnd.Intn(2) == 0 {
					e.Aliases = []string{}
					for range rnd.Intn(3) {
						e.Aliases = append(e.Aliases, str())
					}
				}
				for range rnd.Intn(3) {
					e.Mentions = append(e.Mentions, Mention{Text: str(), Start: rnd.Intn(100), End: rnd.Intn(100)})
				}
				x.Entities = append(x.Entities, e)
			}
		}
		if rnd.Intn(4) > 0 {
			x.Events = []Event{}
			for range rnd.Intn(4) {
				e := Event{ID: str(), Type: EventType(str()), Subject: str(), Edition: rnd.Intn(3) * 2022, Place: str(), Date: str(),
					Evidence: Evidence{Text: str(), Start: rnd.Intn(50), End: rnd.Intn(50)}, Confidence: floats[rnd.Intn(len(floats))]}
				if rnd.Intn(3) > 0 {
					e.Participants = []Participant{}
					for range rnd.Intn(3) {
						e.Participants = append(e.Participants, Participant{Entity: str(), Role: Role(str())})
					}
				}
				x.Events = append(x.Events, e)
			}
		}
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendExtractionJSON(nil, &x, false)
		if !ok || string(got) != string(want) {
			t.Fatalf("extraction %d:\n got %s\nwant %s", i, got, want)
		}
		if fast, slow := ContentHash(&x), contentHashSlow(&x); fast != slow {
			t.Fatalf("extraction %d: ContentHash %s, through encoding/json %s", i, fast, slow)
		}
	}
	// What encoding/json refuses still has a hash.
	x := Extraction{Article: Article{ID: "a"}, Events: []Event{{Confidence: math.NaN()}}}
	if _, ok := appendExtractionJSON(nil, &x, true); ok {
		t.Error("a NaN confidence was written")
	}
	if ContentHash(&x) == "" {
		t.Error("no hash for a NaN confidence")
	}
}
