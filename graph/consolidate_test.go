package graph

import (
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
	if c.Sources != 2 || !reflect.DeepEqual(c.Articles, []string{"sha256:a", "sha256:b", "sha256:c"}) {
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
		if got := consolidateDate(c.in); got != c.want {
			t.Errorf("%v: %q, want %q", c.in, got, c.want)
		}
	}
}
