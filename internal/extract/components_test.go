package extract

import (
	"reflect"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

var testX *Extractor

func doc(t *testing.T, text, lang, pub string) *Doc {
	t.Helper()
	if testX == nil {
		x, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		testX = x
	}
	d, err := testX.Doc(graph.Article{ID: "t", Text: text, Language: lang, Published: pub})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNormaliseMap(t *testing.T) {
	d := &Doc{Runes: []rune("Œuvre أُعْطِيَتْ ـمـ ٢٠٢٣")}
	normalise(d)
	if got := string(d.Norm); got != "oeuvre اعطيت م 2023" {
		t.Errorf("norm %q", got)
	}
	if len(d.Norm) != len(d.NormMap) {
		t.Fatal("map length")
	}
	if d.NormMap[0] != 0 || d.NormMap[1] != 0 || d.NormMap[2] != 1 {
		t.Errorf("map %v", d.NormMap[:3])
	}
}

func TestTokenVariants(t *testing.T) {
	has := func(w, want string) {
		for _, v := range tokenVariants(w, true) {
			if v.form == want {
				return
			}
		}
		t.Errorf("%s: no variant %s in %v", w, want, tokenVariants(w, true))
	}
	has("وبالرياض", "رياض")
	has("للمملكه", "مملكه")
	has("والهند", "هند")
	has("لاسلام", "اسلام")
	has("وباكستان", "باكستان")
}

func TestSentences(t *testing.T) {
	d := doc(t, "First one. The U.S. Army met 3.5 km away! Then، بعد ذلك؟ Last\nline", "en", "")
	var got []string
	for _, s := range d.Sentences {
		got = append(got, d.text(s.Start, s.End))
	}
	want := []string{"First one.", "The U.S. Army met 3.5 km away!", "Then، بعد ذلك؟", "Last", "line"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sentences %q", got)
	}
}

func spanKeys(d *Doc, typ graph.EntityType) []string {
	var out []string
	for _, s := range d.Spans {
		if s.Type == typ {
			out = append(out, s.Key)
		}
	}
	return out
}

func TestCountries(t *testing.T) {
	d := doc(t, "زار وفد مغربي الرواق الباكستاني، وتحدث عن الصناعة الدفاعية لإسلام أباد والهند، في المحيط الهندي.", "ar", "")
	if got := spanKeys(d, graph.Country); !reflect.DeepEqual(got, []string{"MAR", "PAK", "PAK", "IND"}) {
		t.Errorf("countries %v", got)
	}
	d = doc(t, "Moroccan officers met in Rabat; Rabat and Islamabad agreed. Des officiers marocaines au Maroc.", "en", "")
	// "in Rabat" is a place that also mentions Morocco
	if got := spanKeys(d, graph.Country); !reflect.DeepEqual(got, []string{"MAR", "MAR", "MAR", "PAK", "MAR", "MAR"}) {
		t.Errorf("countries %v", got)
	}
	if got := spanKeys(d, graph.Place); !reflect.DeepEqual(got, []string{"place:MAR:rabat"}) {
		t.Errorf("places %v", got)
	}
}

func TestKingdom(t *testing.T) {
	d := doc(t, "أكد المغرب أن المملكة ستشارك.", "ar", "")
	if d.Kingdom != "MAR" || len(spanKeys(d, graph.Country)) != 2 {
		t.Errorf("kingdom %q countries %v", d.Kingdom, spanKeys(d, graph.Country))
	}
}

func TestOrganizations(t *testing.T) {
	cases := []struct{ text, lang, key string }{
		{"نظمها سلاح الجو الباكستاني.", "ar", "org:PAK:air-force"},
		{"شاركت القوات المسلحة الملكية.", "ar", "org:MAR:royal-armed-forces"},
		{"The Pakistan Air Force said.", "en", "org:PAK:air-force"},
		{"The Royal Saudi Navy said.", "en", "org:SAU:navy"},
		{"The US Army said.", "en", "org:USA:army"},
		{"Les Forces Armées Royales ont dit.", "fr", "org:MAR:royal-armed-forces"},
		{"L'armée de l'air algérienne a dit.", "fr", "org:DZA:air-force"},
		{"The Ministry of Defense of Pakistan said.", "en", "org:PAK:ministry-of-defense"},
		{"وقالت وزارة الدفاع الباكستانية.", "ar", "org:PAK:ministry-of-defense"},
	}
	for _, c := range cases {
		d := doc(t, c.text, c.lang, "")
		got := spanKeys(d, graph.Organization)
		if len(got) != 1 || got[0] != c.key {
			t.Errorf("%s: orgs %v, want %s", c.text, got, c.key)
		}
	}
	d := doc(t, "The army said.", "en", "")
	if got := spanKeys(d, graph.Organization); len(got) != 0 {
		t.Errorf("an army with no country: %v", got)
	}
}

func TestEditions(t *testing.T) {
	cases := []struct {
		text, lang string
		year       int
		mention    string
	}{
		{"Indus Shield-2023 began.", "en", 2023, "Indus Shield-2023"},
		{"African Lion 2024 began.", "en", 2024, "African Lion 2024"},
		{"تمارين “الأسد الإفريقي” لسنة 2023.", "ar", 2023, "الأسد الإفريقي"},
		{"The 2024 edition of African Lion began.", "en", 2024, "African Lion"},
	}
	for _, c := range cases {
		d := doc(t, c.text, c.lang, "")
		var s *Span
		for i := range d.Spans {
			if d.Spans[i].Type == graph.Exercise {
				s = &d.Spans[i]
			}
		}
		if s == nil || s.Year != c.year || d.text(s.Start, s.End) != c.mention {
			t.Errorf("%s: span %v", c.text, s)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct{ text, lang, pub, want string }{
		{"نظمها في أكتوبر 2023.", "ar", "", "2023-10"},
		{"أول مناورة في سنة 2021.", "ar", "", "2021"},
		{"في 12 شتنبر 2022.", "ar", "", "2022-09-12"},
		{"في تشرين الأول 2022.", "ar", "", "2022-10"},
		{"On October 12, 2023 they met.", "en", "", "2023-10-12"},
		{"du 4 au 8 février 2024", "fr", "", "2024-02-04"},
		{"le 1er mars 2022", "fr", "", "2022-03-01"},
		{"in March they met.", "en", "2024-02-07", "2023-03"},
		{"last October they met.", "en", "2024-02-07", "2023-10"},
		{"l'an dernier", "fr", "2024-02-07", "2023"},
		{"الشهر الماضي", "ar", "2024-02-07", "2024-01"},
		{"on 2023-10-12.", "en", "", "2023-10-12"},
		{"le 12/03/2023.", "fr", "", "2023-03-12"},
		{"three days ago they met.", "en", "2024-02-07", "2024-02-04"},
	}
	for _, c := range cases {
		d := doc(t, c.text, c.lang, c.pub)
		if len(d.Dates) == 0 || d.Dates[0].Value != c.want {
			t.Errorf("%s: dates %+v, want %s", c.text, d.Dates, c.want)
		}
	}
	d := doc(t, "They may come.", "en", "2024-02-07")
	if len(d.Dates) != 0 {
		t.Errorf("may as a month: %+v", d.Dates)
	}
}

func TestEventsRolesAndMerge(t *testing.T) {
	d := doc(t, "وفد عسكري مغربي يزور الرواق الباكستاني بمعرض الرياض.\nزار وفد من القوات المسلحة الملكية الرواق الباكستاني بمعرض الدفاع الدولي بالرياض.\nوقال إن التعاون بين البلدين يتنامى.", "ar", "")
	if len(d.Events) != 1 {
		t.Fatalf("events %+v", d.Events)
	}
	ev := d.Events[0]
	roles := map[string]graph.Role{}
	for _, p := range ev.Participants {
		roles[d.participantCountry(p.Entity)] = p.Role
	}
	if ev.Type != graph.EventExhibition || ev.Subject != "exhibition:world-defense-show" || roles["MAR"] != graph.RoleVisitor || roles["PAK"] != graph.RoleExhibitor {
		t.Errorf("event %+v", ev)
	}
	d = doc(t, "Pakistan and Morocco agreed that cooperation between the two countries keeps growing.", "en", "")
	if len(d.Events) != 0 {
		t.Errorf("generic statement made events: %+v", d.Events)
	}
}

// personCountries returns the countries of the person spans, in order.
func personCountries(d *Doc) []string {
	var out []string
	for _, s := range d.Spans {
		if s.Kind == KindPerson {
			out = append(out, d.text(s.Start, s.End)+"="+s.Key)
		}
	}
	return out
}

func TestPersons(t *testing.T) {
	for _, tc := range []struct{ lang, text string }{
		{"fr", "Le premier ministre grec, Kyriakos Mitsotakis, est arrivé. Le général de corps d'armée Ahmed Zerrouk, inspecteur général des Forces armées royales, l'a reçu. M. Mitsotakis a remercié le général Zerrouk. Les deux hommes ont parlé."},
		{"en", "Greek Prime Minister Kyriakos Mitsotakis arrived. Gen. Ahmed Zerrouk, the Moroccan chief of staff, received him. Mitsotakis thanked Zerrouk. The two men talked."},
	} {
		d := doc(t, tc.text, tc.lang, "")
		got := personCountries(d)
		want := map[string]bool{"Kyriakos Mitsotakis=GRC": true, "Ahmed Zerrouk=MAR": true, "Mitsotakis=GRC": true, "Zerrouk=MAR": true}
		seen := map[string]bool{}
		for _, g := range got {
			seen[g] = true
		}
		for w := range want {
			if !seen[w] {
				t.Errorf("%s: no %s in %v", tc.lang, w, got)
			}
		}
		pair := 0
		for _, g := range got {
			if g == "Les deux hommes=GRC" || g == "Les deux hommes=MAR" || g == "The two men=GRC" || g == "The two men=MAR" {
				pair++
			}
		}
		if pair != 2 {
			t.Errorf("%s: the two men: %v", tc.lang, got)
		}
	}
	// a country before the title is the host, not the person's
	d := doc(t, "La visite au Maroc du ministre de la Défense, Jean Dupont, a duré deux jours.", "fr", "")
	for _, g := range personCountries(d) {
		if g == "Jean Dupont=MAR" {
			t.Errorf("host taken for the person's country: %v", personCountries(d))
		}
	}
	// a title alone points back to the person introduced with it
	d = doc(t, "Le maréchal Birhanu Jula, chef d'état-major de l'armée éthiopienne, est venu. Le maréchal lui-même a signé.", "fr", "")
	if got := personCountries(d); len(got) != 2 || got[1] != "maréchal=ETH" {
		t.Errorf("title alone: %v", got)
	}
}

func TestEventRulesFrench(t *testing.T) {
	count := func(d *Doc, typ graph.EventType) int {
		n := 0
		for _, ev := range d.Events {
			if ev.Type == typ {
				n++
			}
		}
		return n
	}
	// excluded from an exhibition: not an exhibitor there
	d := doc(t, "L'an dernier, les entreprises israéliennes avaient été exclues d'Eurosatory, le salon de Villepinte.", "fr", "2025-06-16")
	if n := count(d, graph.EventExhibition); n != 0 {
		t.Errorf("excluded: %+v", d.Events)
	}
	// a country's companies at the show just named are exhibitors; an
	// absent country is not
	d = doc(t, "Eurosatory a ouvert ses portes le 17 juin 2024, en l'absence des entreprises israéliennes. L'Ukraine exposait sous son propre pavillon, tandis que la Chine faisait son retour avec plusieurs dizaines d'entreprises.", "fr", "2024-06-22")
	for _, ev := range d.Events {
		if ev.Type != graph.EventExhibition {
			continue
		}
		cs := map[string]graph.Role{}
		for _, p := range ev.Participants {
			cs[d.participantCountry(p.Entity)] = p.Role
		}
		if cs["CHN"] != graph.RoleExhibitor || cs["UKR"] != graph.RoleExhibitor || cs["ISR"] != "" {
			t.Errorf("exhibitors: %v", cs)
		}
	}
	// a habit over recent years is not one transfer
	d = doc(t, "La Tunisie a acquis ces dernières années des hélicoptères américains.", "fr", "2025-04-25")
	if n := count(d, graph.EventArmsTransfer); n != 0 {
		t.Errorf("recent years: %+v", d.Events)
	}
	// a draft agreement is not signed
	d = doc(t, "Le 3 avril, le ministre marocain a discuté avec le ministre éthiopien d'un projet d'accord.", "fr", "2025-06-16")
	if n := count(d, graph.EventAgreement); n != 0 {
		t.Errorf("draft: %+v", d.Events)
	}
	// "dans la foulée" dates the transfer by the agreement just read
	d = doc(t, "La France et la Grèce ont signé mardi 28 septembre un accord de défense. Dans la foulée, Athènes a annoncé la commande de trois frégates auprès de Naval Group.", "fr", "2021-09-29")
	for _, ev := range d.Events {
		if ev.Type == graph.EventArmsTransfer && ev.Date != "2021-09-28" {
			t.Errorf("foulée: %+v", ev)
		}
	}
	if n := count(d, graph.EventArmsTransfer); n != 1 {
		t.Errorf("foulée: %+v", d.Events)
	}
}

func TestArabicAccusativeTrigger(t *testing.T) {
	d := doc(t, "تلقى ضباط من الهند في أبريل 2016 تدريبًا عسكريا على يد القوات المسلحة لـتونس.", "ar", "2024-05-01")
	var got []graph.Event
	for _, ev := range d.Events {
		if ev.Type == graph.EventTraining {
			got = append(got, ev)
		}
	}
	if len(got) != 1 || got[0].Date != "2016-04" {
		t.Fatalf("training: %+v", d.Events)
	}
	roles := map[string]graph.Role{}
	for _, p := range got[0].Participants {
		roles[d.participantCountry(p.Entity)] = p.Role
	}
	if roles["IND"] != graph.RoleTrainee || roles["TUN"] != graph.RoleTrainer {
		t.Errorf("roles %v", roles)
	}
}
