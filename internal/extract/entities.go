package extract

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/defgraph/defgraph/graph"
)

func isEntityLayer(k entryKind) bool {
	switch k {
	case eCountry, ePlace, eOrg, eForce, eExhibition, eExercise, eKingdom, eDual, eRoyal, eBlock, ePerson:
		return true
	}
	return false
}

// entryRank orders the readings of one phrase: the first wins.
var entryRank = map[entryKind]int{eBlock: 0, eExhibition: 1, eExercise: 2, eOrg: 3, eCountry: 4, ePlace: 5,
	eForce: 6, eDual: 7, eKingdom: 8, eRoyal: 9, ePerson: 10}

// matchGazetteer is the component that looks every token up in the
// gazetteer and keeps, per layer (entities; triggers and role cues), the
// leftmost-longest hits. Places inside a longer name (the city in
// "معرض الدفاع الدولي بالرياض") are kept as nested spans.
func matchGazetteer(d *Doc) {
	g := d.x.gaz
	d.locTok = make([]bool, len(d.Tokens))
	d.edTok = make([]bool, len(d.Tokens))
	var ents, cues []match
	var buf []match
	for i := range d.Tokens {
		buf = g.lookup(d, i, buf[:0])
		for _, m := range buf {
			var el, cl []*entry
			for _, e := range m.entries {
				if !caseOK(d, e, m.tok, m.end) || e.needArt && !m.art && isEntityLayer(e.kind) {
					continue
				}
				switch {
				case e.kind == eLocative:
					// a phrase ("au large de", "بالقرب من") marks its last word
					d.locTok[m.end-1] = true
				case e.kind == eEdition:
					d.edTok[m.end-1] = true
				case isEntityLayer(e.kind):
					el = append(el, e)
				default:
					cl = append(cl, e)
				}
			}
			if len(el) > 0 {
				ents = append(ents, match{tok: m.tok, end: m.end, entries: el, clitic: m.clitic})
			}
			if len(cl) > 0 {
				cues = append(cues, match{tok: m.tok, end: m.end, entries: cl, clitic: m.clitic})
			}
		}
	}
	// ambiguous names need an exercise or exhibition word just before them
	// (the trigger may be in the same phrase: "Exercise Cyclone"), a quote,
	// or an edition number or year just after
	trigEnd := map[int]bool{}
	for _, m := range cues {
		for _, e := range m.entries {
			if e.kind == eTrigger && (e.sub == string(graph.EventExercise) || e.sub == string(graph.EventExhibition)) {
				trigEnd[m.end] = true
			}
		}
	}
	kept := ents[:0]
	for _, m := range ents {
		var es []*entry
		for _, e := range m.entries {
			if !e.needCue || d.cueBefore(m.tok, trigEnd) || d.numberAfter(m.end) {
				es = append(es, e)
			}
		}
		if len(es) > 0 {
			m.entries = es
			kept = append(kept, m)
		}
	}
	ents = kept
	chosen := leftmostLongest(ents)
	for _, m := range chosen {
		d.addEntitySpan(m, false)
	}
	// nested places
	for _, m := range ents {
		if !hasKind(m.entries, ePlace) {
			continue
		}
		for _, c := range chosen {
			if c.tok <= m.tok && m.end <= c.end && (c.end-c.tok) > (m.end-m.tok) && !hasKind(c.entries, ePlace) && !hasKind(c.entries, eBlock) && !hasKind(c.entries, eCountry) {
				d.addEntitySpan(match{tok: m.tok, end: m.end, entries: onlyKind(m.entries, ePlace), clitic: m.clitic}, true)
				break
			}
		}
	}
	for _, m := range leftmostLongest(cues) {
		for _, e := range m.entries {
			c := Cue{Start: d.Tokens[m.tok].Start, End: d.Tokens[m.end-1].End, Tok: m.tok, TokEnd: m.end}
			switch e.kind {
			case eTrigger:
				c.Event = graph.EventType(e.sub)
			case eRole:
				c.Role, c.Dir, _ = strings.Cut(e.sub, ":")
			}
			d.Cues = append(d.Cues, c)
		}
	}
	sortSpans(d)
}

