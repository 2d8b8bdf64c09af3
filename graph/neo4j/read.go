package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// eventLinks are the links between an entity and the events it takes part
// in or is the subject, place or date of.
const eventLinks = `PARTICIPATED_IN|ABOUT|HELD_IN|ON_DATE`

// eventCount counts the distinct events of the entity e.
const eventCount = `size(COLLECT { MATCH (e)-[:` + eventLinks + `]-(ev:Event) RETURN DISTINCT ev.id })`

// summaryCols are the columns scanSummary reads, for the entity e.
const summaryCols = `e.key, e.type, e.name, e.names, e.country, ` + eventCount

func parseNames(key string, v any) (map[string]string, error) {
	s := str(v)
	if s == "" || s == "{}" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("entity %s: names %q: %w", key, s, err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// scanSummary reads summaryCols from v.
func scanSummary(v []any) (graph.EntitySummary, error) {
	es := graph.EntitySummary{Key: str(v[0]), Type: graph.EntityType(str(v[1])), Name: str(v[2]),
		Country: str(v[4]), Events: num(v[5])}
	var err error
	es.Names, err = parseNames(es.Key, v[3])
	return es, err
}

// summaries loads the entities of keys, by key.
func summaries(ctx context.Context, tx nj.ManagedTransaction, keys []string) (map[string]graph.EntitySummary, error) {
	out := map[string]graph.EntitySummary{}
	if len(keys) == 0 {
		return out, nil
	}
	recs, err := run(ctx, tx, `UNWIND $keys AS k MATCH (e:Entity {key: k}) RETURN `+summaryCols,
		map[string]any{"keys": walk.SortedUnique(keys)})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		es, err := scanSummary(r.Values)
		if err != nil {
			return nil, err
		}
		out[es.Key] = es
	}
	return out, nil
}

func stringList[T ~string](l []T) []string {
	out := make([]string, 0, len(l))
	for _, v := range l {
		out = append(out, string(v))
	}
	return out
}

// Search finds entities by any of their names or mention texts, folded:
// the TEXT indexes on Entity.search and MENTIONS.folded find the
// candidates. Ties after rank and event count are broken by key.
func (s *Store) Search(ctx context.Context, q string, opts graph.SearchOptions) ([]graph.EntitySummary, error) {
	f := graph.Fold(q)
	if f == "" {
		return nil, errf(graph.EINVALID, "empty search query")
	}
	limit, err := opts.Check()
	if err != nil {
		return nil, err
	}
	out, err := read(ctx, s, func(tx nj.ManagedTransaction) ([]graph.EntitySummary, error) {
		recs, err := run(ctx, tx, `CALL {
				MATCH (e:Entity) WHERE e.search CONTAINS $q RETURN e
				UNION
				MATCH (:Article)-[m:MENTIONS]->(e:Entity) WHERE m.folded CONTAINS $q RETURN e
			}
			WITH e WHERE size($types) = 0 OR e.type IN $types
			WITH e, [f IN e.folded WHERE f CONTAINS $q] + COLLECT {
				MATCH (:Article)-[m:MENTIONS]->(e) WHERE m.folded CONTAINS $q
				UNWIND split(m.folded, '\n') AS f WITH f WHERE f CONTAINS $q RETURN f
			} AS hits
			WITH e, reduce(r = 2, f IN hits | CASE WHEN f = $q THEN 0 WHEN r > 1 AND f STARTS WITH $q THEN 1 ELSE r END) AS rank
			WITH e, rank, `+eventCount+` AS n
			RETURN e.key, e.type, e.name, e.names, e.country, n
			ORDER BY rank, n DESC, e.key LIMIT $limit`,
			map[string]any{"q": f, "types": stringList(opts.Types), "limit": limit})
		if err != nil {
			return nil, err
		}
		out := make([]graph.EntitySummary, 0, len(recs))
		for _, r := range recs {
			es, err := scanSummary(r.Values)
			if err != nil {
				return nil, err
			}
			out = append(out, es)
		}
		return out, nil
	})
	if err != nil {
		return nil, s.fail(err, "search %q", q)
	}
	return out, nil
}

// Entity returns one entity with its names and counts. Its Mentions are
// left empty (they are per article; see Article).
func (s *Store) Entity(ctx context.Context, key string) (*graph.EntityDetail, error) {
	d, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.EntityDetail, error) {
		recs, err := run(ctx, tx, `MATCH (e:Entity {key: $key})
			RETURN e.key, e.type, e.name, e.names, e.aliases, e.country, `+eventCount+`,
				COUNT { (:Article)-[:MENTIONS]->(e) },
				reduce(n = 0, c IN COLLECT { MATCH (:Article)-[m:MENTIONS]->(e) RETURN m.count } | n + c)`,
			map[string]any{"key": key})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, errf(graph.ENOTFOUND, "entity %q not found", key)
		}
		v := recs[0].Values
		d := &graph.EntityDetail{}
		d.Key, d.Type, d.Name, d.Country = str(v[0]), graph.EntityType(str(v[1])), str(v[2]), str(v[5])
		if d.Names, err = parseNames(d.Key, v[3]); err != nil {
			return nil, err
		}
		if a := strs(v[4]); len(a) > 0 {
			d.Aliases = a
		}
		d.Counts = graph.EntityCounts{Events: num(v[6]), Articles: num(v[7]), Mentions: num(v[8])}
		return d, nil
	})
	if err != nil {
		return nil, s.fail(err, "entity %s", key)
	}
	return d, nil
}

