package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"

	"github.com/defgraph/defgraph/graph"
)

// jsonList encodes keys as the JSON array json_each reads.
func jsonList[T ~string](keys []T) string {
	if len(keys) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(keys)
	return string(b)
}

// eventsOfSQL selects the ids of the events the entity ?1 takes part in or
// is the subject, place or date of.
const eventsOfSQL = `SELECT event FROM participation WHERE entity = ?1
	UNION SELECT id FROM events WHERE subject = ?1
	UNION SELECT id FROM events WHERE place = ?1
	UNION SELECT id FROM events WHERE date = ?1`

// eventCountSQL counts the events of the entity e.key.
const eventCountSQL = `(SELECT COUNT(*) FROM (
	SELECT event FROM participation WHERE entity = e.key
	UNION SELECT id FROM events WHERE subject = e.key
	UNION SELECT id FROM events WHERE place = e.key
	UNION SELECT id FROM events WHERE date = e.key))`

const summaryCols = `e.key, e.type, e.name, e.names, e.country, ` + eventCountSQL

func scanSummary(sc interface{ Scan(...any) error }, extra ...any) (graph.EntitySummary, error) {
	var es graph.EntitySummary
	var typ, names string
	if err := sc.Scan(append([]any{&es.Key, &typ, &es.Name, &names, &es.Country, &es.Events}, extra...)...); err != nil {
		return es, err
	}
	es.Type = graph.EntityType(typ)
	if err := json.Unmarshal([]byte(names), &es.Names); err != nil {
		return es, err
	}
	if len(es.Names) == 0 {
		es.Names = nil
	}
	return es, nil
}

// summaries loads the entities of keys, by key.
func (s *Store) summaries(ctx context.Context, keys []string) (map[string]graph.EntitySummary, error) {
	out := map[string]graph.EntitySummary{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+summaryCols+` FROM entities e WHERE e.key IN (SELECT value FROM json_each(?))`, jsonList(keys))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		es, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out[es.Key] = es
	}
	return out, rows.Err()
}

// Search finds entities by any of their names or mention texts, folded.
// Ties after rank and event count are broken by key.
func (s *Store) Search(ctx context.Context, q string, opts graph.SearchOptions) ([]graph.EntitySummary, error) {
	f := graph.Fold(q)
	if f == "" {
		return nil, errf(graph.EINVALID, "empty search query")
	}
	limit, err := opts.Check()
	if err != nil {
		return nil, err
	}
	types := ""
	if len(opts.Types) > 0 {
		types = jsonList(opts.Types)
	}
	rows, err := s.db.QueryContext(ctx, `WITH m AS (
		SELECT key, MIN(CASE WHEN folded = ?1 THEN 0 WHEN substr(folded, 1, length(?1)) = ?1 THEN 1 ELSE 2 END) AS rank
		FROM entity_names WHERE instr(folded, ?1) > 0 GROUP BY key)
	SELECT `+summaryCols+` AS n, m.rank FROM m JOIN entities e ON e.key = m.key
	WHERE ?2 = '' OR e.type IN (SELECT value FROM json_each(?2))
	ORDER BY m.rank, n DESC, e.key LIMIT ?3`, f, types, limit)
	if err != nil {
		return nil, s.fail(err, "search")
	}
	defer rows.Close()
	out := []graph.EntitySummary{}
	for rows.Next() {
		var rank int
		es, err := scanSummary(rows, &rank)
		if err != nil {
			return nil, s.fail(err, "search")
		}
		out = append(out, es)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "search")
	}
	return out, nil
}

// Entity returns one entity with its names and counts. Its Mentions are
// left empty (they are per article; see Article).
func (s *Store) Entity(ctx context.Context, key string) (*graph.EntityDetail, error) {
	var d graph.EntityDetail
	var typ, names, aliases string
	err := s.db.QueryRowContext(ctx, `SELECT e.key, e.type, e.name, e.names, e.aliases, e.country, `+eventCountSQL+`,
		(SELECT COUNT(*) FROM article_entities WHERE entity = e.key),
		(SELECT COALESCE(SUM(mentions), 0) FROM article_entities WHERE entity = e.key)
		FROM entities e WHERE e.key = ?`, key).Scan(&d.Key, &typ, &d.Name, &names, &aliases, &d.Country,
		&d.Counts.Events, &d.Counts.Articles, &d.Counts.Mentions)
	if err == sql.ErrNoRows {
		return nil, errf(graph.ENOTFOUND, "entity %q not found", key)
	}
	if err != nil {
		return nil, s.fail(err, "entity %s", key)
	}
	d.Type = graph.EntityType(typ)
	if err := json.Unmarshal([]byte(names), &d.Names); err != nil {
		return nil, s.fail(err, "entity %s", key)
	}
	if err := json.Unmarshal([]byte(aliases), &d.Aliases); err != nil {
		return nil, s.fail(err, "entity %s", key)
	}
	if len(d.Names) == 0 {
		d.Names = nil
	}
	if len(d.Aliases) == 0 {
		d.Aliases = nil
	}
	return &d, nil
}