// cueBefore reports whether an exercise or exhibition trigger ends at most
// two tokens (and a quote) before token tok, in its sentence.
func (d *Doc) cueBefore(tok int, trigEnd map[int]bool) bool {
	for k := tok; k >= 0 && k >= tok-2; k-- {
		if k < len(d.Tokens) && k > 0 && !d.same(k-1, tok) {
			return false
		}
		if trigEnd[k] {
			return true
		}
	}
	if tok > 0 && strings.ContainsAny(d.gapText(tok-1, tok), "\"«“”'‘’") {
		return true
	}
	return false
}

// numberAfter reports whether a number (an edition year or index) follows
// token end-1 closely.
func (d *Doc) numberAfter(end int) bool {
	if end >= len(d.Tokens) || !d.same(end-1, end) {
		return false
	}
	if d.num(end) == 0 {
		return false
	}
	return len([]rune(strings.TrimSpace(d.gapText(end-1, end)))) <= 1
}

func hasKind(es []*entry, k entryKind) bool {
	for _, e := range es {
		if e.kind == k {
			return true
		}
	}
	return false
}

func onlyKind(es []*entry, k entryKind) []*entry {
	var out []*entry
	for _, e := range es {
		if e.kind == k {
			out = append(out, e)
		}
	}
	return out
}

// leftmostLongest keeps, scanning left to right, the longest match at each
// start that does not overlap the previous one kept.
func leftmostLongest(ms []match) []match {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].tok != ms[j].tok {
			return ms[i].tok < ms[j].tok
		}
		return ms[i].end > ms[j].end
	})
	var out []match
	last := -1
	for _, m := range ms {
		if m.tok < last {
			continue
		}
		if len(out) > 0 && out[len(out)-1].tok == m.tok {
			continue
		}
		out = append(out, m)
		last = m.end
	}
	return out
}

func (d *Doc) addEntitySpan(m match, nested bool) {
	best := m.entries[0]
	for _, e := range m.entries[1:] {
		if entryRank[e.kind] < entryRank[best.kind] {
			best = e
		}
	}
	s := Span{Start: d.Tokens[m.tok].Start, End: d.Tokens[m.end-1].End, Tok: m.tok, TokEnd: m.end,
		Key: best.key, Clitic: m.clitic, Nested: nested, ref: best}
	switch best.kind {
	case eBlock:
		s.Kind = KindBlock
	case eCountry:
		s.Type, s.Kind = graph.Country, SpanKind(best.sub)
	case ePlace:
		s.Type, s.Kind, s.Country = graph.Place, KindEntity, best.info.Country
	case eOrg:
		s.Type, s.Kind, s.Country = graph.Organization, KindOrg, best.info.Country
		if best.sub == "media" {
			s.Kind = KindMedia
		}
	case eForce:
		s.Kind = KindForce
	case eExhibition:
		s.Type, s.Kind = graph.Exhibition, KindEntity
	case eExercise:
		s.Type, s.Kind = graph.Exercise, KindEntity
	case eKingdom:
		s.Kind = KindKingdom
	case ePerson:
		s.Type, s.Kind = graph.Country, KindPerson
	case eDual:
		s.Kind = KindDual
	case eRoyal:
		s.Kind = KindRoyal
	}
	d.Spans = append(d.Spans, s)
}

func sortSpans(d *Doc) {
	sort.SliceStable(d.Spans, func(i, j int) bool {
		if d.Spans[i].Start != d.Spans[j].Start {
			return d.Spans[i].Start < d.Spans[j].Start
		}
		return d.Spans[i].End > d.Spans[j].End
	})
	sort.SliceStable(d.Cues, func(i, j int) bool { return d.Cues[i].Start < d.Cues[j].Start })
}

