package extract

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed data/*.tsv
var dataFS embed.FS

type entryKind uint8

const (
	eCountry entryKind = iota + 1
	ePlace
	eOrg
	eForce
	eExhibition
	eExercise
	eTrigger
	eRole
	eKingdom
	eDual
	eRoyal
	eLocative
	eEdition
	eBlock
	ePerson
)

// caseRule says how the original text must be capitalised for an entry to
// match: acronyms in capitals, English proper names with a capital.
type caseRule uint8

const (
	caseAny caseRule = iota
	caseFirstUpper
	caseAllUpper
)

// entry is one name (or word) of the gazetteer and what it stands for.
type entry struct {
	kind entryKind
	sub  string // country: name/demonym/capital; trigger: event type; role: role:dir; force: default
	key  string
	info *info
	lang string
	cr   caseRule
	// needCue: an ambiguous name ("Tabuk", "Cyclone", "أمان") that only
	// counts next to an exercise or exhibition word or an edition year.
	needCue bool
	// needArt: an Arabic name written with the article (الرياض) does not
	// match the bare word (رياض, a first name)
	needArt bool
	// place entries that are capitals also carry the country
	capitalOf string
}

// info is what the gazetteer knows about an entity.
type info struct {
	Key     string
	Type    graph.EntityType
	Name    string
	Names   map[string]string
	Aliases []string
	Country string
	Kind    string // alliance, media, company, state (organizations)
	Host    string // usual host country (exercises, exhibitions)
	Place   string // host place key (exhibitions)
	Slug    string // forces
	Kingdom bool   // countries
	Dem     map[string]string
}

func (in *info) addAlias(s string) {
	s = strings.TrimSpace(s)
	if s == "" || s == in.Name {
		return
	}
	for _, a := range in.Aliases {
		if a == s {
			return
		}
	}
	in.Aliases = append(in.Aliases, s)
}

type trieNode struct {
	kids       map[string]*trieNode
	prefix     map[string][]*entry // last word given as a prefix ("تمرين*")
	prefixLens []int               // the rune lengths of the prefixes, longest first
	entries    []*entry
}

func newNode() *trieNode { return &trieNode{} }

func (n *trieNode) insert(words []string, e *entry, prefixLast bool) {
	for i, w := range words {
		if i == len(words)-1 && prefixLast {
			if n.prefix == nil {
				n.prefix = map[string][]*entry{}
			}
			n.prefix[w] = append(n.prefix[w], e)
			l := utf8.RuneCountInString(w)
			if !slices.Contains(n.prefixLens, l) {
				n.prefixLens = append(n.prefixLens, l)
				sort.Sort(sort.Reverse(sort.IntSlice(n.prefixLens)))
			}
			return
		}
		if n.kids == nil {
			n.kids = map[string]*trieNode{}
		}
		k := n.kids[w]
		if k == nil {
			k = newNode()
			n.kids[w] = k
		}
		n = k
	}
	n.entries = append(n.entries, e)
}

// gazetteer holds every known name, as a word trie.
type gazetteer struct {
	root      *trieNode
	countries map[string]*info // by ISO3
	entities  map[string]*info // by key (orgs, places, exercises, exhibitions)
	forces    map[string]string
	orgAlias  map[string]string // force key built by pattern → the organization it is known as
	size      int
}

func newGazetteer() *gazetteer {
	return &gazetteer{root: newNode(), countries: map[string]*info{}, entities: map[string]*info{}, forces: map[string]string{}, orgAlias: map[string]string{}}
}

func (g *gazetteer) add(form, lang string, e *entry) {
	form = strings.TrimSpace(form)
	if strings.HasPrefix(form, "~") {
		form = strings.TrimSpace(form[1:])
		e.needCue = true
	}
	prefix := strings.HasSuffix(form, "*")
	form = strings.TrimSuffix(form, "*")
	words := canonPhrase(form)
	if len(words) == 0 {
		return
	}
	if first := []rune(strings.Fields(form)[0]); len(first) >= 4 && (string(first[:2]) == "ال" || string(first[:2]) == "اﻟ") {
		e.needArt = true
	}
	e.lang = lang
	e.cr = caseFor(form)
	g.root.insert(words, e, prefix)
	g.size++
}

// caseFor returns the capitalisation rule of a Latin form: acronyms (two or
// more capitals and no lower case) must match in capitals; English names
// starting with a capital must start with one.
func caseFor(form string) caseRule {
	upper, lower, letters := 0, 0, 0
	first := rune(0)
	for _, r := range form {
		if !unicode.IsLetter(r) {
			continue
		}
		if first == 0 {
			first = r
		}
		letters++
		if unicode.Is(unicode.Arabic, r) {
			return caseAny
		}
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLower(r) {
			lower++
		}
	}
	if upper >= 2 && lower == 0 {
		return caseAllUpper
	}
	if first != 0 && unicode.IsUpper(first) {
		return caseFirstUpper
	}
	return caseAny
}

func readTSV(r io.Reader, name string, fn func(cols []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if err := fn(strings.Split(t, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	return sc.Err()
}

func readData(name string, minCols int, fn func(cols []string) error) error {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return err
	}
	defer f.Close()
	return readTSV(f, name, func(cols []string) error {
		if len(cols) < minCols {
			return fmt.Errorf("want %d columns, got %d", minCols, len(cols))
		}
		return fn(cols)
	})
}

func splitForms(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "|") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// scriptLang guesses the language a form is written in, for Names.
func scriptLang(s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return "ar"
		}
	}
	return ""
}

// loadGazetteer builds the gazetteer from the embedded data files, the
// CLDR country names and, when path is not empty, a user gazetteer.
func loadGazetteer(path string) (*gazetteer, error) {
	g := newGazetteer()
	if err := g.loadCountries(); err != nil {
		return nil, err
	}
	steps := []struct {
		file string
		cols int
		fn   func([]string) error
	}{
		{"places.tsv", 4, g.loadPlace},
		{"orgs.tsv", 5, g.loadOrg},
		{"forces.tsv", 4, g.loadForce},
		{"exhibitions.tsv", 5, g.loadExhibition},
		{"exercises.tsv", 5, g.loadExercise},
		{"lexicon.tsv", 4, g.loadLexicon},
		{"people.tsv", 2, g.loadPerson},
	}
	for _, s := range steps {
		if err := readData(s.file, s.cols, s.fn); err != nil {
			return nil, err
		}
	}
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, graph.Wrap(graph.EINVALID, err, "user gazetteer")
		}
		defer f.Close()
		if err := readTSV(f, path, g.loadUser); err != nil {
			return nil, graph.Wrap(graph.EINVALID, err, "user gazetteer")
		}
	}
	return g, nil
}

var cldrLangs = []struct {
	code string
	tag  language.Tag
}{{"en", language.English}, {"ar", language.Arabic}, {"fr", language.French}}

func (g *gazetteer) loadCountries() error {
	namers := make([]display.Namer, len(cldrLangs))
	for i, l := range cldrLangs {
		namers[i] = display.Regions(l.tag)
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			if r.Canonicalize() != r {
				continue // deprecated codes (DD, YU…) stand for another region
			}
			iso3 := r.ISO3()
			if len(iso3) != 3 {
				continue
			}
			in := &info{Key: iso3, Type: graph.Country, Names: map[string]string{}, Dem: map[string]string{}}
			for i, l := range cldrLangs {
				n := namers[i].Name(r)
				if n == "" {
					continue
				}
				in.Names[l.code] = n
			}
			if in.Names["en"] == "" {
				continue
			}
			in.Name = in.Names["en"]
			g.countries[iso3] = in
		}
	}
	type row struct{ iso, field, val string }
	var rows []row
	if err := readData("countries.tsv", 3, func(c []string) error {
		rows = append(rows, row{c[0], c[1], c[2]})
		return nil
	}); err != nil {
		return err
	}
	drop := map[string]bool{}
	for _, r := range rows {
		if r.field == "drop" {
			for _, f := range splitForms(r.val) {
				drop[r.iso+"\x00"+f] = true
			}
		}
	}
	// CLDR names first, then our own data.
	isos := make([]string, 0, len(g.countries))
	for k := range g.countries {
		isos = append(isos, k)
	}
	sort.Strings(isos)
	for _, iso := range isos {
		in := g.countries[iso]
		for _, l := range cldrLangs {
			n := in.Names[l.code]
			if n == "" || drop[iso+"\x00"+n] {
				continue
			}
			g.addCountryName(in, n, l.code, "name")
			// CLDR writes some names with a qualifier: "Congo - Brazzaville",
			// "Myanmar (Burma)"; also add the straight apostrophe form.
			if strings.ContainsAny(n, "’") {
				g.addCountryName(in, strings.ReplaceAll(n, "’", "'"), l.code, "name")
			}
		}
	}
	for _, r := range rows {
		in := g.countries[r.iso]
		if in == nil {
			return fmt.Errorf("countries.tsv: unknown country %s", r.iso)
		}
		forms := splitForms(r.val)
		switch r.field {
		case "ar", "en", "fr":
			for _, f := range forms {
				g.addCountryName(in, f, r.field, "name")
			}
		case "en-name":
			in.addAlias(in.Name)
			in.Name = forms[0]
		case "kingdom":
			in.Kingdom = true
		case "drop":
		case "ar-dem", "ar-dem-x", "en-dem", "fr-dem", "fr-dem-x":
			lang := r.field[:2]
			for _, f := range forms {
				if in.Dem[lang] == "" {
					in.Dem[lang] = f
				}
				for _, v := range demonymForms(f, r.field) {
					g.add(v, lang, &entry{kind: eCountry, sub: "demonym", key: in.Key, info: in})
				}
			}
		default:
			return fmt.Errorf("countries.tsv: unknown field %q", r.field)
		}
	}
	return nil
}

func (g *gazetteer) addCountryName(in *info, n, lang, sub string) {
	in.addAlias(n)
	g.add(n, lang, &entry{kind: eCountry, sub: sub, key: in.Key, info: in})
}

// demonymForms returns the inflected forms of a demonym: Arabic feminine
// and plurals (مغربي → مغربية مغربيين مغربيون), English plural, French
// feminine and plurals (marocain → marocaine marocains marocaines, algérien
// → algérienne).
func demonymForms(f, field string) []string {
	switch field {
	case "ar-dem":
		return []string{f, f + "ة", f + "ين", f + "ون", f + "تين", f + "ان"}
	case "en-dem":
		if strings.HasSuffix(f, "ese") || strings.HasSuffix(f, "ish") || strings.HasSuffix(f, "ch") || strings.HasSuffix(f, "i") && !strings.HasSuffix(f, "ni") {
			return []string{f}
		}
		return []string{f, f + "s"}
	case "fr-dem":
		if strings.HasSuffix(f, "s") {
			return []string{f, f + "e", f + "es"}
		}
		if strings.HasSuffix(f, "ien") || strings.HasSuffix(f, "éen") {
			return []string{f, f + "ne", f + "s", f + "nes"}
		}
		return []string{f, f + "e", f + "s", f + "es"}
	}
	return []string{f}
}

func (g *gazetteer) loadPlace(c []string) error {
	key, name, capital, forms := c[0], c[1], c[2] == "1", splitForms(c[3])
	parts := strings.Split(key, ":")
	if len(parts) != 3 {
		return fmt.Errorf("bad place key %q", key)
	}
	in := &info{Key: key, Type: graph.Place, Name: name, Names: map[string]string{"en": name}, Country: parts[1]}
	g.entities[key] = in
	for _, f := range forms {
		in.addAlias(f)
		if scriptLang(f) == "ar" && in.Names["ar"] == "" {
			in.Names["ar"] = f
		}
		e := &entry{kind: ePlace, key: key, info: in}
		if capital {
			e.capitalOf = parts[1]
		}
		g.add(f, "", e)
	}
	return nil
}

func (g *gazetteer) loadOrg(c []string) error {
	key, country, kind, name, forms := c[0], c[1], c[2], c[3], splitForms(c[4])
	if country == "-" {
		country = ""
	}
	if kind == "alias" {
		// key is the organization a force pattern builds; it is known as
		// the organization named in the last column
		g.orgAlias[key] = strings.TrimSpace(c[4])
		return nil
	}
	in := g.entities[key]
	if in == nil {
		in = &info{Key: key, Type: graph.Organization, Name: name, Names: map[string]string{"en": name}, Country: country, Kind: kind}
		g.entities[key] = in
	}
	for _, f := range forms {
		in.addAlias(f)
		if scriptLang(f) == "ar" && in.Names["ar"] == "" {
			in.Names["ar"] = f
		}
		if kind != "names" {
			g.add(f, "", &entry{kind: eOrg, sub: kind, key: key, info: in})
		}
	}
	return nil
}

func (g *gazetteer) loadForce(c []string) error {
	slug, name, dflt, forms := c[0], c[1], c[2], splitForms(c[3])
	if dflt == "-" {
		dflt = ""
	}
	if g.forces[slug] == "" {
		g.forces[slug] = name // the first line of a slug names it
	}
	in := &info{Key: slug, Type: graph.Organization, Name: name, Slug: slug}
	for _, f := range forms {
		g.add(f, "", &entry{kind: eForce, sub: dflt, key: slug, info: in})
	}
	return nil
}

func (g *gazetteer) loadExhibition(c []string) error {
	slug, name, host, place, forms := c[0], c[1], c[2], c[3], splitForms(c[4])
	if place == "-" {
		place = ""
	}
	key := "exhibition:" + slug
	in := &info{Key: key, Type: graph.Exhibition, Name: name, Names: map[string]string{"en": name}, Host: host, Place: place}
	g.entities[key] = in
	for _, f := range forms {
		in.addAlias(f)
		if scriptLang(f) == "ar" && in.Names["ar"] == "" {
			in.Names["ar"] = f
		}
		g.add(f, "", &entry{kind: eExhibition, key: key, info: in})
	}
	return nil
}

func (g *gazetteer) loadExercise(c []string) error {
	slug, name, host, place, forms := c[0], c[1], c[2], c[3], splitForms(c[4])
	if host == "-" {
		host = ""
	}
	if place == "-" {
		place = ""
	}
	key := "exercise:" + slug
	in := &info{Key: key, Type: graph.Exercise, Name: name, Names: map[string]string{"en": name}, Host: host, Place: place}
	g.entities[key] = in
	for _, f := range forms {
		in.addAlias(strings.TrimPrefix(f, "~"))
		if scriptLang(f) == "ar" && in.Names["ar"] == "" {
			in.Names["ar"] = strings.TrimPrefix(f, "~")
		}
		g.add(f, "", &entry{kind: eExercise, key: key, info: in})
	}
	return nil
}

func (g *gazetteer) loadPerson(c []string) error {
	in := g.countries[c[0]]
	if in == nil {
		return fmt.Errorf("unknown country %q", c[0])
	}
	for _, f := range splitForms(c[1]) {
		g.add(f, "", &entry{kind: ePerson, key: in.Key, info: in})
	}
	return nil
}

func (g *gazetteer) loadLexicon(c []string) error {
	kind, sub, lang, forms := c[0], c[1], c[2], splitForms(c[3])
	var k entryKind
	switch kind {
	case "trigger":
		if !graph.EventType(sub).Valid() {
			return fmt.Errorf("unknown event type %q", sub)
		}
		k = eTrigger
	case "role":
		k = eRole
	case "kingdom":
		k = eKingdom
	case "dual":
		k = eDual
	case "royal":
		k = eRoyal
	case "locative":
		k = eLocative
	case "edition":
		k = eEdition
	case "block":
		k = eBlock
	default:
		return fmt.Errorf("unknown lexicon kind %q", kind)
	}
	for _, f := range forms {
		g.add(f, lang, &entry{kind: k, sub: sub})
	}
	return nil
}

// loadUser reads one line of a user gazetteer:
// type <TAB> key <TAB> name[|name…] [<TAB> country]
// where type is Country, Organization, Exhibition, Exercise or Place.
func (g *gazetteer) loadUser(c []string) error {
	if len(c) < 3 {
		return fmt.Errorf("want type, key and names")
	}
	t, key, forms := graph.EntityType(c[0]), c[1], splitForms(c[2])
	country := ""
	if len(c) > 3 {
		country = strings.TrimSpace(c[3])
	}
	if len(forms) == 0 || key == "" {
		return fmt.Errorf("empty key or names")
	}
	switch t {
	case graph.Country:
		in := g.countries[key]
		if in == nil {
			return fmt.Errorf("unknown country %q", key)
		}
		for _, f := range forms {
			g.addCountryName(in, f, scriptLang(f), "name")
		}
		return nil
	case graph.Organization:
		return g.loadOrg([]string{key, or(country, "-"), "state", forms[0], c[2]})
	case graph.Exhibition:
		return g.loadExhibition([]string{strings.TrimPrefix(key, "exhibition:"), forms[0], or(country, "-"), "-", c[2]})
	case graph.Exercise:
		return g.loadExercise([]string{strings.TrimPrefix(key, "exercise:"), forms[0], or(country, "-"), "-", c[2]})
	case graph.Place:
		return g.loadPlace([]string{key, forms[0], "0", c[2]})
	}
	return fmt.Errorf("unknown type %q", t)
}

func or(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// match is a gazetteer hit: tokens [tok, end) and the entries found there.
type match struct {
	tok, end int
	entries  []*entry
	clitic   string
	art      bool
}

// lookup finds every gazetteer phrase that starts at token i and does not
// leave its sentence.
func (g *gazetteer) lookup(d *Doc, i int, out []match) []match {
	sent := d.Tokens[i].Sent
	var walk func(n *trieNode, j int, clitic string, art bool)
	walk = func(n *trieNode, j int, clitic string, art bool) {
		if j >= len(d.Tokens) || d.Tokens[j].Sent != sent || j-i > 12 {
			return
		}
		if j > i && d.Tokens[j].Start-d.Tokens[j-1].End > 3 {
			return // names do not span long gaps
		}
		for _, v := range d.Tokens[j].variants {
			c, a := clitic, art
			if j == i {
				c, a = v.clitic, v.art
			}
			if n.prefix != nil {
				for _, l := range n.prefixLens {
					cut, k := 0, 0
					for cut < len(v.form) && k < l {
						_, size := utf8.DecodeRuneInString(v.form[cut:])
						cut += size
						k++
					}
					if k < l {
						continue
					}
					if es, ok := n.prefix[v.form[:cut]]; ok {
						out = append(out, match{tok: i, end: j + 1, entries: es, clitic: c, art: a})
					}
				}
			}
			k := n.kids[v.form]
			if k == nil {
				continue
			}
			if len(k.entries) > 0 {
				out = append(out, match{tok: i, end: j + 1, entries: k.entries, clitic: c, art: a})
			}
			walk(k, j+1, c, a)
		}
	}
	walk(g.root, i, "", false)
	return out
}

// caseOK checks an entry's capitalisation rule against the original text.
func caseOK(d *Doc, e *entry, tok, end int) bool {
	switch e.cr {
	case caseAllUpper:
		for t := tok; t < end; t++ {
			for _, r := range d.Runes[d.Tokens[t].Start:d.Tokens[t].End] {
				if unicode.IsLower(r) {
					return false
				}
			}
		}
	case caseFirstUpper:
		r := d.Runes[d.Tokens[tok].Start]
		if !unicode.IsUpper(r) {
			return false
		}
	}
	switch e.kind {
	case eTrigger, eRole, eLocative, eEdition, eDual, eKingdom, eRoyal:
		// Latin lexicon words only count in their own language ("en" is a
		// French preposition, "to" an English one).
		if e.lang == "en" || e.lang == "fr" {
			switch d.Lang {
			case "en", "fr", "ar":
				if e.lang != d.Lang {
					return false
				}
			}
		}
	}
	return true
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
