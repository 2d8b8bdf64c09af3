// Package extract reads entities and events out of defense news articles
// in Arabic, English and French (extraction-spec §1–3).
//
// It is built like a spaCy pipeline: a Doc holds the original text, its
// language, publication date, sentences, tokens and the spans found so far
// (entities, dates, event triggers and role cues), and a list of small
// components, each a func(*Doc), adds or refines spans in turn. Matching is
// done on a normalised copy of the text (NormMap leads back to the original
// runes); every offset the package returns is a rune offset into the
// original text.
//
// The gazetteer is embedded data (data/*.tsv): countries with their CLDR
// names in ar/en/fr plus our aliases, demonyms and capitals; armed forces
// and ministries as patterns tied to a country; alliances, media and
// companies; exhibitions, exercises and places; trigger words and role cues.
package extract

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
	"github.com/defgraph/defgraph/graph"
)

// Options configures an Extractor.
type Options struct {
	// GazetteerPath names an optional user gazetteer, a TSV file of lines
	// "type<TAB>key<TAB>name|name…[<TAB>country]" (type Country,
	// Organization, Exhibition, Exercise or Place) added to the built-in one.
	GazetteerPath string
	// MinConfidence drops events below this confidence (0 keeps all).
	MinConfidence float64
}

// Extractor reads articles. It is immutable once built and safe for
// concurrent use.
type Extractor struct {
	opts     Options
	gaz      *gazetteer
	pipeline []Component
}

// New builds an Extractor: it loads the gazetteer and sets up the pipeline.
func New(opts Options) (*Extractor, error) {
	g, err := loadGazetteer(opts.GazetteerPath)
	if err != nil {
		if graph.ErrorCode(err) == graph.EINTERNAL {
			return nil, graph.Wrap(graph.EINTERNAL, err, "loading the gazetteer")
		}
		return nil, err
	}
	x := &Extractor{opts: opts, gaz: g}
	x.pipeline = []Component{
		{"language", detectLanguage},
		{"normalise", normalise},
		{"tokenize", tokenize},
		{"sentences", sentences},
		{"gazetteer", matchGazetteer},
		{"capitals", capitals},
		{"kingdom", kingdom},
		{"organizations", organizations},
		{"main-countries", mainCountries},
		{"persons", persons},
		{"editions", editions},
		{"dates", dates},
		{"events", events},
	}
	return x, nil
}

// Pipeline returns the names of the components, in order.
func (x *Extractor) Pipeline() []string {
	out := make([]string, len(x.pipeline))
	for i, c := range x.pipeline {
		out[i] = c.Name
	}
	return out
}

// Doc runs the pipeline on an article and returns the Doc, for inspection
// and tests. Extract is what callers normally want.
func (x *Extractor) Doc(a graph.Article) (*Doc, error) {
	name := a.ID
	if name == "" {
		name = a.Source
	}
	if name == "" {
		name = "(unnamed)"
	}
	if !utf8.ValidString(a.Text) {
		return nil, graph.Errorf(graph.EINVALID, "article %s: text is not valid UTF-8", name)
	}
	if strings.TrimSpace(a.Text) == "" {
		return nil, graph.Errorf(graph.EINVALID, "article %s: empty text", name)
	}
	if looksBinary(a.Text) {
		return nil, graph.Errorf(graph.EINVALID, "article %s: text looks like binary data (NUL or control characters), not an article", name)
	}
	d := &Doc{Text: a.Text, Runes: []rune(a.Text), Lang: strings.ToLower(strings.TrimSpace(a.Language)), Published: a.Published, x: x}
	if !graph.ValidDate(d.Published) {
		d.Published = ""
	}
	for _, c := range x.pipeline {
		c.Fn(d)
	}
	return d, nil
}

// Extract reads the entities and events of one article. An empty text or
// invalid UTF-8 is an EINVALID error naming the article; Extract never
// panics (an unexpected failure is an EINTERNAL error).
func (x *Extractor) Extract(a graph.Article) (ext graph.Extraction, err error) {
	defer func() {
		if r := recover(); r != nil {
			ext = graph.Extraction{}
			err = graph.Errorf(graph.EINTERNAL, "article %s: extractor failure: %v", or(a.ID, a.Source), r)
		}
	}()
	d, err := x.Doc(a)
	if err != nil {
		return graph.Extraction{}, err
	}
	art := a
	if art.ID == "" {
		art.ID = graph.ArticleID(a.URL, a.Text)
	}
	art.Language = d.Lang
	art.Published = d.Published
	ext = graph.Extraction{Article: art, Entities: d.entities(), Events: []graph.Event{}}
	for _, ev := range d.Events {
		if ev.Confidence >= x.opts.MinConfidence {
			ext.Events = append(ext.Events, ev)
		}
	}
	if err := ext.Validate(); err != nil {
		return graph.Extraction{}, graph.Wrap(graph.EINTERNAL, err, "article %s: extraction failed validation", art.ID)
	}
	return ext, nil
}

// looksBinary reports whether a text holds a NUL byte or more than 1% of
// control characters other than tab, line feed, carriage return and form
// feed: a binary file read by mistake.
func looksBinary(s string) bool {
	n, ctl := 0, 0
	for _, r := range s {
		n++
		if r == 0 {
			return true
		}
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			ctl++
		}
	}
	return ctl > 0 && ctl*100 > n
}

