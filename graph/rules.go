package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ArticleID returns the id of an article: "sha256:" and the hex digest of
// its URL when it has one, else of its text with whitespace collapsed and
// Unicode NFC-normalised, so that the same article read again gets the same
// id.
func ArticleID(url, text string) string {
	src := strings.TrimSpace(url)
	if src == "" {
		src = strings.Join(strings.Fields(norm.NFC.String(text)), " ")
	}
	sum := sha256.Sum256([]byte(src))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// EventID returns the id of an event of an article: the same article,
// type, subject, edition, date and participants give the same id, so one
// occurrence stated twice in an article is one event.
func EventID(articleID string, ev Event) string {
	parts := make([]string, 0, len(ev.Participants))
	for _, p := range ev.Participants {
		parts = append(parts, p.Entity+"="+string(p.Role))
	}
	sort.Strings(parts)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00%s\x00%s", articleID, ev.Type, ev.Subject, ev.Edition, ev.Date, strings.Join(parts, ","))
	return "event:" + hex.EncodeToString(h.Sum(nil))[:20]
}

// foldTransformers holds the transformers Fold uses: a transform.Chain
// keeps buffers and is not safe for concurrent use, so each call takes its
// own.
var foldTransformers = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

var arabicFold = strings.NewReplacer(
	"أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا",
	"ى", "ي", "ئ", "ي", "ؤ", "و", "ة", "ه", "ـ", "",
)

// Fold returns s as names are compared: lower case, Latin diacritics and
// Arabic short vowels removed, Arabic alef, yaa, hamza-carrier and
// taa-marbuta variants folded, tatweel dropped, every run of punctuation,
// hyphens or spaces turned into one space, trimmed.
func Fold(s string) string {
	t := foldTransformers.Get().(transform.Transformer)
	out, _, err := transform.String(t, s)
	foldTransformers.Put(t)
	if err != nil {
		out = s
	}
	out = arabicFold.Replace(strings.ToLower(out))
	var b strings.Builder
	space := false
	for _, r := range out {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

var isoDate = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// ValidDate reports whether s is empty or an ISO 8601 date at year, month
// or day precision.
func ValidDate(s string) bool { return s == "" || isoDate.MatchString(s) }

// Validate checks an extraction before it is written: the article has an id
// and valid UTF-8 text, every entity a key and a known type, every event a
// known type, a valid date, participants that are entities of the
// extraction with a role allowed for the type, and evidence offsets inside
// the text. The error is EINVALID and names the item and the reason.
func (x *Extraction) Validate() error {
	a := x.Article
	name := a.ID
	if name == "" {
		name = a.Source
	}
	fail := func(format string, args ...any) error {
		return Errorf(EINVALID, "article %s: %s", name, fmt.Sprintf(format, args...))
	}
	if a.ID == "" {
		return fail("no article id")
	}
	if !utf8.ValidString(a.Text) {
		return fail("text is not valid UTF-8")
	}
	if !ValidDate(a.Published) {
		return fail("publication date %q is not an ISO date", a.Published)
	}
	n := utf8.RuneCountInString(a.Text)
	keys := map[string]Entity{}
	for _, e := range x.Entities {
		if e.Key == "" {
			return fail("entity %q has no key", e.Name)
		}
		if !e.Type.Valid() {
			return fail("entity %s has unknown type %q", e.Key, e.Type)
		}
		for _, m := range e.Mentions {
			if m.Start < 0 || m.End < m.Start || m.End > n {
				return fail("mention of %s at [%d,%d) is outside the text (%d runes)", e.Key, m.Start, m.End, n)
			}
		}
		keys[e.Key] = e
	}
	for i, ev := range x.Events {
		if !ev.Type.Valid() {
			return fail("event %d has unknown type %q", i, ev.Type)
		}
		if !ValidDate(ev.Date) {
			return fail("event %d has date %q, not an ISO date", i, ev.Date)
		}
		if len(ev.Participants) == 0 {
			return fail("event %d (%s) has no participant", i, ev.Type)
		}
		for _, p := range ev.Participants {
			e, ok := keys[p.Entity]
			if !ok {
				return fail("event %d (%s): participant %s is not among the entities", i, ev.Type, p.Entity)
			}
			if e.Type != Country && e.Type != Organization {
				return fail("event %d (%s): participant %s is a %s, not a country or organization", i, ev.Type, p.Entity, e.Type)
			}
			if !roleAllowed(ev.Type, p.Role) {
				return fail("event %d (%s): role %q is not one of %v", i, ev.Type, p.Role, Roles[ev.Type])
			}
		}
		for _, k := range []string{ev.Subject, ev.Place} {
			if k != "" {
				if _, ok := keys[k]; !ok {
					return fail("event %d (%s): %s is not among the entities", i, ev.Type, k)
				}
			}
		}
		v := ev.Evidence
		if v.Start < 0 || v.End < v.Start || v.End > n {
			return fail("event %d (%s): evidence [%d,%d) is outside the text (%d runes)", i, ev.Type, v.Start, v.End, n)
		}
	}
	return nil
}

func roleAllowed(t EventType, r Role) bool {
	for _, v := range Roles[t] {
		if v == r {
			return true
		}
	}
	return false
}

// ActorLink is one PARTICIPATED_IN link as the stores write it.
type ActorLink struct {
	Entity string `json:"entity"`
	Role   Role   `json:"role"`
	Via    string `json:"via,omitempty"` // the organization a country's link was derived from
}

// EncodeLinks returns links as the stores keep them with a report: a JSON
// array of {"entity", "role", "via"}.
func EncodeLinks(links []ActorLink) string {
	if links == nil {
		links = []ActorLink{}
	}
	b, _ := json.Marshal(links)
	return string(b)
}

// DecodeLinks reads what EncodeLinks wrote.
func DecodeLinks(s string) ([]ActorLink, error) {
	out := []ActorLink{}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// MergedEntities returns the extraction's entities by key, an entity
// listed twice merged into one (the second's names as aliases, mentions
// concatenated, the first country kept), each with a Name (its first name
// when it had none), and the keys in first-listed order. Stores write these.
func (x *Extraction) MergedEntities() (map[string]Entity, []string) {
	byKey := map[string]Entity{}
	var order []string
	for _, e := range x.Entities {
		if p, ok := byKey[e.Key]; ok {
			p.Aliases = append(append([]string(nil), p.Aliases...), e.AllNames()...)
			p.Mentions = append(append([]Mention(nil), p.Mentions...), e.Mentions...)
			if p.Country == "" {
				p.Country = e.Country
			}
			byKey[e.Key] = p
			continue
		}
		byKey[e.Key] = e
		order = append(order, e.Key)
	}
	for _, k := range order {
		if e := byKey[k]; e.Name == "" {
			if all := e.AllNames(); len(all) > 0 {
				e.Name = all[0]
				byKey[k] = e
			}
		}
	}
	return byKey, order
}

// ActorLinks returns the participation links of ev: its participants, and
// for every organization with a country whose country is not itself a
// participant, a link from that country with the same role and Via set to
// the organization. entities maps keys to the extraction's entities. So a
// country's timeline holds the events of its armed forces.
func ActorLinks(ev Event, entities map[string]Entity) []ActorLink {
	var out []ActorLink
	direct := map[string]bool{}
	for _, p := range ev.Participants {
		direct[p.Entity] = true
		out = append(out, ActorLink{Entity: p.Entity, Role: p.Role})
	}
	derived := map[string]bool{}
	for _, p := range ev.Participants {
		e := entities[p.Entity]
		if e.Type == Organization && e.Country != "" && !direct[e.Country] && !derived[e.Country] {
			derived[e.Country] = true
			out = append(out, ActorLink{Entity: e.Country, Role: p.Role, Via: p.Entity})
		}
	}
	return out
}

// DateName returns the display name of a Date node key: "2023",
// "October 2023" or "12 October 2023".
func DateName(iso string) string {
	months := []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	p := strings.Split(iso, "-")
	switch len(p) {
	case 2, 3:
		m, err := strconv.Atoi(p[1])
		if err != nil || m < 1 || m > 12 {
			return iso
		}
		if len(p) == 3 {
			d, _ := strconv.Atoi(p[2])
			return fmt.Sprintf("%d %s %s", d, months[m-1], p[0])
		}
		return months[m-1] + " " + p[0]
	}
	return iso
}

func sortedValues(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, m[k])
	}
	return out
}

// ContentHash returns the digest stores keep to tell an article written
// again unchanged: the extraction's JSON without event ids and without the
// article's Source, so the same article read from another file or upload
// is still the same.
func ContentHash(x *Extraction) string {
	if b, ok := appendExtractionJSON(make([]byte, 0, 2*len(x.Article.Text)+1024), x, true); ok {
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}
	return contentHashSlow(x)
}

// contentHashSlow is ContentHash through encoding/json (what
// appendExtractionJSON must write byte for byte); it also covers what
// encoding/json refuses.
func contentHashSlow(x *Extraction) string {
	c := *x
	c.Article.Source = ""
	c.Events = append([]Event(nil), x.Events...)
	for i := range c.Events {
		c.Events[i].ID = ""
	}
	b, err := json.Marshal(c)
	if err != nil { // only unsupported values fail, and Extraction has none
		b = []byte(fmt.Sprintf("%#v", c))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// IsStub reports whether a stored entity is a placeholder made for a key no
// extraction listed yet (a country known only as an organization's): its
// name is its key and it has no other name.
func IsStub(r Entity) bool {
	return r.Name == r.Key && len(r.Names) == 0 && len(r.Aliases) == 0
}

// MergeEntity adds what e says to the stored entity r, as every store
// merges entities on their key: names and aliases only grow (a name in a
// language already known, or a display name different from the stored one,
// becomes an alias); the first country sticks; a stub takes e's type and
// name. r's maps and slices are changed in place.
func MergeEntity(r *Entity, e Entity) {
	if IsStub(*r) {
		r.Type = e.Type
		if e.Name != "" {
			r.Name = ""
		}
	}
	known := map[string]bool{}
	for _, n := range r.AllNames() {
		known[n] = true
	}
	alias := func(n string) {
		if n != "" && !known[n] {
			known[n] = true
			r.Aliases = append(r.Aliases, n)
		}
	}
	if r.Name == "" {
		r.Name = e.Name
		known[e.Name] = true
	} else {
		alias(e.Name)
	}
	langs := make([]string, 0, len(e.Names))
	for l := range e.Names {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		n := e.Names[lang]
		if n == "" {
			continue
		}
		if r.Names[lang] == "" {
			if r.Names == nil {
				r.Names = map[string]string{}
			}
			r.Names[lang] = n
			known[n] = true
		} else {
			alias(n)
		}
	}
	for _, a := range e.Aliases {
		alias(a)
	}
	if r.Country == "" {
		r.Country = e.Country
	}
	if r.Name == "" {
		r.Name = r.Key
	}
}
