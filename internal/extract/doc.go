package extract

import (
	"github.com/defgraph/defgraph/graph"
)

// Doc is one article being read by the pipeline, in the manner of a spaCy
// Doc: the original text, what the components found in it so far, and a
// normalised copy of the text for matching. Every offset of a Span, Token,
// Sentence, DateSpan or Trigger is a rune offset into Text (the original),
// never into Norm.
type Doc struct {
	Text      string
	Runes     []rune // Text as runes
	Lang      string // "ar", "en", "fr" or another ISO 639-1 code
	Published string // ISO date of publication, or ""

	// Norm is the normalised text (lower case, no diacritics, Arabic letter
	// variants folded, tatweel dropped, Arabic-Indic digits as ASCII);
	// NormMap[i] is the index in Runes of the rune Norm[i] came from.
	Norm    []rune
	NormMap []int

	Tokens    []Token
	Sentences []Sentence
	Spans     []Span     // entities and helper spans (kingdom, dual, royal, force...)
	Cues      []Cue      // event triggers and role cues
	Dates     []DateSpan // dates found in the text

	// MainCountries lists the article's countries, most mentioned first.
	MainCountries []string
	// Kingdom is what "the Kingdom" stands for in this article, or "".
	Kingdom string

	Events []graph.Event

	x       *Extractor
	locTok  []bool // the token is a locative preposition (in, في, à)
	edTok   []bool // the token introduces an edition year (لسنة, edition)
	counts  map[string]int
	orgInfo map[string]*info // organizations built from force patterns

	spanTok   []bool                     // the token is inside a span (built once, by the dates component)
	sentSubj  []string                   // per sentence, the first exercise or exhibition named
	sentTypes []map[graph.EventType]bool // per sentence, the event types its triggers give
}

// Token is a run of letters or of digits. Start and End are rune offsets
// into the original text; Norm is its normalised form; Sent is the index of
// its sentence.
type Token struct {
	Start, End int
	Norm       string
	Arabic     bool
	Sent       int
	variants   []variant
}

type variant struct {
	form   string
	clitic string // the clitic prefix stripped from the token, if any
	art    bool   // the definite article was stripped
}

// Sentence is a span of text ended by . ! ? ؟ … or a line break. Tok and
// TokEnd delimit its tokens.
type Sentence struct {
	Start, End  int
	Tok, TokEnd int
}

// SpanKind says what a Span is beyond its entity type.
type SpanKind string

// Span kinds.
const (
	KindName     SpanKind = "name"     // a country's name
	KindDemonym  SpanKind = "demonym"  // a nationality adjective
	KindCapital  SpanKind = "capital"  // a capital standing for its government
	KindKingdom  SpanKind = "kingdom"  // "the Kingdom"
	KindDual     SpanKind = "dual"     // "the two countries"
	KindRoyal    SpanKind = "royal"    // the word royal
	KindForce    SpanKind = "force"    // an armed force or ministry, not yet tied to a country
	KindOrg      SpanKind = "org"      // an organization
	KindMedia    SpanKind = "media"    // a news outlet (never an event actor)
	KindImplied  SpanKind = "implied"  // a country mentioned through its organization
	KindPerson   SpanKind = "person"   // a leader speaking for the country
	KindEntity   SpanKind = "entity"   // an exercise, exhibition or place
	KindBlock    SpanKind = "block"    // a phrase that hides a false name (Indian Ocean)
	KindLocative SpanKind = "locative" // a locative preposition (in, في)
	KindEdition  SpanKind = "edition"  // a word that introduces an edition year
)

// Span is a stretch of text naming something. Type is set for entities;
// Kind refines it. Tok and TokEnd delimit its tokens.
type Span struct {
	Start, End  int
	Tok, TokEnd int
	Type        graph.EntityType
	Kind        SpanKind
	Key         string
	Country     string // ISO3 of an organization or place
	Year        int    // edition year of an exercise or exhibition
	Clitic      string // the Arabic clitic prefix on its first word
	Nested      bool   // found inside a longer span (a city in an exhibition's name)
	ref         *entry
}

// Cue is a trigger word of an event type or a role cue.
type Cue struct {
	Start, End  int
	Tok, TokEnd int
	Event       graph.EventType // for triggers
	Role        string          // for role cues: a role or part/visit/buy/sell/dest
	Dir         string          // for role cues: where its actor stands
}

// DateSpan is a date found in the text, as an ISO value at the precision the
// text gives.
type DateSpan struct {
	Start, End  int
	Tok, TokEnd int
	Value       string
	YearOnly    bool // a bare year ("in 2021")
	Relative    bool // resolved against the publication date
}

// Component is one step of the pipeline: it reads and refines a Doc.
type Component struct {
	Name string
	Fn   func(*Doc)
}

// text returns the original text of runes [start, end).
func (d *Doc) text(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end > len(d.Runes) {
		end = len(d.Runes)
	}
	if start >= end {
		return ""
	}
	return string(d.Runes[start:end])
}

// sentenceOf returns the index of the sentence holding token t.
func (d *Doc) sentenceOf(t int) int {
	if t < 0 || t >= len(d.Tokens) {
		return -1
	}
	return d.Tokens[t].Sent
}