// detectLanguage is the component that sets the language when the article
// does not give it: whatlanggo among Arabic, English and French, with the
// script as a fallback.
func detectLanguage(d *Doc) {
	if d.Lang != "" {
		return
	}
	arabic, latin := 0, 0
	for _, r := range d.Runes {
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	if arabic > latin {
		d.Lang = "ar"
		return
	}
	info := whatlanggo.DetectWithOptions(d.Text, whatlanggo.Options{
		Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Arb: true, whatlanggo.Eng: true, whatlanggo.Fra: true}})
	switch info.Lang {
	case whatlanggo.Arb:
		d.Lang = "ar"
	case whatlanggo.Fra:
		d.Lang = "fr"
	default:
		d.Lang = "en"
	}
}

// entities turns the Doc's spans into graph entities: one per key, with
// its English name, names per language, aliases and every mention.
func (d *Doc) entities() []graph.Entity {
	byKey := map[string]*graph.Entity{}
	var order []string
	var extra []graph.Entity
	years := map[string]map[int]int{}
	get := func(key string, t graph.EntityType) *graph.Entity {
		if e := byKey[key]; e != nil {
			return e
		}
		e := &graph.Entity{Key: key, Type: t}
		var in *info
		switch t {
		case graph.Country:
			in = d.x.gaz.countries[key]
		case graph.Organization:
			if in = d.orgInfo[key]; in == nil {
				in = d.x.gaz.entities[key]
			}
		default:
			in = d.x.gaz.entities[key]
		}
		if in != nil {
			e.Name = in.Name
			if len(in.Names) > 0 {
				e.Names = map[string]string{}
				for l, n := range in.Names {
					e.Names[l] = n
				}
			}
			e.Aliases = append([]string(nil), in.Aliases...)
			e.Country = in.Country
		}
		if e.Name == "" {
			e.Name = key
		}
		byKey[key] = e
		order = append(order, key)
		return e
	}
	for _, s := range d.Spans {
		if s.Type == "" || s.Key == "" {
			continue
		}
		e := get(s.Key, s.Type)
		m := graph.Mention{Text: d.text(s.Start, s.End), Start: s.Start, End: s.End}
		dup := false
		for _, o := range e.Mentions {
			if o.Start == m.Start && o.End == m.End {
				dup = true
				break
			}
		}
		if !dup {
			e.Mentions = append(e.Mentions, m)
		}
		if s.Type == graph.Organization && s.Kind == KindOrg && d.Lang != "en" {
			if e.Names == nil {
				e.Names = map[string]string{}
			}
			if e.Names[d.Lang] == "" {
				e.Names[d.Lang] = m.Text
			}
		}
		if s.Year > 0 {
			if years[s.Key] == nil {
				years[s.Key] = map[int]int{}
			}
			years[s.Key][s.Year]++
		}
	}
	// the edition most spoken of; other editions named in the article
	// (last year's "Indus Shield-2023") are entities of their own, with the
	// same key and their mentions
	for k, ys := range years {
		best, n := 0, 0
		for y, c := range ys {
			if c > n || c == n && y > best {
				best, n = y, c
			}
		}
		e := byKey[k]
		e.Year = best
		var others []int
		for y := range ys {
			if y != best {
				others = append(others, y)
			}
		}
		sort.Ints(others)
		for _, y := range others {
			o := *e
			o.Year = y
			o.Mentions = nil
			keep := e.Mentions[:0:0]
			for _, m := range e.Mentions {
				if spanYear(d, k, m) == y {
					o.Mentions = append(o.Mentions, m)
				} else {
					keep = append(keep, m)
				}
			}
			e.Mentions = keep
			extra = append(extra, o)
		}
	}
	for _, dt := range d.Dates {
		e := get(dt.Value, graph.Date)
		e.Name = graph.DateName(dt.Value)
		e.Mentions = append(e.Mentions, graph.Mention{Text: d.text(dt.Start, dt.End), Start: dt.Start, End: dt.End})
	}
	// events may name dates no span names (an edition year)
	for _, ev := range d.Events {
		if ev.Date != "" && byKey[ev.Date] == nil {
			e := get(ev.Date, graph.Date)
			e.Name = graph.DateName(ev.Date)
		}
	}
	out := make([]graph.Entity, 0, len(order)+len(extra))
	for _, k := range order {
		out = append(out, *byKey[k])
		for _, e := range extra {
			if e.Key == k {
				out = append(out, e)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return typeRank(out[i].Type) < typeRank(out[j].Type)
	})
	return out
}

// spanYear returns the edition year of the span of key k at mention m.
func spanYear(d *Doc, k string, m graph.Mention) int {
	for _, s := range d.Spans {
		if s.Key == k && s.Start == m.Start && s.End == m.End {
			return s.Year
		}
	}
	return 0
}

func typeRank(t graph.EntityType) int {
	for i, v := range graph.EntityTypes {
		if v == t {
			return i
		}
	}
	return len(graph.EntityTypes)
}

// String describes a span for debugging.
func (s Span) String() string {
	return fmt.Sprintf("%s/%s %s [%d,%d)", s.Type, s.Kind, s.Key, s.Start, s.End)
}
