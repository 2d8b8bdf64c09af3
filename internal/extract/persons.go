package extract

import (
	"strings"
	"unicode"

	"github.com/defgraph/defgraph/graph"
)

// personTitles are the words of a person's title or rank: a name right
// after them (or in apposition to them) is a person's, and a title alone
// later ("le maréchal", "the minister", "الوزير") points back to the last
// person introduced with it.
var personTitles = map[string]bool{
	// fr
	"general": true, "generale": true, "marechal": true, "amiral": true, "colonel": true, "commandant": true,
	"lieutenant": true, "capitaine": true, "ministre": true, "president": true, "presidente": true,
	"chef": true, "prince": true, "roi": true, "emir": true, "secretaire": true, "ambassadeur": true,
	"ambassadrice": true, "inspecteur": true, "attache": true, "homologue": true, "m": true, "mme": true,
	"sous": true, "vice": true, "commandante": true, "directeur": true, "directrice": true, "souverain": true,
	// en
	"marshal": true, "field": true, "admiral": true, "adm": true, "gen": true, "col": true, "commander": true,
	"lt": true, "captain": true, "minister": true, "secretary": true, "chief": true, "king": true,
	"ambassador": true, "inspector": true, "counterpart": true, "mr": true, "mrs": true, "ms": true,
	"brigadier": true, "major": true, "director": true, "premier": true, "sheikh": true, "cheikh": true,
	// ar (compared without the article and clitics)
	"وزير": true, "وزيره": true, "رئيس": true, "فريق": true, "لواء": true, "عميد": true, "جنرال": true,
	"مشير": true, "اميرال": true, "امير": true, "ملك": true, "سفير": true, "سفيره": true, "قائد": true,
	"عقيد": true, "نظير": true, "نظيره": true, "مفتش": true, "ولي": true, "عهد": true, "شيخ": true,
}

// titleFiller are the other words a title may hold ("chef d'état-major
// général des armées", "ministre délégué chargé de l'Administration de la
// Défense nationale", "Prime Minister", "وزير الدفاع").
var titleFiller = map[string]bool{
	"de": true, "du": true, "des": true, "d": true, "la": true, "l": true, "le": true, "les": true, "of": true,
	"the": true, "s": true, "for": true, "and": true, "et": true, "a": true, "aux": true, "au": true, "en": true,
	"premier": true, "prime": true, "first": true, "deputy": true, "adjoint": true, "adjointe": true,
	"delegue": true, "deleguee": true, "charge": true, "chargee": true, "etat": true, "state": true,
	"major": true, "staff": true, "general": true, "generale": true, "defense": true, "defence": true,
	"armees": true, "armee": true, "forces": true, "armed": true, "army": true, "air": true, "navy": true,
	"naval": true, "marine": true, "terre": true, "affaires": true, "etrangeres": true, "foreign": true,
	"affairs": true, "interieur": true, "interior": true, "nationale": true, "national": true,
	"administration": true, "corps": true, "joint": true, "chiefs": true, "supreme": true, "supreme ": true,
	"commandement": true, "command": true, "operations": true, "speciales": true, "special": true,
	"espace": true, "space": true, "retired": true, "retraite": true, "royal": true, "royale": true,
	"royales": true, "ret": true, "inspecteur": true, "inspector": true, "homologue": true,
	"دفاع": true, "اركان": true, "هيئه": true, "عام": true, "عامه": true, "قوات": true, "مسلحه": true,
	"جيش": true, "اول": true, "ركن": true, "خارجيه": true, "داخليه": true, "وطني": true, "جوي": true,
	"جويه": true, "بحريه": true, "بري": true, "بريه": true, "دوله": true, "مكلف": true, "منتدب": true,
	"ادارة": true, "اداره": true, "لدى": true, "حرس": true, "سلاح": true, "جو": true, "ملكيه": true, "ملكي": true,
	"نائب": true, "وزراء": true, "مجلس": true,
}

// ministerTitles are government titles: a minister introduced with no
// nationality belongs to the country the article is about (as a ministry
// named with no country does).
var ministerTitles = map[string]bool{"ministre": true, "minister": true, "وزير": true, "وزيره": true}