// entityExists returns ENOTFOUND unless key is an entity.
func entityExists(ctx context.Context, tx nj.ManagedTransaction, key string) error {
	recs, err := run(ctx, tx, `MATCH (e:Entity {key: $key}) RETURN 1`, map[string]any{"key": key})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return errf(graph.ENOTFOUND, "entity %q not found", key)
	}
	return nil
}

// dateFilter keeps the events ev whose date overlaps [$from, $to] as ISO
// prefixes: "2023-10" is within From "2023-10-15" and within To "2023".
// Undated events are dropped when either bound is set.
const dateFilter = `($from = '' OR (ev.date <> '' AND (ev.date >= $from OR $from STARTS WITH ev.date)))
	AND ($to = '' OR (ev.date <> '' AND (ev.date <= $to OR ev.date STARTS WITH $to)))`

// Timeline lists the events of q.Entity: for a country or organization the
// events it takes part in (a country also through its organizations), for
// an exercise, exhibition, place or date the events it is the subject,
// place or date of. With narrows to the events of both.
func (s *Store) Timeline(ctx context.Context, q graph.TimelineQuery) ([]graph.EventDetail, error) {
	limit, err := q.Check()
	if err != nil {
		return nil, err
	}
	out, err := read(ctx, s, func(tx nj.ManagedTransaction) ([]graph.EventDetail, error) {
		if err := entityExists(ctx, tx, q.Entity); err != nil {
			return nil, err
		}
		if q.With != "" {
			if err := entityExists(ctx, tx, q.With); err != nil {
				return nil, err
			}
		}
		recs, err := run(ctx, tx, `MATCH (x:Entity {key: $entity})-[:`+eventLinks+`]-(ev:Event)
			WITH DISTINCT ev
			WHERE ($with = '' OR EXISTS { MATCH (:Entity {key: $with})-[:`+eventLinks+`]-(ev) })
				AND (size($types) = 0 OR ev.type IN $types)
				AND `+dateFilter+`
			RETURN ev.id ORDER BY ev.date = '', ev.date, ev.id LIMIT $limit`,
			map[string]any{"entity": q.Entity, "with": q.With, "types": stringList(q.EventTypes),
				"from": q.From, "to": q.To, "limit": limit})
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(recs))
		for _, r := range recs {
			ids = append(ids, str(r.Values[0]))
		}
		return eventDetails(ctx, tx, ids)
	})
	if err != nil {
		return nil, s.fail(err, "timeline of %s", q.Entity)
	}
	return out, nil
}

