package storetest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
)

// Keys of the fixture corpus.
const (
	MAR       = "MAR"
	PAK       = "PAK"
	FRA       = "FRA"
	IND       = "IND"
	SAU       = "SAU"
	JPN       = "JPN"
	AUS       = "AUS"
	MarFAR    = "org:MAR:royal-armed-forces"
	PakPAF    = "org:PAK:air-force"
	FraArmy   = "org:FRA:army"
	IndArmy   = "org:IND:army"
	Indus     = "exercise:indus-shield"
	AfLion    = "exercise:african-lion"
	WDS       = "exhibition:world-defense-show"
	Riyadh    = "place:SAU:riyadh"
	Agadir    = "place:MAR:agadir"
	Rabat     = "place:MAR:rabat"
	Tokyo     = "place:JPN:tokyo"
	artIndus  = "https://example.org/ar/indus-shield-2023"
	artWDS    = "https://example.org/ar/wds-2024-visit"
	artLion   = "https://example.org/en/african-lion-2023"
	artFrance = "https://example.org/fr/accord-maroc-france"
	artIndia  = "https://example.org/en/india-saudi-visit"
	artJapan  = "https://example.org/en/japan-australia-talks"
)

// text is a fixture article text with helpers that compute rune offsets,
// so that no offset is written by hand.
type text string

// at returns the rune offsets of the n-th (1-based) occurrence of s.
func (t text) at(s string, n int) (int, int) {
	from := 0
	for i := 1; ; i++ {
		j := strings.Index(string(t)[from:], s)
		if j < 0 {
			panic(fmt.Sprintf("storetest: %q occurs fewer than %d times in fixture %q", s, n, t))
		}
		if i == n {
			start := utf8.RuneCountInString(string(t)[:from+j])
			return start, start + utf8.RuneCountInString(s)
		}
		from += j + len(s)
	}
}

// m is the mention of the n-th occurrence of s (the first when n is
// omitted).
func (t text) m(s string, n ...int) graph.Mention {
	k := 1
	if len(n) > 0 {
		k = n[0]
	}
	a, b := t.at(s, k)
	return graph.Mention{Text: s, Start: a, End: b}
}

// ev is the evidence of the sentence s.
func (t text) ev(s string) graph.Evidence {
	a, b := t.at(s, 1)
	return graph.Evidence{Text: s, Start: a, End: b}
}

func article(url, lang, title, published string, t text) graph.Article {
	return graph.Article{ID: graph.ArticleID(url, string(t)), URL: url, Title: title, Language: lang,
		Published: published, Source: url, Text: string(t)}
}

func part(key string, r graph.Role) graph.Participant { return graph.Participant{Entity: key, Role: r} }

// Corpus returns the fixture corpus, built afresh on every call: six
// articles in Arabic, English and French about Morocco–Pakistan defense
// cooperation, a France–Morocco agreement, an India–Saudi Arabia visit and
// an unrelated Japan–Australia meeting (an island for path tests).
func Corpus() []graph.Extraction {
	return []graph.Extraction{IndusShield(), WorldDefenseShow(), AfricanLion(), FranceMorocco(), IndiaSaudi(), JapanAustralia()}
}

// IndusShield is an Arabic article: the Royal Armed Forces took part in
// Indus Shield-2023, organised by the Pakistan Air Force in October 2023.
func IndusShield() graph.Extraction {
	s1 := "شاركت القوات المسلحة الملكية في التدريبات متعددة الجنسيات Indus Shield-2023، التي نظمها سلاح الجو الباكستاني في أكتوبر 2023."
	s2 := "ويعزز المغرب بذلك تعاونه العسكري مع باكستان."
	t := text(s1 + " " + s2)
	return graph.Extraction{
		Article: article(artIndus, "ar", "القوات المسلحة الملكية تشارك في Indus Shield-2023", "2023-11-02", t),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Names: map[string]string{"ar": "المغرب", "en": "Morocco", "fr": "Maroc"},
				Aliases: []string{"المملكة المغربية"}, Mentions: []graph.Mention{t.m("المغرب")}},
			{Key: PAK, Type: graph.Country, Name: "Pakistan", Names: map[string]string{"ar": "باكستان", "en": "Pakistan"},
				Mentions: []graph.Mention{t.m("باكستان", 2)}},
			{Key: MarFAR, Type: graph.Organization, Name: "Royal Armed Forces", Country: MAR,
				Names:   map[string]string{"ar": "القوات المسلحة الملكية", "fr": "Forces Armées Royales"},
				Aliases: []string{"Royal Moroccan Armed Forces", "FAR"}, Mentions: []graph.Mention{t.m("القوات المسلحة الملكية")}},
			{Key: PakPAF, Type: graph.Organization, Name: "Pakistan Air Force", Country: PAK,
				Names: map[string]string{"ar": "سلاح الجو الباكستاني"}, Aliases: []string{"PAF"},
				Mentions: []graph.Mention{t.m("سلاح الجو الباكستاني")}},
			{Key: Indus, Type: graph.Exercise, Name: "Indus Shield", Year: 2023, Mentions: []graph.Mention{t.m("Indus Shield-2023")}},
		},
		Events: []graph.Event{{
			Type: graph.EventExercise, Subject: Indus, Edition: 2023, Date: "2023-10",
			Participants: []graph.Participant{part(MarFAR, graph.RoleParticipant), part(PakPAF, graph.RoleOrganizer)},
			Evidence:     t.ev(s1), Confidence: 0.9,
		}},
	}
}