// capitals is the component that decides whether a capital names a place
// ("in Rabat", "بالرياض") or stands for its government ("the industry of
// Islamabad", "لإسلام أباد", "Rabat and Islamabad agreed").
func capitals(d *Doc) {
	for i := range d.Spans {
		s := &d.Spans[i]
		if s.Type != graph.Place || s.ref == nil || s.ref.capitalOf == "" || s.Nested {
			continue
		}
		locative := s.Clitic == "ب" || s.Clitic == "وب" || s.Clitic == "فب"
		if s.Tok > 0 && d.locTok[s.Tok-1] && d.Tokens[s.Tok-1].Sent == d.Tokens[s.Tok].Sent {
			locative = true
		}
		if !locative {
			s.Type, s.Kind, s.Key, s.Country = graph.Country, KindCapital, s.ref.capitalOf, ""
		}
	}
	// a place where something happens mentions its country
	var add []Span
	for i := range d.Spans {
		s := &d.Spans[i]
		if s.Type == graph.Place && !s.Nested && s.Country != "" && d.locativeSpan(s) {
			add = append(add, Span{Start: s.Start, End: s.End, Tok: s.Tok, TokEnd: s.TokEnd, Type: graph.Country,
				Kind: KindImplied, Key: s.Country, Nested: true})
		}
	}
	d.Spans = append(d.Spans, add...)
	sortSpans(d)
}

// countCountries counts the mentions of each country so far.
func countCountries(d *Doc) map[string]int {
	c := map[string]int{}
	for _, s := range d.Spans {
		if s.Type == graph.Country && s.Key != "" {
			c[s.Key]++
		}
	}
	return c
}

// topCountries returns the countries by mentions, most first, ties by first
// mention.
func topCountries(d *Doc, counts map[string]int) []string {
	first := map[string]int{}
	for i, s := range d.Spans {
		if s.Type == graph.Country && s.Key != "" {
			if _, ok := first[s.Key]; !ok {
				first[s.Key] = i
			}
		}
	}
	var out []string
	for k := range counts {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if counts[out[i]] != counts[out[j]] {
			return counts[out[i]] > counts[out[j]]
		}
		return first[out[i]] < first[out[j]]
	})
	return out
}

// kingdom is the component that finds what "the Kingdom" stands for: the
// most mentioned country that is a kingdom; then it resolves every
// "المملكة" / "the Kingdom" / "le Royaume" span to it.
func kingdom(d *Doc) {
	counts := countCountries(d)
	for _, k := range topCountries(d, counts) {
		if in := d.x.gaz.countries[k]; in != nil && in.Kingdom {
			d.Kingdom = k
			break
		}
	}
	if d.Kingdom == "" {
		// An organization of a kingdom ("القوات المسلحة الملكية") speaks for
		// Morocco when no other kingdom is in sight.
		for _, s := range d.Spans {
			if s.Kind == KindForce && s.ref != nil && s.ref.sub == "KINGDOM" {
				d.Kingdom = "MAR"
				break
			}
		}
	}
	for i := range d.Spans {
		s := &d.Spans[i]
		if s.Kind == KindKingdom && d.Kingdom != "" {
			s.Type, s.Key = graph.Country, d.Kingdom
		}
	}
}

var gapWords = map[string]bool{"de": true, "du": true, "des": true, "d": true, "la": true, "l": true, "le": true,
	"of": true, "the": true}