// entityExists returns ENOTFOUND unless key is an entity.
func (s *Store) entityExists(ctx context.Context, key string) error {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM entities WHERE key = ?`, key).Scan(&one)
	if err == sql.ErrNoRows {
		return errf(graph.ENOTFOUND, "entity %q not found", key)
	}
	return s.fail(err, "entity %s", key)
}

// dateFilterSQL keeps the events e whose date overlaps [?from, ?to] as ISO
// prefixes: "2023-10" is within From "2023-10-15" and within To "2023".
// Undated events are dropped when either bound is set.
const dateFilterSQL = `(?4 = '' OR (e.date <> '' AND (e.date >= ?4 OR substr(?4, 1, length(e.date)) = e.date)))
	AND (?5 = '' OR (e.date <> '' AND (e.date <= ?5 OR substr(e.date, 1, length(?5)) = ?5)))`

// Timeline lists the events of q.Entity: for a country or organization the
// events it takes part in (a country also through its organizations), for
// an exercise, exhibition, place or date the events it is the subject,
// place or date of. With narrows to the events of both.
func (s *Store) Timeline(ctx context.Context, q graph.TimelineQuery) ([]graph.EventDetail, error) {
	limit, err := q.Check()
	if err != nil {
		return nil, err
	}
	if err := s.entityExists(ctx, q.Entity); err != nil {
		return nil, err
	}
	if q.With != "" {
		if err := s.entityExists(ctx, q.With); err != nil {
			return nil, err
		}
	}
	types := ""
	if len(q.EventTypes) > 0 {
		types = jsonList(q.EventTypes)
	}
	with := strings.ReplaceAll(eventsOfSQL, "?1", "?2")
	ids, err := s.strings(ctx, `SELECT e.id FROM events e
		WHERE e.id IN (`+eventsOfSQL+`)
		AND (?2 = '' OR e.id IN (`+with+`))
		AND (?3 = '' OR e.type IN (SELECT value FROM json_each(?3)))
		AND `+dateFilterSQL+`
		ORDER BY e.date = '', e.date, e.id LIMIT ?6`, q.Entity, q.With, types, q.From, q.To, limit)
	if err != nil {
		return nil, s.fail(err, "timeline of %s", q.Entity)
	}
	out, err := s.eventDetails(ctx, ids)
	if err != nil {
		return nil, s.fail(err, "timeline of %s", q.Entity)
	}
	return out, nil
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// eventDetails loads the events ids, in that order.
func (s *Store) eventDetails(ctx context.Context, ids []string) ([]graph.EventDetail, error) {
	out := make([]graph.EventDetail, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list := jsonList(ids)
	byID := map[string]*graph.EventDetail{}
	refs := map[string][2]string{} // id -> subject, place
	var keys []string
	rows, err := s.db.QueryContext(ctx, `SELECT id, type, date, subject, edition, place, confidence, sources
		FROM events WHERE id IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		d := &graph.EventDetail{Participants: []graph.ParticipantDetail{}, Evidence: []graph.EvidenceDetail{}}
		var typ, subject, place string
		if err := rows.Scan(&d.ID, &typ, &d.Date, &subject, &d.Edition, &place, &d.Confidence, &d.Sources); err != nil {
			rows.Close()
			return nil, err
		}
		d.Type = graph.EventType(typ)
		byID[d.ID] = d
		refs[d.ID] = [2]string{subject, place}
		for _, k := range []string{subject, place} {
			if k != "" {
				keys = append(keys, k)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sums, err := s.summaries(ctx, keys)
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

	rows, err = s.db.QueryContext(ctx, `SELECT p.event, p.entity, e.type, e.name, e.country, p.role, p.via
		FROM participation p JOIN entities e ON e.key = p.entity
		WHERE p.event IN (SELECT value FROM json_each(?)) ORDER BY p.event, p.entity`, list)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, typ, role string
		var p graph.ParticipantDetail
		if err := rows.Scan(&id, &p.Entity, &typ, &p.Name, &p.Country, &role, &p.Via); err != nil {
			rows.Close()
			return nil, err
		}
		p.Type, p.Role = graph.EntityType(typ), graph.Role(role)
		byID[id].Participants = append(byID[id].Participants, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Every report's sentence, by its article's publication date, then
	// article id, then offset.
	rows, err = s.db.QueryContext(ctx, `SELECT r.event, r.sentence, r.start, r."end", a.id, a.title, a.url, a.published, a.language
		FROM reports r JOIN articles a ON a.n = r.article
		WHERE r.event IN (SELECT value FROM json_each(?)) ORDER BY r.event, a.published, a.id, r.start, r."end", r.ord`, list)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var v graph.EvidenceDetail
		if err := rows.Scan(&id, &v.Text, &v.Start, &v.End, &v.Article.ID, &v.Article.Title, &v.Article.URL,
			&v.Article.Published, &v.Article.Language); err != nil {
			rows.Close()
			return nil, err
		}
		v.Article.Outlet = graph.Outlet(v.Article.URL)
		byID[id].Evidence = append(byID[id].Evidence, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
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
// every article) and the entities it lists (by key).
func (s *Store) Article(ctx context.Context, id string) (*graph.ArticleDetail, error) {
	d := &graph.ArticleDetail{}
	a := &d.Article
	var n int64 // the key its rows refer to it by
	err := s.db.QueryRowContext(ctx, `SELECT n, id, url, title, language, published, source, text FROM articles WHERE id = ?`, id).
		Scan(&n, &a.ID, &a.URL, &a.Title, &a.Language, &a.Published, &a.Source, &a.Text)
	if err == sql.ErrNoRows {
		return nil, errf(graph.ENOTFOUND, "article %q not found", id)
	}
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	ids, err := s.strings(ctx, `SELECT event FROM reports WHERE article = ?
		GROUP BY event ORDER BY MIN(start), event`, n)
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	if d.Events, err = s.eventDetails(ctx, ids); err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	keys, err := s.strings(ctx, `SELECT entity FROM article_entities WHERE article = ?`, n)
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	sums, err := s.summaries(ctx, keys)
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	d.Entities = make([]graph.EntitySummary, 0, len(sums))
	for _, k := range sortedKeys(sums) {
		d.Entities = append(d.Entities, sums[k])
	}
	rows, err := s.db.QueryContext(ctx, `SELECT ae.entity, e.type, ae.spans FROM article_entities ae
		JOIN entities e ON e.key = ae.entity WHERE ae.article = ?`, n)
	if err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	defer rows.Close()
	d.Mentions = []graph.ArticleMention{}
	for rows.Next() {
		var key, typ, spans string
		if err := rows.Scan(&key, &typ, &spans); err != nil {
			return nil, s.fail(err, "article %s", id)
		}
		ms, err := decodeSpans(spans)
		if err != nil {
			return nil, s.fail(err, "article %s: mentions of %s", id, key)
		}
		for _, m := range ms {
			d.Mentions = append(d.Mentions, graph.ArticleMention{Entity: key, Type: graph.EntityType(typ), Mention: m})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "article %s", id)
	}
	sort.Slice(d.Mentions, func(i, j int) bool {
		a, b := d.Mentions[i], d.Mentions[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Entity < b.Entity
	})
	return d, nil
}

// encodeSpans and decodeSpans convert mentions to and from the spans
// column: [[start, end, text], …].
func encodeSpans(ms []graph.Mention) string {
	out := make([][3]any, len(ms))
	for i, m := range ms {
		out[i] = [3]any{m.Start, m.End, m.Text}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeSpans(s string) ([]graph.Mention, error) {
	var raw [][3]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, err
	}
	out := make([]graph.Mention, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r[0], &out[i].Start); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(r[1], &out[i].End); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(r[2], &out[i].Text); err != nil {
			return nil, err
		}
	}
	return out, nil
}