// WorldDefenseShow is an Arabic article: a delegation of the Royal Armed
// Forces visited the Pakistani pavilion at the World Defense Show in
// Riyadh. Saudi Arabia is not among its entities, so Riyadh's country is a
// stub until IndiaSaudi names it.
func WorldDefenseShow() graph.Extraction {
	s1 := "زار وفد عسكري من القوات المسلحة الملكية الرواق الباكستاني بمعرض الدفاع الدولي بالرياض في فبراير 2024."
	s2 := "واطلع الوفد على جديد الصناعة الدفاعية لإسلام أباد."
	t := text(s1 + " " + s2)
	return graph.Extraction{
		Article: article(artWDS, "ar", "وفد عسكري مغربي يزور الرواق الباكستاني بمعرض الرياض", "2024-02-08", t),
		Entities: []graph.Entity{
			{Key: MarFAR, Type: graph.Organization, Name: "Royal Armed Forces", Country: MAR,
				Names: map[string]string{"ar": "القوات المسلحة الملكية"}, Mentions: []graph.Mention{t.m("القوات المسلحة الملكية")}},
			{Key: PAK, Type: graph.Country, Name: "Pakistan", Names: map[string]string{"ar": "باكستان"},
				Mentions: []graph.Mention{t.m("الباكستاني"), t.m("إسلام أباد")}},
			{Key: WDS, Type: graph.Exhibition, Name: "World Defense Show", Year: 2024,
				Names: map[string]string{"ar": "معرض الدفاع الدولي"}, Aliases: []string{"WDS"},
				Mentions: []graph.Mention{t.m("معرض الدفاع الدولي")}},
			{Key: Riyadh, Type: graph.Place, Name: "Riyadh", Country: SAU, Names: map[string]string{"ar": "الرياض"},
				Mentions: []graph.Mention{t.m("الرياض")}},
		},
		Events: []graph.Event{{
			Type: graph.EventExhibition, Subject: WDS, Edition: 2024, Place: Riyadh, Date: "2024-02",
			Participants: []graph.Participant{part(MarFAR, graph.RoleVisitor), part(PAK, graph.RoleExhibitor)},
			Evidence:     t.ev(s1), Confidence: 0.8,
		}},
	}
}

// AfricanLion is an English article: Morocco hosted African Lion 2023 with
// Pakistan observing, and the first bilateral exercise of 2021, stated
// twice (one event).
func AfricanLion() graph.Extraction {
	s1 := "Morocco hosted African Lion 2023 in Agadir in June 2023, and Pakistan sent observers to the exercise."
	s2 := "Morocco and Pakistan held their first bilateral exercise in 2021."
	s3 := "That first joint drill of the Moroccan and Pakistani armies, in 2021, opened the way."
	t := text(s1 + " " + s2 + " " + s3)
	return graph.Extraction{
		Article: article(artLion, "en", "Pakistan observes African Lion 2023", "2023-07-01", t),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Names: map[string]string{"en": "Morocco"},
				Mentions: []graph.Mention{t.m("Morocco"), t.m("Morocco", 2), t.m("Moroccan")}},
			{Key: PAK, Type: graph.Country, Name: "Pakistan",
				Mentions: []graph.Mention{t.m("Pakistan"), t.m("Pakistan", 2), t.m("Pakistani")}},
			{Key: AfLion, Type: graph.Exercise, Name: "African Lion", Year: 2023, Names: map[string]string{"ar": "الأسد الإفريقي"},
				Mentions: []graph.Mention{t.m("African Lion 2023")}},
			{Key: Agadir, Type: graph.Place, Name: "Agadir", Country: MAR, Names: map[string]string{"ar": "أكادير"},
				Mentions: []graph.Mention{t.m("Agadir")}},
		},
		Events: []graph.Event{
			{Type: graph.EventExercise, Subject: AfLion, Edition: 2023, Place: Agadir, Date: "2023-06",
				Participants: []graph.Participant{part(MAR, graph.RoleHost), part(PAK, graph.RoleObserver)},
				Evidence:     t.ev(s1), Confidence: 0.85},
			{Type: graph.EventExercise, Date: "2021",
				Participants: []graph.Participant{part(MAR, graph.RoleParticipant), part(PAK, graph.RoleParticipant)},
				Evidence:     t.ev(s2), Confidence: 0.8},
			{Type: graph.EventExercise, Date: "2021",
				Participants: []graph.Participant{part(PAK, graph.RoleParticipant), part(MAR, graph.RoleParticipant)},
				Evidence:     t.ev(s3), Confidence: 0.7},
		},
	}
}

