package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

func pred() graph.Extraction {
	return graph.Extraction{
		Article: graph.Article{ID: "a", Language: "en"},
		Entities: []graph.Entity{
			{Key: "MAR", Type: graph.Country, Name: "Morocco"},
			{Key: "PAK", Type: graph.Country, Name: "Pakistan"},
			{Key: "org:PAK:air-force", Type: graph.Organization, Name: "Pakistan Air Force", Country: "PAK"},
			{Key: "org:MAR:royal-armed-forces", Type: graph.Organization, Name: "Royal Armed Forces", Country: "MAR"},
			{Key: "exercise:indus-shield", Type: graph.Exercise, Name: "Indus Shield", Year: 2023, Aliases: []string{"Indus Shield-2023"}},
			{Key: "2023-10", Type: graph.Date, Name: "October 2023"},
		},
		Events: []graph.Event{{
			Type: graph.EventExercise, Subject: "exercise:indus-shield", Date: "2023-10",
			Participants: []graph.Participant{{Entity: "org:MAR:royal-armed-forces", Role: graph.RoleParticipant}, {Entity: "org:PAK:air-force", Role: graph.RoleOrganizer}},
		}},
	}
}

func TestScoreMatch(t *testing.T) {
	g := Gold{
		Entities: []GoldEntity{
			{Type: graph.Country, Key: "MAR"}, {Type: graph.Country, Key: "PAK"},
			{Type: graph.Organization, Names: []string{"Pakistan Air Force", "PAF"}, Country: "PAK"},
			{Type: graph.Organization, Names: []string{"Royal Armed Forces"}},
			{Type: graph.Exercise, Names: []string{"Indus-Shield 2023"}, Year: 2023},
		},
		Events: []GoldEvent{{Type: graph.EventExercise, Subject: []string{"Indus Shield"}, Date: "2023-10",
			Countries: map[string]string{"MAR": "participant", "PAK": "organizer"}}},
	}
	fs := Score(pred(), g)
	if fs.Entities != (Counts{TP: 5}) {
		t.Errorf("entities %+v %v %v", fs.Entities, fs.Misses, fs.FalseHits)
	}
	if fs.Events != (Counts{TP: 1}) || fs.Dates != (Accuracy{1, 1}) || fs.Roles != (Accuracy{2, 2}) {
		t.Errorf("events %+v dates %+v roles %+v %v", fs.Events, fs.Dates, fs.Roles, fs.Wrong)
	}
}

func TestScoreMissFalseHitOptional(t *testing.T) {
	g := Gold{
		Entities: []GoldEntity{
			{Type: graph.Country, Key: "MAR"},
			{Type: graph.Country, Key: "IND"},                 // missed
			{Type: graph.Country, Key: "PAK", Optional: true}, // found, free
			{Type: graph.Country, Key: "SAU", Optional: true}, // missed, free
			{Type: graph.Organization, Names: []string{"Pakistan Air Force"}},
			{Type: graph.Date, Key: "2023-10"}, // dates are not scored
		},
	}
	fs := Score(pred(), g)
	// FAR and Indus Shield are false hits; IND a miss.
	if fs.Entities != (Counts{TP: 2, FP: 2, FN: 1}) {
		t.Errorf("entities %+v misses %v false %v", fs.Entities, fs.Misses, fs.FalseHits)
	}
	if len(fs.Misses) != 1 || !strings.Contains(fs.Misses[0], "IND") {
		t.Errorf("misses %v", fs.Misses)
	}
	if fs.Events != (Counts{FP: 1}) {
		t.Errorf("events %+v", fs.Events)
	}
}

func TestScoreYearMismatch(t *testing.T) {
	g := Gold{Entities: []GoldEntity{{Type: graph.Exercise, Names: []string{"Indus Shield"}, Year: 2024}}}
	fs := Score(pred(), g)
	if fs.Entities.TP != 0 || fs.Entities.FN != 1 {
		t.Errorf("year mismatch matched: %+v", fs.Entities)
	}
}

func TestScoreEventOrgCountryAndWrongRole(t *testing.T) {
	g := Gold{Events: []GoldEvent{{Type: graph.EventExercise, Date: "2023",
		Countries: map[string]string{"MAR": "host", "PAK": "organizer"}}}}
	fs := Score(pred(), g)
	// org → country makes the sets equal; gold gives no subject; date right
	// at gold's precision; MAR's role wrong.
	if fs.Events != (Counts{TP: 1}) || fs.Dates != (Accuracy{1, 1}) || fs.Roles != (Accuracy{1, 2}) {
		t.Errorf("events %+v dates %+v roles %+v", fs.Events, fs.Dates, fs.Roles)
	}
	g.Events[0].Countries = map[string]string{"MAR": "participant"}
	fs = Score(pred(), g)
	if fs.Events != (Counts{FP: 1, FN: 1}) {
		t.Errorf("different country sets matched: %+v", fs.Events)
	}
	g.Events[0] = GoldEvent{Type: graph.EventExercise, Subject: []string{"African Lion"}, Countries: map[string]string{"MAR": "participant", "PAK": "organizer"}}
	fs = Score(pred(), g)
	if fs.Events.TP != 0 {
		t.Errorf("different subject matched")
	}
}

func TestReportAndEvalDir(t *testing.T) {
	var r Report
	r.Add(FileScore{Name: "x", Language: "ar", Entities: Counts{TP: 3, FP: 1}, Events: Counts{TP: 1, FN: 1}, Misses: []string{"event X"}})
	r.Add(FileScore{Name: "y", Language: "en", Entities: Counts{TP: 1}, Events: Counts{TP: 1}})
	if r.Overall.Entities != (Counts{TP: 4, FP: 1}) || r.ByLanguage["ar"].Files != 1 {
		t.Errorf("report %+v", r.Overall)
	}
	if f := r.Overall.Events.F1(); f < 0.79 || f > 0.81 {
		t.Errorf("F1 %v", f)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil || !strings.Contains(b.String(), "miss  event X") {
		t.Errorf("text %q %v", b.String(), err)
	}
	if _, err := EvalDir(t.TempDir(), nil); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("empty dir: %v", err)
	}
}

func TestLoadGold(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.gold.json")
	os.WriteFile(p, []byte(`{"entities":[{"type":"Country","key":"MAR"},{"type":"Exercise","names":["Indus Shield"],"year":2023}],
	"events":[{"type":"EXERCISE","subject":["Indus Shield"],"date":"2023-10","countries":{"MAR":"participant"}}]}`), 0o644)
	g, err := LoadGold(p)
	if err != nil || len(g.Entities) != 2 || g.Events[0].Countries["MAR"] != "participant" {
		t.Errorf("%+v %v", g, err)
	}
	os.WriteFile(p, []byte(`{"entities":[{"type":"Thing","key":"x"}]}`), 0o644)
	if _, err := LoadGold(p); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("bad type: %v", err)
	}
}
