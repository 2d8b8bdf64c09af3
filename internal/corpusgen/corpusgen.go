// Package corpusgen writes synthetic news articles about defense
// cooperation in Arabic, English and French, for benchmarks and load tests.
// Each article is a short news item — a headline, a lead sentence stating an
// event (a joint exercise, a visit to an exhibition, an agreement, a
// delivery, a training course) with its actors and date, a follow-up
// sentence and some commentary — built from templates and real names
// (CLDR country names from golang.org/x/text, well-known exercises and
// shows). The same seed gives the same corpus.
package corpusgen

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Article is one generated article, as one line of a .jsonl import file.
type Article struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Text      string `json:"text"`
}

var countries = []string{"MA", "PK", "US", "FR", "SA", "AE", "EG", "IN", "TR", "ES", "IT", "GB",
	"DZ", "TN", "SN", "GH", "NG", "KE", "JO", "QA", "BH", "OM", "KW", "DE", "GR", "ID", "CN", "BR"}

var exercises = []string{"African Lion", "Indus Shield", "Flintlock", "Obangame Express", "Bright Star",
	"Eager Lion", "Iron Union", "Spears of Victory", "Phoenix Express", "Cutlass Express", "Anatolian Eagle",
	"Desert Flag", "AMAN", "Sea Breeze", "Dustlik", "Varuna", "Garuda", "Chergui", "Shamal", "Red Flag"}

var shows = []struct{ name, city string }{
	{"World Defense Show", "Riyadh"}, {"IDEX", "Abu Dhabi"}, {"Eurosatory", "Paris"}, {"Dubai Airshow", "Dubai"},
	{"Marrakech Air Show", "Marrakech"}, {"IDEF", "Istanbul"}, {"DSEI", "London"}, {"EDEX", "Cairo"},
	{"Farnborough International Airshow", "Farnborough"}, {"Aero India", "Bengaluru"},
}

var systems = []string{"Bayraktar TB2 drones", "F-16 fighter jets", "Apache helicopters", "Rafale fighters",
	"Caesar howitzers", "patrol vessels", "armoured vehicles", "air-defence systems"}

var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}
var monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}
var monthsAR = []string{"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت",
	"شتنبر", "أكتوبر", "نونبر", "دجنبر"}

var commentEN = []string{
	"Analysts say the partnership reflects a wider effort to diversify military suppliers and training partners.",
	"Officials from both sides described the cooperation as a priority for regional security.",
	"The two sides have stepped up defense contacts over the past few years, according to observers.",
	"Defense experts expect further joint activities to follow in the coming months.",
}
var commentFR = []string{
	"Selon les analystes, ce partenariat illustre la volonté de diversifier les fournisseurs et les partenaires militaires.",
	"Les responsables des deux parties ont qualifié cette coopération de prioritaire pour la sécurité régionale.",
	"Les contacts en matière de défense se sont multipliés ces dernières années, selon les observateurs.",
	"Les spécialistes s'attendent à d'autres activités conjointes dans les prochains mois.",
}
var commentAR = []string{
	"ويرى محللون أن هذه الشراكة تعكس توجها نحو تنويع الموردين والشركاء العسكريين.",
	"ووصف مسؤولون من الجانبين هذا التعاون بأنه أولوية للأمن الإقليمي.",
	"وتكثفت الاتصالات الدفاعية بين الطرفين خلال السنوات الأخيرة، حسب متابعين.",
	"ويتوقع خبراء عسكريون تنظيم أنشطة مشتركة أخرى خلال الأشهر المقبلة.",
}

var names = map[string]display.Namer{
	"en": display.English.Regions(),
	"fr": display.French.Regions(),
	"ar": display.Arabic.Regions(),
}

func countryName(lang, code string) string {
	return names[lang].Name(language.MustParseRegion(code))
}

// Generator makes articles; it is not safe for concurrent use.
type Generator struct {
	r *rand.Rand
}

// New returns a generator with the given seed.
func New(seed int64) *Generator { return &Generator{r: rand.New(rand.NewSource(seed))} }