// FranceMorocco is a French article: an agreement signed in Rabat on 12
// March 2022, and an undated training of the Royal Armed Forces by the
// French army.
func FranceMorocco() graph.Extraction {
	s1 := "Le Maroc et la France ont signé à Rabat, le 12 mars 2022, un accord de coopération militaire."
	s2 := "Les Forces Armées Royales bénéficieront d'une formation assurée par l'armée française."
	t := text(s1 + " " + s2)
	return graph.Extraction{
		Article: article(artFrance, "fr", "Le Maroc et la France signent un accord de coopération militaire", "2022-03-14", t),
		Entities: []graph.Entity{
			{Key: MAR, Type: graph.Country, Name: "Morocco", Names: map[string]string{"fr": "Maroc"},
				Aliases: []string{"Royaume du Maroc"}, Mentions: []graph.Mention{t.m("Maroc")}},
			{Key: FRA, Type: graph.Country, Name: "France", Names: map[string]string{"fr": "France", "ar": "فرنسا"},
				Mentions: []graph.Mention{t.m("France")}},
			{Key: Rabat, Type: graph.Place, Name: "Rabat", Country: MAR, Names: map[string]string{"ar": "الرباط"},
				Mentions: []graph.Mention{t.m("Rabat")}},
			{Key: MarFAR, Type: graph.Organization, Name: "Royal Armed Forces", Country: MAR,
				Names: map[string]string{"fr": "Forces Armées Royales"}, Mentions: []graph.Mention{t.m("Forces Armées Royales")}},
			{Key: FraArmy, Type: graph.Organization, Name: "French Army", Country: FRA,
				Names: map[string]string{"fr": "Armée de terre"}, Mentions: []graph.Mention{t.m("armée française")}},
		},
		Events: []graph.Event{
			{Type: graph.EventAgreement, Place: Rabat, Date: "2022-03-12",
				Participants: []graph.Participant{part(MAR, graph.RoleParty), part(FRA, graph.RoleParty)},
				Evidence:     t.ev(s1), Confidence: 0.95},
			{Type: graph.EventTraining,
				Participants: []graph.Participant{part(FraArmy, graph.RoleTrainer), part(MarFAR, graph.RoleTrainee)},
				Evidence:     t.ev(s2), Confidence: 0.7},
		},
	}
}

// IndiaSaudi is an English article: an Indian Army delegation visited
// Riyadh on 5 February 2024.
func IndiaSaudi() graph.Extraction {
	s1 := "An Indian Army delegation visited Riyadh on 5 February 2024 and met defense officials of Saudi Arabia."
	s2 := "The two sides discussed training."
	t := text(s1 + " " + s2)
	return graph.Extraction{
		Article: article(artIndia, "en", "Indian Army delegation visits Riyadh", "2024-02-06", t),
		Entities: []graph.Entity{
			{Key: IND, Type: graph.Country, Name: "India", Names: map[string]string{"ar": "الهند"}, Mentions: []graph.Mention{t.m("Indian")}},
			{Key: IndArmy, Type: graph.Organization, Name: "Indian Army", Country: IND, Mentions: []graph.Mention{t.m("Indian Army")}},
			{Key: SAU, Type: graph.Country, Name: "Saudi Arabia", Names: map[string]string{"ar": "المملكة العربية السعودية"},
				Aliases: []string{"السعودية"}, Mentions: []graph.Mention{t.m("Saudi Arabia")}},
			{Key: Riyadh, Type: graph.Place, Name: "Riyadh", Country: SAU, Mentions: []graph.Mention{t.m("Riyadh")}},
		},
		Events: []graph.Event{{
			Type: graph.EventVisit, Place: Riyadh, Date: "2024-02-05",
			Participants: []graph.Participant{part(IndArmy, graph.RoleVisitor), part(SAU, graph.RoleHost)},
			Evidence:     t.ev(s1), Confidence: 0.9,
		}},
	}
}

// JapanAustralia is an English article about talks with no link to the
// rest of the corpus.
func JapanAustralia() graph.Extraction {
	s1 := "Japan and Australia held defense talks in Tokyo in May 2022."
	t := text(s1)
	return graph.Extraction{
		Article: article(artJapan, "en", "Japan and Australia hold defense talks", "2022-05-10", t),
		Entities: []graph.Entity{
			{Key: JPN, Type: graph.Country, Name: "Japan", Mentions: []graph.Mention{t.m("Japan")}},
			{Key: AUS, Type: graph.Country, Name: "Australia", Mentions: []graph.Mention{t.m("Australia")}},
			{Key: Tokyo, Type: graph.Place, Name: "Tokyo", Country: JPN, Mentions: []graph.Mention{t.m("Tokyo")}},
		},
		Events: []graph.Event{{
			Type: graph.EventMeeting, Place: Tokyo, Date: "2022-05",
			Participants: []graph.Participant{part(JPN, graph.RoleParty), part(AUS, graph.RoleParty)},
			Evidence:     t.ev(s1), Confidence: 0.9,
		}},
	}
}
