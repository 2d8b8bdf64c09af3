package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// One event, many reports.
//
// Each article's events are reports. Reports of different articles (or of
// one article) with the same EventKey are one real-world occurrence, and the
// graph holds one Event node for it, linked to every article and evidence
// sentence that reports it. The key depends only on the report itself, so
// the graph is a function of the set of stored articles: import order,
// batching, parallelism and interrupted runs do not change it.

// EventKey returns the consolidation key of a report. entities maps the
// keys of the report's article to its entities (for organizations'
// countries).
//
//   - About an exercise or exhibition: the type, the subject and the edition
//     (the edition year, else the year of the date). African Lion 2023 is
//     one EXERCISE event however many articles report it and whoever they
//     name.
//   - Otherwise: the type, the set of participant countries (an
//     organization counts as its country) and the year of the date. Two
//     articles on the Morocco–Israel agreement of 2021 report one AGREEMENT.
//
// Undated reports without an edition only merge with undated ones.
func EventKey(ev Event, entities map[string]Entity) string {
	year := ""
	if len(ev.Date) >= 4 {
		year = ev.Date[:4]
	}
	if ev.Subject != "" {
		if ev.Edition != 0 {
			year = strconv.Itoa(ev.Edition)
		}
		return string(ev.Type) + "|" + ev.Subject + "|" + year
	}
	return string(ev.Type) + "||" + strings.Join(ParticipantCountries(ev, entities), ",") + "|" + year
}

// ConsolidatedID returns the id of the Event node of a consolidation key.
func ConsolidatedID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "event:" + hex.EncodeToString(sum[:])[:20]
}