// organizations is the component that ties an armed force or ministry to
// the country named beside it ("سلاح الجو الباكستاني", "Pakistan Air
// Force", "Royal Saudi Navy", "armée de l'air algérienne", "Ministry of
// Defense of Pakistan"), or to its default country; a force with no
// country is dropped.
func organizations(d *Doc) {
	spanAt := map[int]int{}  // first token → span index (outer spans)
	spanEnd := map[int]int{} // end token → span index
	for i, s := range d.Spans {
		if s.Nested {
			continue
		}
		spanAt[s.Tok] = i
		spanEnd[s.TokEnd] = i
	}
	isCountry := func(i int) bool {
		s := d.Spans[i]
		return s.Type == graph.Country && (s.Kind == KindName || s.Kind == KindDemonym || s.Kind == KindCapital)
	}
	sameSent := func(a, b int) bool {
		return a >= 0 && b >= 0 && a < len(d.Tokens) && b < len(d.Tokens) && d.Tokens[a].Sent == d.Tokens[b].Sent
	}
	drop := map[int]bool{}
	var add []Span
	top := topCountries(d, countCountries(d))
	for i, s := range d.Spans {
		if s.Kind != KindForce {
			continue
		}
		start, end := i, i
		royal := strings.Contains(strings.ToLower(s.ref.info.Name), "royal") || s.ref.sub == "KINGDOM"
		country := ""
		// forward: force [royal] [de la…] country
		forward := func() bool {
			j := s.TokEnd
			if k, ok := spanAt[j]; ok && d.Spans[k].Kind == KindRoyal && sameSent(s.Tok, j) {
				royal = true
				end = k
				j = d.Spans[k].TokEnd
			}
			for g := 0; g < 3 && j < len(d.Tokens) && gapWords[d.Tokens[j].Norm] && sameSent(s.Tok, j); g++ {
				j++
			}
			if k, ok := spanAt[j]; ok && isCountry(k) && sameSent(s.Tok, j) {
				country, end = d.Spans[k].Key, k
				if k2, ok := spanAt[d.Spans[k].TokEnd]; ok && d.Spans[k2].Kind == KindRoyal && sameSent(s.Tok, d.Spans[k2].Tok) {
					royal, end = true, k2
				}
				return true
			}
			return false
		}
		// backward: [Royal] country['s] force
		backward := func() bool {
			j := s.Tok
			if j > 0 && d.Tokens[j-1].Norm == "s" && !d.Tokens[j-1].Arabic {
				j--
			}
			if k, ok := spanEnd[j]; ok && isCountry(k) && sameSent(s.Tok, d.Spans[k].Tok) && !d.Tokens[s.Tok].Arabic {
				country, start = d.Spans[k].Key, k
				if k2, ok := spanEnd[d.Spans[k].Tok]; ok && d.Spans[k2].Kind == KindRoyal && sameSent(s.Tok, d.Spans[k2].Tok) {
					royal, start = true, k2
				}
				return true
			}
			return false
		}
		if d.Lang == "en" {
			_ = backward() || forward()
		} else {
			_ = forward() || backward()
		}
		implied := false
		if country == "" {
			switch dflt := s.ref.sub; {
			case dflt == "KINGDOM":
				country = d.Kingdom
				if country == "" {
					country = "MAR"
				}
			case dflt != "":
				country = dflt
			case homeSlugs[s.Key] && len(top) > 0 && d.homeForce(s):
				// "the Ministry of Defence said", "وزارة الدفاع": the
				// ministry of the country the article is about
				country = top[0]
			}
			implied = true
		}
		if country == "" {
			drop[i] = true
			continue
		}
		slug := s.Key
		if royal && slug == "armed-forces" {
			slug = "royal-armed-forces"
		}
		key := "org:" + country + ":" + slug
		if a := d.x.gaz.orgAlias[key]; a != "" {
			key = a
		}
		d.ensureOrgInfo(key, country, slug, royal)
		o := Span{Start: d.Spans[start].Start, End: d.Spans[end].End, Tok: d.Spans[start].Tok, TokEnd: d.Spans[end].TokEnd,
			Type: graph.Organization, Kind: KindOrg, Key: key, Country: country, Clitic: d.Spans[start].Clitic}
		for k := start; k <= end; k++ {
			if d.Spans[k].Kind == KindForce || d.Spans[k].Kind == KindRoyal {
				drop[k] = true
			} else if d.Spans[k].Type == graph.Country {
				d.Spans[k].Nested = true
			}
		}
		add = append(add, o)
		if implied {
			add = append(add, Span{Start: o.Start, End: o.End, Tok: o.Tok, TokEnd: o.TokEnd, Type: graph.Country,
				Kind: KindImplied, Key: country, Nested: true})
		}
	}
	// "le ministère égyptien de la Défense", "ministère algérien de la
	// Défense nationale", "ministère français des Armées": the demonym
	// stands inside the ministry's name
	for i := range d.Spans {
		s := &d.Spans[i]
		if s.Kind != KindDemonym || s.Nested || s.Tok == 0 || d.Tokens[s.Tok-1].Norm != "ministere" || !sameSent(s.Tok-1, s.TokEnd) {
			continue
		}
		n := s.TokEnd
		switch {
		case d.tokNorm(n) == "de" && d.tokNorm(n+1) == "la" && d.tokNorm(n+2) == "defense":
			n += 3
			if d.tokNorm(n) == "nationale" {
				n++
			}
		case d.tokNorm(n) == "des" && d.tokNorm(n+1) == "armees":
			n += 2
		default:
			continue
		}
		key := "org:" + s.Key + ":ministry-of-defense"
		if a := d.x.gaz.orgAlias[key]; a != "" {
			key = a
		}
		d.ensureOrgInfo(key, s.Key, "ministry-of-defense", false)
		add = append(add, Span{Start: d.Tokens[s.Tok-1].Start, End: d.Tokens[n-1].End, Tok: s.Tok - 1, TokEnd: n,
			Type: graph.Organization, Kind: KindOrg, Key: key, Country: s.Key})
		s.Nested = true
	}
	// organizations with a fixed name also mention their country
	for _, s := range d.Spans {
		if s.Kind == KindOrg && s.Country != "" && strings.HasPrefix(s.Key, "org:"+s.Country+":") {
			add = append(add, Span{Start: s.Start, End: s.End, Tok: s.Tok, TokEnd: s.TokEnd, Type: graph.Country,
				Kind: KindImplied, Key: s.Country, Nested: true})
		}
	}
	out := d.Spans[:0]
	for i, s := range d.Spans {
		if !drop[i] && s.Kind != KindRoyal {
			out = append(out, s)
		}
	}
	d.Spans = append(out, add...)
	sortSpans(d)
}