// pairWords name the two persons last introduced ("les deux hommes", "the
// two ministers", "الوزيران").
var pairPhrases = newPhraseSet([][]string{
	{"les", "deux", "hommes"}, {"les", "deux", "ministres"}, {"les", "deux", "responsables"},
	{"les", "deux", "dirigeants"}, {"les", "deux", "chefs"}, {"les", "deux", "generaux"},
	{"the", "two", "men"}, {"the", "two", "ministers"}, {"the", "two", "leaders"}, {"the", "two", "officials"},
	{"the", "two", "generals"}, {"the", "two", "chiefs"}, {"both", "ministers"}, {"both", "leaders"},
	{"both", "men"}, {"both", "officials"},
	{"الوزيران"}, {"الوزيرين"}, {"الرجلان"}, {"الرجلين"}, {"المسوولان"}, {"المسوولين", "الاثنين"},
})

// namePartikels may stand inside a name written in Latin letters.
var nameParticles = map[string]bool{"bin": true, "ben": true, "ibn": true, "al": true, "el": true, "ould": true}

// arabicNameStop are words that end an Arabic name.
var arabicNameStop = map[string]bool{"في": true, "على": true, "من": true, "الى": true, "الي": true, "مع": true,
	"ان": true, "انه": true, "الذي": true, "التي": true, "عن": true, "خلال": true, "اليوم": true, "امس": true,
	"قد": true, "لقد": true, "كان": true, "يوم": true, "بعد": true, "قبل": true, "و": true, "او": true, "ثم": true,
	"حيث": true, "الى جانب": true, "بين": true, "لدى": true, "عند": true, "هذا": true, "هذه": true, "ب": true,
	"ل": true, "اثناء": true, "بحضور": true, "رفقه": true, "وذلك": true, "ذلك": true, "الذين": true}

type person struct {
	country string
	surname string // normalised last word of the name
	titles  map[string]bool
}

