package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/url"
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
	Articles   []string    // distinct article ids, sorted
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
func Consolidate(key string, reports []Report) Consolidated {
	c := Consolidated{ID: ConsolidatedID(key), Key: key}
	if len(reports) == 0 {
		return c
	}
	rs := append([]Report(nil), reports...)
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].ArticleID != rs[j].ArticleID {
			return rs[i].ArticleID < rs[j].ArticleID
		}
		return rs[i].Event.Evidence.Start < rs[j].Event.Evidence.Start
	})
	first := rs[0].Event
	c.Type, c.Subject = first.Type, first.Subject
	for _, r := range rs {
		if r.Event.Edition > c.Edition {
			c.Edition = r.Event.Edition
		}
	}

	var dates []string
	places := map[string]int{}
	best := map[string]float64{} // article -> best confidence
	hosts := map[string]bool{}
	for _, r := range rs {
		if r.Event.Date != "" {
			dates = append(dates, r.Event.Date)
		}
		if r.Event.Place != "" {
			places[r.Event.Place]++
		}
		if r.Event.Confidence > best[r.ArticleID] {
			best[r.ArticleID] = r.Event.Confidence
		} else if _, ok := best[r.ArticleID]; !ok {
			best[r.ArticleID] = r.Event.Confidence
		}
		hosts[sourceOf(r.ArticleID, r.ArticleURL)] = true
	}
	c.Date = consolidateDate(dates)
	c.Place = argmax(places)
	miss := 1.0
	for a, conf := range best {
		c.Articles = append(c.Articles, a)
		miss *= 1 - math.Min(math.Max(conf, 0), 1)
	}
	sort.Strings(c.Articles)
	c.Confidence = math.Round((1-miss)*1000) / 1000
	c.Sources = len(hosts)

	roles := map[string]map[Role]int{}
	vias := map[string]map[string]int{}
	direct := map[string]bool{}
	for _, r := range rs {
		for _, l := range r.Links {
			if roles[l.Entity] == nil {
				roles[l.Entity] = map[Role]int{}
				vias[l.Entity] = map[string]int{}
			}
			roles[l.Entity][l.Role]++
			if l.Via == "" {
				direct[l.Entity] = true
			} else {
				vias[l.Entity][l.Via]++
			}
		}
	}
	order := Roles[c.Type]
	for ent, counts := range roles {
		var role Role
		n := -1
		for _, r := range order {
			if counts[r] > n {
				role, n = r, counts[r]
			}
		}
		for r, k := range counts { // a role outside the type's list
			if k > n {
				role, n = r, k
			}
		}
		via := ""
		if !direct[ent] && len(vias[ent]) == 1 {
			for v := range vias[ent] {
				via = v
			}
		}
		c.Links = append(c.Links, ActorLink{Entity: ent, Role: role, Via: via})
	}
	sort.Slice(c.Links, func(i, j int) bool { return c.Links[i].Entity < c.Links[j].Entity })
	return c
}

// sourceOf names the outlet of an article: its URL's host without "www.",
// or the article itself when it has no URL.
func sourceOf(articleID, rawURL string) string {
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return articleID
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

func consolidateDate(dates []string) string {
	if len(dates) == 0 {
		return ""
	}
	uniq := map[string]int{}
	for _, d := range dates {
		uniq[d]++
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