// homeSlugs are the state bodies that, named with no country, are the
// article's own country's ("the Ministry of Defence said").
var homeSlugs = map[string]bool{"ministry-of-defense": true, "general-staff": true}

// homeForce reports whether a force span with no country may stand for
// the article's country: in English it must be capitalised (the Ministry
// of Defence, not "a defence ministry").
func (d *Doc) homeForce(s Span) bool {
	if d.Tokens[s.Tok].Arabic {
		return true
	}
	return unicode.IsUpper(d.Runes[s.Start])
}

// ensureOrgInfo records the names of an organization built from a force
// pattern: the gazetteer's own names when it has them, and generated
// English names ("Pakistan Air Force", "Pakistani Air Force", "Air Force of
// Pakistan").
func (d *Doc) ensureOrgInfo(key, country, slug string, royal bool) {
	if d.orgInfo == nil {
		d.orgInfo = map[string]*info{}
	}
	if d.orgInfo[key] != nil {
		return
	}
	g := d.x.gaz
	force := g.forces[slug]
	if force == "" {
		force = slug
	}
	in := &info{Key: key, Type: graph.Organization, Country: country, Names: map[string]string{}}
	if known := g.entities[key]; known != nil {
		in.Name = known.Name
		for l, n := range known.Names {
			in.Names[l] = n
		}
		for _, a := range known.Aliases {
			in.addAlias(a)
		}
	}
	c := g.countries[country]
	cname, dem := country, ""
	if c != nil {
		cname, dem = c.Name, c.Dem["en"]
	}
	base := strings.TrimPrefix(force, "Royal ")
	gen := []string{cname + " " + base}
	if dem != "" {
		gen = append(gen, dem+" "+base)
		if royal {
			gen = append(gen, "Royal "+dem+" "+base)
		}
	}
	gen = append(gen, base+" of "+cname)
	if royal {
		gen = append(gen, "Royal "+base)
	}
	if c != nil {
		for _, a := range c.Aliases {
			if len(a) <= 4 && strings.ToUpper(a) == a && !strings.ContainsFunc(a, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
				gen = append(gen, a+" "+base)
			}
		}
	}
	// the bare name and both spellings of defence
	gen = append(gen, base)
	for _, n := range gen {
		switch {
		case strings.Contains(n, "Defense"):
			gen = append(gen, strings.ReplaceAll(n, "Defense", "Defence"))
		case strings.Contains(n, "Defence"):
			gen = append(gen, strings.ReplaceAll(n, "Defence", "Defense"))
		}
	}
	if in.Name == "" {
		in.Name = gen[0]
	}
	for _, n := range gen {
		in.addAlias(n)
	}
	if in.Names["en"] == "" {
		in.Names["en"] = in.Name
	}
	d.orgInfo[key] = in
}