// persons is the component that links people to their country
// (coreference): a name introduced with a title and a nationality, a
// country or an organization ("le premier ministre grec, Kyriakos
// Mitsotakis", "Greek Prime Minister Kyriakos Mitsotakis", "le général X,
// inspecteur général des FAR", "وزير الدفاع الباكستاني خواجة آصف")
// registers the person; later mentions of the surname ("M. Mitsotakis",
// "le général Berrid"), of the title alone ("le maréchal", "the
// minister", "الوزير") and "les deux hommes" / "the two ministers" /
// "الوزيران" (the two persons last named) then mention their countries.
// A minister introduced with no country at all beside the title is the
// main country's.
func persons(d *Doc) {
	n := len(d.Tokens)
	if n == 0 {
		return
	}
	// the outer span covering each token
	cover := make([]int, n)
	for i := range cover {
		cover[i] = -1
	}
	for i, s := range d.Spans {
		if s.Nested || s.Kind == KindLocative || s.Kind == KindEdition {
			continue
		}
		for t := s.Tok; t < s.TokEnd && t < n; t++ {
			if cover[t] < 0 || d.Spans[cover[t]].TokEnd-d.Spans[cover[t]].Tok < s.TokEnd-s.Tok {
				cover[t] = i
			}
		}
	}
	cueTok := make([]bool, n)
	for _, c := range d.Cues {
		for t := c.Tok; t < c.TokEnd && t < n; t++ {
			cueTok[t] = true
		}
	}
	marker := func(t int) string {
		if t < 0 || t >= n || cover[t] < 0 {
			return ""
		}
		s := d.Spans[cover[t]]
		switch {
		case s.Type == graph.Country && (s.Kind == KindName || s.Kind == KindDemonym || s.Kind == KindCapital || s.Kind == KindKingdom) && s.Key != "":
			return s.Key
		case s.Type == graph.Organization && s.Kind == KindOrg && s.Country != "":
			return s.Country
		}
		return ""
	}
	upper := func(t int) bool {
		return !d.Tokens[t].Arabic && unicode.IsUpper(d.Runes[d.Tokens[t].Start])
	}
	sameSent := func(a, b int) bool { return d.Tokens[a].Sent == d.Tokens[b].Sent }
	gap := func(a, b int) string { return d.gapText(a, b) } // text between tokens a and b
	// titleRun walks from token t in direction dir over a title phrase
	// (titles, their filler words, countries and organizations) and
	// returns the country it names, whether it holds a title, and the
	// title words. Walking back in French or Arabic, the country must
	// follow a title ("le premier ministre grec", "وزير الدفاع
	// الباكستاني"), not precede it ("la visite au Maroc du ministre…").
	titleRun := func(t, dir int) (country string, titled bool, titles map[string]bool, others bool) {
		commas := 0
		var markers []string // nearest first
		var titlesAt []int   // titles seen before reaching each marker
		nt := 0
		for k, steps := t, 0; k >= 0 && k < n && steps < 14 && sameSent(k, t); k, steps = k+dir, steps+1 {
			if k != t {
				g := gap(min(k, k-dir), max(k, k-dir))
				if strings.ContainsAny(g, ".;:!?()[]«»\"“”") {
					break
				}
				if strings.ContainsAny(g, ",،") {
					commas++
					if commas > 2 || dir > 0 {
						break
					}
				}
			}
			if c := marker(k); c != "" {
				markers = append(markers, c)
				titlesAt = append(titlesAt, nt)
				s := d.Spans[cover[k]]
				if dir < 0 {
					k = s.Tok
				} else {
					k = s.TokEnd - 1
				}
				continue
			}
			if cover[k] >= 0 && d.Spans[cover[k]].Kind == KindPerson {
				break
			}
			if d.tokIs(k, personTitles) {
				titled = true
				nt++
				if titles == nil {
					titles = map[string]bool{}
				}
				titles[d.variantIn(k, personTitles)] = true
			} else if !d.tokIs(k, titleFiller) && !(cover[k] >= 0 && (d.Spans[cover[k]].Kind == KindForce || d.Spans[cover[k]].Kind == KindRoyal)) {
				break
			}
		}
		others = len(markers) > 0
		for i, c := range markers {
			if dir < 0 && d.Lang != "en" {
				// a title further back than the country
				if titlesAt[i] < nt {
					country = c
					break
				}
				continue
			}
			country = c
			break
		}
		return
	}
	var people []person
	type mention struct {
		tok, end int
		country  string
	}
	var order []mention // persons mentioned, in order, for "the two men"
	var add []Span
	addSpan := func(tok, end int, country string) {
		add = append(add, Span{Start: d.Tokens[tok].Start, End: d.Tokens[end-1].End, Tok: tok, TokEnd: end,
			Type: graph.Country, Kind: KindPerson, Key: country})
		order = append(order, mention{tok, end, country})
	}
	bySurname := map[string]int{} // surname → its latest person
	find := func(surname string) *person {
		if i, ok := bySurname[surname]; ok {
			return &people[i]
		}
		return nil
	}
	register := func(p person) {
		people = append(people, p)
		bySurname[p.surname] = len(people) - 1
	}
	for t := 0; t < n; t++ {
		if cover[t] >= 0 {
			s := d.Spans[cover[t]]
			if s.Kind == KindPerson && s.Key != "" && s.Tok == t {
				order = append(order, mention{s.Tok, s.TokEnd, s.Key})
			}
			t = max(t, s.TokEnd-1)
			continue
		}
		// "les deux hommes", "the two ministers", "الوزيران"
		if pl := d.pairAt(t); pl > 0 {
			var cs []string
			for i := len(order) - 1; i >= 0 && len(cs) < 2; i-- {
				if len(cs) == 0 || cs[0] != order[i].country {
					cs = append(cs, order[i].country)
				}
			}
			if len(cs) == 2 {
				for _, c := range cs {
					add = append(add, Span{Start: d.Tokens[t].Start, End: d.Tokens[t+pl-1].End, Tok: t, TokEnd: t + pl,
						Type: graph.Country, Kind: KindPerson, Key: c})
				}
			}
			t += pl - 1
			continue
		}
		tok := d.Tokens[t]
		if tok.Arabic {
			// a title and its country, then the name: "وزير الدفاع
			// الباكستاني خواجة آصف"
			if t > 0 && cover[t-1] >= 0 && marker(t-1) != "" && !strings.ContainsAny(gap(t-1, t), ".،,:;()«»\"") {
				c, titled, titles, _ := titleRun(t-1, -1)
				if titled && c != "" {
					end := t
					for end < n && end-t < 3 && cover[end] < 0 && !cueTok[end] && d.Tokens[end].Arabic && sameSent(t, end) &&
						!d.tokIs(end, arabicNameStop) && !d.tokIs(end, personTitles) && len([]rune(d.Tokens[end].Norm)) > 1 {
						if end > t && strings.ContainsAny(gap(end-1, end), ".،,:;()«»\"") {
							break
						}
						end++
					}
					if end-t >= 2 {
						register(person{country: c, surname: d.Tokens[end-1].Norm, titles: titles})
						addSpan(t, end, c)
						t = end - 1
						continue
					}
				}
			}
			if p := d.arabicSurname(t, find); p != nil {
				addSpan(t, t+1, p.country)
				continue
			}
			if d.tokIs(t, personTitles) && d.Tokens[t].Norm != d.variantIn(t, personTitles) {
				// "الوزير" alone
				if p := lastTitled(people, d.variantIn(t, personTitles)); p != nil && marker(t+1) == "" && marker(t+2) == "" {
					addSpan(t, t+1, p.country)
				}
			}
			continue
		}
		if !upper(t) || d.tokIs(t, personTitles) || d.tokIs(t, titleFiller) {
			// a title alone: "le maréchal", "the minister"
			if d.tokIs(t, personTitles) && t > 0 && determiners[d.Tokens[t-1].Norm] && (t+1 >= n || !upper(t+1) || !sameSent(t, t+1)) &&
				marker(t+1) == "" && marker(t+2) == "" && !d.tokIs(t+1, titleFiller) {
				if p := lastTitled(people, d.variantIn(t, personTitles)); p != nil {
					addSpan(t, t+1, p.country)
				}
			}
			continue
		}
		// a name: capitalised words ("Kyriakos Mitsotakis", "Mohammed bin Salman")
		end := t + 1
		for end < n && sameSent(t, end) && cover[end] < 0 && !strings.ContainsAny(gap(end-1, end), ".,;:()[]«»\"“”،") {
			if upper(end) && !d.tokIs(end, personTitles) {
				end++
				continue
			}
			if nameParticles[d.Tokens[end].Norm] && end+1 < n && upper(end+1) && cover[end+1] < 0 {
				end += 2
				continue
			}
			break
		}
		surname := d.Tokens[end-1].Norm
		if len([]rune(surname)) < 3 {
			t = end - 1
			continue
		}
		// introduced: a title phrase before it (skipping a comma) or in
		// apposition after it
		c, titled, titles, others := "", false, map[string]bool(nil), false
		if t > 0 && sameSent(t-1, t) {
			c, titled, titles, others = titleRun(t-1, -1)
		}
		if c == "" && end < n && sameSent(end-1, end) && strings.ContainsAny(gap(end-1, end), ",،") {
			c2, titled2, titles2, others2 := titleRun(end, 1)
			others = others || others2
			if titled2 && c2 != "" {
				c, titled = c2, true
				for k := range titles2 {
					if titles == nil {
						titles = map[string]bool{}
					}
					titles[k] = true
				}
			}
		}
		if titled && c == "" && !others && len(d.MainCountries) > 0 && end-t >= 2 {
			for k := range titles {
				if ministerTitles[k] {
					c = d.MainCountries[0]
				}
			}
		}
		if titled && c != "" && (end-t >= 2 || find(surname) == nil) {
			register(person{country: c, surname: surname, titles: titles})
			addSpan(t, end, c)
		} else if p := find(surname); p != nil {
			addSpan(t, end, p.country)
		}
		t = end - 1
	}
	if len(add) > 0 {
		d.Spans = append(d.Spans, add...)
		sortSpans(d)
	}
}

// variantIn returns the form of token i found in set, or "".
func (d *Doc) variantIn(i int, set map[string]bool) string {
	for _, v := range d.Tokens[i].variants {
		if set[v.form] {
			return v.form
		}
	}
	return ""
}

// lastTitled returns the person last introduced with that title.
func lastTitled(people []person, title string) *person {
	if title == "" {
		return nil
	}
	for i := len(people) - 1; i >= 0; i-- {
		if people[i].titles[title] {
			return &people[i]
		}
	}
	return nil
}

// arabicSurname returns the person whose surname token t is (with or
// without clitics).
func (d *Doc) arabicSurname(t int, find func(string) *person) *person {
	for _, v := range d.Tokens[t].variants {
		if p := find(v.form); p != nil {
			return p
		}
	}
	return nil
}

// pairAt returns the length of a "the two men" phrase at token t, or 0.
func (d *Doc) pairAt(t int) int {
	return d.phraseAt(t, len(d.Tokens), pairPhrases)
}

// hasVariant reports whether token i has the form w (with or without
// clitics).
func (d *Doc) hasVariant(i int, w string) bool {
	for _, v := range d.Tokens[i].variants {
		if v.form == w {
			return true
		}
	}
	return false
}