func (g *Generator) pick(list []string) string { return list[g.r.Intn(len(list))] }

// twoCountries returns two different country codes.
func (g *Generator) twoCountries() (string, string) {
	a := g.pick(countries)
	for {
		b := g.pick(countries)
		if b != a {
			return a, b
		}
	}
}

// Article returns the i-th article; the language cycles ar, en, fr.
func (g *Generator) Article(i int) Article {
	lang := []string{"ar", "en", "fr"}[i%3]
	year := 2015 + g.r.Intn(11)
	month := g.r.Intn(12)
	day := 1 + g.r.Intn(28)
	a, b := g.twoCountries()
	c, d := g.twoCountries()
	na, nb, nc, nd := countryName(lang, a), countryName(lang, b), countryName(lang, c), countryName(lang, d)
	ex := g.pick(exercises)
	show := shows[g.r.Intn(len(shows))]
	sys := g.pick(systems)
	kind := g.r.Intn(5)
	var title, lead, follow string
	switch lang {
	case "en":
		m := monthsEN[month]
		switch kind {
		case 0:
			title = fmt.Sprintf("%s and %s troops train together in %s %d", na, nb, ex, year)
			lead = fmt.Sprintf("The armed forces of %s took part in the multinational exercise %s %d, organized by %s in %s %d, with the participation of %s and %s.", na, ex, year, nb, m, year, nc, nd)
			follow = fmt.Sprintf("The drills focused on counter-terrorism and joint planning, the organizers said.")
		case 1:
			title = fmt.Sprintf("%s delegation tours %s", na, show.name)
			lead = fmt.Sprintf("A military delegation from %s visited the pavilion of %s at %s %d in %s on %d %s %d.", na, nb, show.name, year, show.city, day, m, year)
			follow = "The delegation was briefed on the latest armoured vehicles and drones on display."
		case 2:
			title = fmt.Sprintf("%s and %s sign defense cooperation agreement", na, nb)
			lead = fmt.Sprintf("%s and %s signed a memorandum of understanding on military cooperation on %d %s %d.", na, nb, day, m, year)
			follow = "The agreement covers training, the exchange of expertise and joint exercises."
		case 3:
			title = fmt.Sprintf("%s receives %s from %s", na, sys, nb)
			lead = fmt.Sprintf("%s took delivery of %s bought from %s in %s %d.", na, sys, nb, m, year)
			follow = "The deliveries are part of a wider modernisation programme."
		default:
			title = fmt.Sprintf("%s officers complete training in %s", na, nb)
			lead = fmt.Sprintf("Officers from %s completed a training course run by the armed forces of %s in %s %d.", na, nb, m, year)
			follow = "The course covered logistics, maintenance and staff work."
		}
		return g.finish(i, lang, year, month, day, title, lead, follow, commentEN)
	case "fr":
		m := monthsFR[month]
		switch kind {
		case 0:
			title = fmt.Sprintf("%s et %s à l'exercice %s %d", na, nb, ex, year)
			lead = fmt.Sprintf("Les forces armées de %s ont participé en %s %d à l'exercice multinational %s %d, organisé par %s, avec la participation de %s et de %s.", na, m, year, ex, year, nb, nc, nd)
			follow = "Les manœuvres portaient sur la lutte antiterroriste et la planification conjointe."
		case 1:
			title = fmt.Sprintf("Une délégation de %s au salon %s", na, show.name)
			lead = fmt.Sprintf("Une délégation militaire de %s a visité le pavillon de %s au salon %s %d, le %d %s %d.", na, nb, show.name, year, day, m, year)
			follow = "La délégation s'est informée des derniers blindés et drones exposés."
		case 2:
			title = fmt.Sprintf("%s et %s signent un accord de défense", na, nb)
			lead = fmt.Sprintf("%s et %s ont signé le %d %s %d un protocole d'accord de coopération militaire.", na, nb, day, m, year)
			follow = "L'accord couvre la formation, l'échange d'expertise et les exercices conjoints."
		case 3:
			title = fmt.Sprintf("%s réceptionne des %s", na, sys)
			lead = fmt.Sprintf("%s a réceptionné en %s %d des %s achetés à %s.", na, m, year, sys, nb)
			follow = "Ces livraisons s'inscrivent dans un programme de modernisation."
		default:
			title = fmt.Sprintf("Des officiers de %s formés par %s", na, nb)
			lead = fmt.Sprintf("Des officiers de %s ont achevé en %s %d une formation dispensée par les forces armées de %s.", na, m, year, nb)
			follow = "La formation portait sur la logistique et la maintenance."
		}
		return g.finish(i, lang, year, month, day, title, lead, follow, commentFR)
	default:
		m := monthsAR[month]
		switch kind {
		case 0:
			title = fmt.Sprintf("%s و%s في تمرين «%s %d»", na, nb, ex, year)
			lead = fmt.Sprintf("شاركت القوات المسلحة لـ%s في التمرين متعدد الجنسيات «%s %d» الذي نظمته %s في %s %d، بمشاركة %s و%s.", na, ex, year, nb, m, year, nc, nd)
			follow = "وركزت التدريبات على مكافحة الإرهاب والتخطيط المشترك."
		case 1:
			title = fmt.Sprintf("وفد عسكري من %s يزور معرض %s", na, show.name)
			lead = fmt.Sprintf("زار وفد عسكري من %s جناح %s في معرض %s %d يوم %d %s %d.", na, nb, show.name, year, day, m, year)
			follow = "واطلع الوفد على أحدث المدرعات والطائرات المسيرة المعروضة."
		case 2:
			title = fmt.Sprintf("%s و%s توقعان اتفاقية للتعاون الدفاعي", na, nb)
			lead = fmt.Sprintf("وقعت %s و%s مذكرة تفاهم للتعاون العسكري يوم %d %s %d.", na, nb, day, m, year)
			follow = "وتشمل الاتفاقية التكوين وتبادل الخبرات والتمارين المشتركة."
		case 3:
			title = fmt.Sprintf("%s تتسلم صفقة أسلحة من %s", na, nb)
			lead = fmt.Sprintf("تسلمت %s في %s %d دفعة من %s اشترتها من %s.", na, m, year, sys, nb)
			follow = "وتندرج هذه الصفقة في إطار برنامج لتحديث القوات."
		default:
			title = fmt.Sprintf("ضباط من %s يتابعون تكوينا في %s", na, nb)
			lead = fmt.Sprintf("تلقى ضباط من %s في %s %d تدريبا عسكريا على يد القوات المسلحة لـ%s.", na, m, year, nb)
			follow = "وشملت الدورة اللوجستيك والصيانة."
		}
		return g.finish(i, lang, year, month, day, title, lead, follow, commentAR)
	}
}

func (g *Generator) finish(i int, lang string, year, month, day int, title, lead, follow string, comments []string) Article {
	var b strings.Builder
	b.WriteString(title)
	b.WriteString("\n\n")
	b.WriteString(lead)
	b.WriteString(" ")
	b.WriteString(follow)
	b.WriteString("\n\n")
	n := 2 + g.r.Intn(3)
	for k := 0; k < n; k++ {
		b.WriteString(g.pick(comments))
		b.WriteString(" ")
	}
	b.WriteString("\n")
	pubMonth := month + 2
	pubYear := year
	if pubMonth > 12 {
		pubMonth -= 12
		pubYear++
	}
	return Article{
		URL:       fmt.Sprintf("https://news.example/%s/%d", lang, i),
		Title:     title,
		Published: fmt.Sprintf("%04d-%02d-%02d", pubYear, pubMonth, day),
		Language:  lang,
		Text:      b.String(),
	}
}

// WriteJSONL writes articles [0, n) as JSON Lines.
func (g *Generator) WriteJSONL(w io.Writer, n int) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := 0; i < n; i++ {
		if err := enc.Encode(g.Article(i)); err != nil {
			return err
		}
	}
	return nil
}