// ParticipantCountries returns the sorted set of countries of ev's
// participants: a country itself, an organization its country (or its own
// key when it has none).
func ParticipantCountries(ev Event, entities map[string]Entity) []string {
	set := map[string]bool{}
	for _, p := range ev.Participants {
		c := p.Entity
		if e, ok := entities[p.Entity]; ok && e.Type == Organization && e.Country != "" {
			c = e.Country
		}
		set[c] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Report is one article's account of an event, as a store keeps it.
type Report struct {
	ArticleID  string
	ArticleURL string      // for counting independent sources
	Event      Event       // Participants as the article states them
	Links      []ActorLink // ActorLinks of the event, with derived countries
}

// Consolidated is the Event node built from all the reports of one key.
type Consolidated struct {
	ID         string
	Key        string
	Type       EventType
	Subject    string
	Edition    int
	Place      string
	Date       string
	Confidence float64
	Links      []ActorLink // one per entity, sorted by entity key
	Articles   int         // distinct articles reporting it
	Sources    int         // independent sources: distinct URL hosts, an article without URL counting alone
}

// Consolidate merges the reports of one key into the Event node the graph
// shows. The result depends only on the set of reports, not their order:
//
//   - Date: the most precise date that no report contradicts (dates agree
//     when one is a prefix of the other); when every candidate is
//     contradicted, the date most reports give, the earliest on a tie.
//   - Place: the place most reports give, the smallest key on a tie.
//   - Participants: every actor any report names; its role is the one most
//     reports give it (ties: the first in Roles order); Via is kept only
//     when every report derives that country from the same organization.
//   - Confidence: 1 − Π(1 − cᵢ) over the articles' best confidences, so
//     independent confirmation raises it.
//
// It is the Tally of the reports; stores keep the Tally itself so that
// adding or deleting reports costs their number, not the event's.
func Consolidate(key string, reports []Report) Consolidated {
	var t Tally
	t.Add(reports...)
	return t.Consolidated(key)
}

// Tally is what Consolidate needs to know of the reports of one key:
// counts that reports are added to and taken from. A store keeps it beside
// the Event node (as JSON), so that an import touching an event that
// thousands of articles report reads one small value instead of thousands
// of reports, and the result stays exactly Consolidate of the reports
// stored, in whatever order they came and went.
//
// Add and Remove take every report of one article about the key in one
// call (an article's best confidence and its outlet count once); two
// versions of an article, one rewritten into the other, are two calls.
type Tally struct {
	Type      EventType      `json:"type"`
	Subject   string         `json:"subject,omitempty"`
	Reports   int            `json:"reports"`             // reports counted
	Articles  int            `json:"articles"`            // distinct articles
	Editions  map[int]int    `json:"editions,omitempty"`  // reports per edition (0 left out)
	Dates     map[string]int `json:"dates,omitempty"`     // reports per date
	Places    map[string]int `json:"places,omitempty"`    // reports per place
	Outlets   map[string]int `json:"outlets,omitempty"`   // articles per URL host
	Unsourced int            `json:"unsourced,omitempty"` // articles without a URL: an outlet each
	// Doubt is Σ −ln(1 − c) over the articles' best confidences c, in
	// units of 1e-9: an integer, so sums do not depend on their order.
	Doubt  int64                     `json:"doubt"`
	Roles  map[string]map[Role]int   `json:"roles,omitempty"`  // reports per entity and role
	Via    map[string]map[string]int `json:"via,omitempty"`    // reports per entity and organization it is derived from
	Direct map[string]int            `json:"direct,omitempty"` // reports naming the entity itself
}

// doubtUnit is the fixed point of Tally.Doubt.
const doubtUnit = 1e9

// doubt is an article's term of Tally.Doubt: −ln(1 − c), c clamped to
// [0, 0.999999] (a certain report counts as one in a million wrong).
func doubt(c float64) int64 {
	c = math.Min(math.Max(c, 0), 0.999999)
	return int64(math.Round(-math.Log1p(-c) * doubtUnit))
}

// Empty reports whether no report is counted: the event is gone.
func (t *Tally) Empty() bool { return t.Reports == 0 }

// Add counts the reports of an article about the key, all in one call.
func (t *Tally) Add(reports ...Report) { t.apply(reports, 1) }

// Remove takes back reports counted by Add (the same values, as stored).
func (t *Tally) Remove(reports ...Report) { t.apply(reports, -1) }

func (t *Tally) apply(reports []Report, sign int) {
	if len(reports) == 0 {
		return
	}
	type article struct {
		url  string
		best float64
	}
	arts := map[string]*article{}
	for _, r := range reports {
		if t.Type == "" {
			t.Type, t.Subject = r.Event.Type, r.Event.Subject
		}
		t.Reports += sign
		if r.Event.Edition != 0 {
			t.Editions = bump(t.Editions, r.Event.Edition, sign)
		}
		if r.Event.Date != "" {
			t.Dates = bump(t.Dates, r.Event.Date, sign)
		}
		if r.Event.Place != "" {
			t.Places = bump(t.Places, r.Event.Place, sign)
		}
		a := arts[r.ArticleID]
		if a == nil {
			a = &article{url: r.ArticleURL, best: r.Event.Confidence}
			arts[r.ArticleID] = a
		} else if r.Event.Confidence > a.best {
			a.best = r.Event.Confidence
		}
		for _, l := range r.Links {
			if t.Roles == nil {
				t.Roles = map[string]map[Role]int{}
			}
			t.Roles[l.Entity] = bump(t.Roles[l.Entity], l.Role, sign)
			if len(t.Roles[l.Entity]) == 0 {
				delete(t.Roles, l.Entity)
			}
			if l.Via == "" {
				t.Direct = bump(t.Direct, l.Entity, sign)
			} else {
				if t.Via == nil {
					t.Via = map[string]map[string]int{}
				}
				t.Via[l.Entity] = bump(t.Via[l.Entity], l.Via, sign)
				if len(t.Via[l.Entity]) == 0 {
					delete(t.Via, l.Entity)
				}
			}
		}
	}
	for _, a := range arts {
		t.Articles += sign
		t.Doubt += int64(sign) * doubt(a.best)
		if o := Outlet(a.url); o != "" {
			t.Outlets = bump(t.Outlets, o, sign)
		} else {
			t.Unsourced += sign
		}
	}
	if t.Reports == 0 {
		*t = Tally{}
	}
}

// bump adds d to m[k], dropping the entry at zero.
func bump[K comparable](m map[K]int, k K, d int) map[K]int {
	if m == nil {
		m = map[K]int{}
	}
	if n := m[k] + d; n != 0 {
		m[k] = n
	} else {
		delete(m, k)
	}
	return m
}

// Consolidated is the Event node of key the counted reports make (see
// Consolidate).
func (t *Tally) Consolidated(key string) Consolidated {
	c := Consolidated{ID: ConsolidatedID(key), Key: key}
	if t.Empty() {
		return c
	}
	c.Type, c.Subject = t.Type, t.Subject
	for e, n := range t.Editions {
		if n > 0 && e > c.Edition {
			c.Edition = e
		}
	}
	c.Date = consolidateDate(t.Dates)
	c.Place = argmax(t.Places)
	c.Confidence = math.Round(-math.Expm1(-float64(t.Doubt)/doubtUnit)*1000) / 1000
	c.Articles = t.Articles
	c.Sources = len(t.Outlets) + t.Unsourced

	order := Roles[c.Type]
	for ent, counts := range t.Roles {
		var role Role
		n := -1
		for _, r := range order {
			if counts[r] > n {
				role, n = r, counts[r]
			}
		}
		for r, k := range counts { // a role outside the type's list
			if k > n || (k == n && !slices.Contains(order, role) && r < role) {
				role, n = r, k
			}
		}
		via := ""
		if t.Direct[ent] == 0 && len(t.Via[ent]) == 1 {
			for v := range t.Via[ent] {
				via = v
			}
		}
		c.Links = append(c.Links, ActorLink{Entity: ent, Role: role, Via: via})
	}
	sort.Slice(c.Links, func(i, j int) bool { return c.Links[i].Entity < c.Links[j].Entity })
	return c
}

// Outlet returns the host name of an article's URL ("example.org"), or ""
// when it has none.
func Outlet(rawURL string) string {
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return ""
}

func agree(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }

func consolidateDate(uniq map[string]int) string {
	if len(uniq) == 0 {
		return ""
	}
	cands := make([]string, 0, len(uniq))
	for d := range uniq {
		cands = append(cands, d)
	}
	// Most precise first, then earliest.
	sort.Slice(cands, func(i, j int) bool {
		if len(cands[i]) != len(cands[j]) {
			return len(cands[i]) > len(cands[j])
		}
		return cands[i] < cands[j]
	})
	for _, d := range cands {
		ok := true
		for o := range uniq {
			if !agree(d, o) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	best, n := "", 0
	for _, d := range cands {
		if uniq[d] > n || (uniq[d] == n && d < best) {
			best, n = d, uniq[d]
		}
	}
	return best
}

func argmax(m map[string]int) string {
	best, n := "", 0
	for k, v := range m {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

// TallyChange is what one write does to the reports of an event: the
// reports it adds and those it deletes, a group per article version.
type TallyChange struct {
	Key      string // the consolidation key
	Add, Del [][]Report
}

// Apply adds the added reports to t, then takes back the deleted ones
// (additions first: a tally never goes below zero on the way).
func (c *TallyChange) Apply(t *Tally) {
	for _, rs := range c.Add {
		t.Add(rs...)
	}
	for _, rs := range c.Del {
		t.Remove(rs...)
	}
}

// TallyChanges are the changes of one write, by event id.
type TallyChanges map[string]*TallyChange

// Group appends the reports of one article version, by event id (keys:
// their consolidation keys), to the additions of their events, or to
// their deletions when del is set.
func (cs TallyChanges) Group(reports map[string][]Report, keys map[string]string, del bool) {
	for id, rs := range reports {
		ch := cs[id]
		if ch == nil {
			ch = &TallyChange{Key: keys[id]}
			cs[id] = ch
		}
		if del {
			ch.Del = append(ch.Del, rs)
		} else {
			ch.Add = append(ch.Add, rs)
		}
	}
}