// mainCountries is the component that ranks the article's countries by
// mentions (organizations and "the Kingdom" included).
func mainCountries(d *Doc) {
	d.counts = countCountries(d)
	d.MainCountries = topCountries(d, d.counts)
}

func yearOf(t Token) int {
	if len(t.Norm) != 4 {
		return 0
	}
	y, err := strconv.Atoi(t.Norm)
	if err != nil || y < 1950 || y > 2100 {
		return 0
	}
	return y
}

// gapText returns the original text between two tokens.
func (d *Doc) gapText(a, b int) string {
	if a < 0 || b >= len(d.Tokens) || a >= b {
		return ""
	}
	return d.text(d.Tokens[a].End, d.Tokens[b].Start)
}

// editions is the component that reads the edition year of an exercise or
// exhibition: "Indus Shield-2023", "African Lion 2024", "“الأسد الإفريقي”
// لسنة 2023", "the 2024 edition of African Lion", "l'édition 2024 du
// salon". A year written right after the name becomes part of the mention.
func editions(d *Doc) {
	for i := range d.Spans {
		s := &d.Spans[i]
		if (s.Type != graph.Exercise && s.Type != graph.Exhibition) || s.Nested {
			continue
		}
		j := s.TokEnd
		if j < len(d.Tokens) && d.Tokens[j].Sent == d.Tokens[s.TokEnd-1].Sent {
			gap := d.gapText(s.TokEnd-1, j)
			y := yearOf(d.Tokens[j])
			if y == 0 && len(d.Tokens[j].Norm) == 2 && (gap == "-" || gap == "–" || gap == " ") {
				// "AMAN-25", "Ajeya Warrior-23", "African Lion 25"
				if n := d.num(j); n >= 10 && n <= 40 {
					y = 2000 + n
				}
			}
			if y > 0 && len([]rune(gap)) <= 3 && strings.Trim(gap, " -–—_'\"”“″″«»()") == "" {
				s.Year = y
				if strings.Trim(gap, " -–—") == "" {
					s.End, s.TokEnd = d.Tokens[j].End, j+1
				}
				continue
			}
			if d.edTok[j] && j+1 < len(d.Tokens) && d.Tokens[j+1].Sent == d.Tokens[j].Sent && len([]rune(gap)) <= 3 {
				if y := yearOf(d.Tokens[j+1]); y > 0 {
					s.Year = y
					continue
				}
			}
		}
		// before: "the 2024 edition of", "l'édition 2024 du", "دورة 2023 من"
		for k := s.Tok - 1; k >= 0 && k >= s.Tok-4 && d.Tokens[k].Sent == d.Tokens[s.Tok].Sent; k-- {
			if y := yearOf(d.Tokens[k]); y > 0 && ((k+1 < s.Tok && d.edTok[k+1]) || (k > 0 && d.edTok[k-1])) {
				s.Year = y
				break
			}
		}
	}
}