// eventDetails loads the events ids, in that order.
func eventDetails(ctx context.Context, tx nj.ManagedTransaction, ids []string) ([]graph.EventDetail, error) {
	out := make([]graph.EventDetail, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := run(ctx, tx, `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN ev.id, ev.type, ev.date, ev.subject, ev.edition, ev.place, ev.confidence,
			COLLECT { MATCH (x:Entity)-[r:PARTICIPATED_IN]->(ev)
				RETURN [r.ord, x.key, x.type, x.name, x.country, r.role, r.via] } AS parts,
			COLLECT { MATCH (ev)-[r:REPORTED_IN]->(a:Article)
				RETURN [r.ord, r.sentence, r.start, r.end, a.id, a.title, a.url, a.published, a.language] } AS evidence,
			ev.sources`,
		map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := map[string]*graph.EventDetail{}
	refs := map[string][2]string{}
	var keys []string
	for _, r := range recs {
		v := r.Values
		d := &graph.EventDetail{ID: str(v[0]), Type: graph.EventType(str(v[1])), Date: str(v[2]), Edition: num(v[4]),
			Confidence: flt(v[6]), Participants: []graph.ParticipantDetail{}, Evidence: []graph.EvidenceDetail{}, Sources: num(v[9])}
		subject, place := str(v[3]), str(v[5])
		refs[d.ID] = [2]string{subject, place}
		for _, k := range []string{subject, place} {
			if k != "" {
				keys = append(keys, k)
			}
		}
		parts := list(v[7])
		sort.SliceStable(parts, func(i, j int) bool { return num(list(parts[i])[0]) < num(list(parts[j])[0]) })
		for _, p := range parts {
			p := list(p)
			d.Participants = append(d.Participants, graph.ParticipantDetail{Entity: str(p[1]), Type: graph.EntityType(str(p[2])),
				Name: str(p[3]), Country: str(p[4]), Role: graph.Role(str(p[5])), Via: str(p[6])})
		}
		// Every report's sentence, by its article's publication date, then
		// article id, then offset (then end and the report's place in its
		// article), as graph/sqlite orders them.
		evs := list(v[8])
		sort.SliceStable(evs, func(i, j int) bool {
			a, b := list(evs[i]), list(evs[j])
			if x, y := str(a[7]), str(b[7]); x != y {
				return x < y
			}
			if x, y := str(a[4]), str(b[4]); x != y {
				return x < y
			}
			for _, k := range []int{2, 3, 0} {
				if x, y := num(a[k]), num(b[k]); x != y {
					return x < y
				}
			}
			return false
		})
		for _, e := range evs {
			e := list(e)
			d.Evidence = append(d.Evidence, graph.EvidenceDetail{
				Evidence: graph.Evidence{Text: str(e[1]), Start: num(e[2]), End: num(e[3])},
				Article: graph.ArticleRef{ID: str(e[4]), Title: str(e[5]), URL: str(e[6]), Published: str(e[7]), Language: str(e[8]),
					Outlet: graph.Outlet(str(e[6]))},
			})
		}
		byID[d.ID] = d
	}
	sums, err := summaries(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	for id, r := range refs {
		if es, ok := sums[r[0]]; ok {
			byID[id].Subject = &es
		}
		if es, ok := sums[r[1]]; ok {
			byID[id].Place = &es
		}
	}
	for _, id := range ids {
		if d, ok := byID[id]; ok {
			out = append(out, *d)
		}
	}
	return out, nil
}

// Article returns one article with its text, the consolidated events it
// reports (in the order of its first evidence of each, with the evidence of
// every article), the entities it lists (by key) and their mentions
// (by start, end, then entity key).
func (s *Store) Article(ctx context.Context, id string) (*graph.ArticleDetail, error) {
	d, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.ArticleDetail, error) {
		recs, err := run(ctx, tx, `MATCH (a:Article {id: $id})
			RETURN a.id, a.url, a.title, a.language, a.published, a.source, a.text,
				COLLECT { MATCH (ev:Event)-[r:REPORTED_IN]->(a) RETURN [ev.id, r.start] } AS events,
				COLLECT { MATCH (a)-[m:MENTIONS]->(e:Entity) RETURN [e.key, e.type, m.mentions] } AS entities`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, errf(graph.ENOTFOUND, "article %q not found", id)
		}
		v := recs[0].Values
		d := &graph.ArticleDetail{Article: graph.Article{ID: str(v[0]), URL: str(v[1]), Title: str(v[2]), Language: str(v[3]),
			Published: str(v[4]), Source: str(v[5]), Text: str(v[6])}}
		type evStart struct {
			id    string
			start int
		}
		first := map[string]int{} // event id -> start of its first evidence
		for _, e := range list(v[7]) {
			e := list(e)
			id, start := str(e[0]), num(e[1])
			if m, ok := first[id]; !ok || start < m {
				first[id] = start
			}
		}
		var evs []evStart
		for id, start := range first {
			evs = append(evs, evStart{id, start})
		}
		slices.SortFunc(evs, func(a, b evStart) int {
			if a.start != b.start {
				return a.start - b.start
			}
			return strings.Compare(a.id, b.id)
		})
		ids := make([]string, 0, len(evs))
		for _, e := range evs {
			ids = append(ids, e.id)
		}
		if d.Events, err = eventDetails(ctx, tx, ids); err != nil {
			return nil, err
		}
		var keys []string
		d.Mentions = []graph.ArticleMention{}
		for _, e := range list(v[8]) {
			e := list(e)
			key, typ := str(e[0]), graph.EntityType(str(e[1]))
			keys = append(keys, key)
			var ms []graph.Mention
			if err := json.Unmarshal([]byte(str(e[2])), &ms); err != nil {
				return nil, fmt.Errorf("mentions of %s in %s: %w", key, id, err)
			}
			for _, m := range ms {
				d.Mentions = append(d.Mentions, graph.ArticleMention{Entity: key, Type: typ, Mention: m})
			}
		}
		slices.SortStableFunc(d.Mentions, func(a, b graph.ArticleMention) int {
			if a.Start != b.Start {
				return a.Start - b.Start
			}
			if a.End != b.End {
				return a.End - b.End
			}
			return strings.Compare(a.Entity, b.Entity)
		})
		sums, err := summaries(ctx, tx, keys)
		if err != nil {
			return nil, err
		}
		d.Entities = make([]graph.EntitySummary, 0, len(sums))
		for _, k := range sortedKeys(sums) {
			d.Entities = append(d.Entities, sums[k])
		}
		return d, nil
	})
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	return d, nil
}

// linkTypes are the relationship types Stats counts, one link each; an
// event's REPORTED_IN links count once per article (Event.articles), however
// many sentences of it report the event.
var linkTypes = []string{graph.RelParticipatedIn, graph.RelAbout, graph.RelHeldIn, graph.RelOnDate,
	graph.RelMentions, graph.RelPartOf, graph.RelLocatedIn}

// Stats counts articles, entities per type, events per type and links,
// from Neo4j's count store where it can.
func (s *Store) Stats(ctx context.Context) (*graph.Stats, error) {
	st, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.Stats, error) {
		st := &graph.Stats{Entities: map[graph.EntityType]int{}, Events: map[graph.EventType]int{}}
		count := func(q string) (int, error) {
			recs, err := run(ctx, tx, q, nil)
			if err != nil {
				return 0, err
			}
			return num(recs[0].Values[0]), nil
		}
		var err error
		if st.Articles, err = count(`MATCH (a:Article) RETURN count(a)`); err != nil {
			return nil, err
		}
		for _, t := range graph.EntityTypes {
			n, err := count(`MATCH (e:` + string(t) + `) RETURN count(e)`)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				st.Entities[t] = n
			}
		}
		recs, err := run(ctx, tx, `MATCH (ev:Event) RETURN ev.type, count(*)`, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			st.Events[graph.EventType(str(r.Values[0]))] = num(r.Values[1])
		}
		if st.Links, err = count(`MATCH (ev:Event) RETURN coalesce(sum(ev.articles), 0)`); err != nil {
			return nil, err
		}
		for _, t := range linkTypes {
			n, err := count(`MATCH ()-[r:` + t + `]->() RETURN count(r)`)
			if err != nil {
				return nil, err
			}
			st.Links += n
		}
		return st, nil
	})
	if err != nil {
		return nil, s.fail(err, "stats")
	}
	return st, nil
}
