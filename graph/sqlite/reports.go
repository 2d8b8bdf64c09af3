package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/defgraph/defgraph/graph"
)

// One event, many reports: each event of an article is a reports row;
// the events row of a consolidation key and its participation rows are
// graph.Consolidate of every report of that key, rebuilt whenever a Write
// adds or deletes one of them (see recompute).

// eventTablesV2 replaces the per-article events of schema version 1 with
// consolidated ones. Run by migrateReports once the reports are copied.
const eventTablesV2 = `
DROP TABLE evidence;
DROP TABLE participation;
DROP TABLE events;
-- One row per consolidation key: graph.Consolidate of its reports.
CREATE TABLE events (
	id         TEXT PRIMARY KEY,              -- graph.ConsolidatedID(key)
	key        TEXT NOT NULL,                 -- graph.EventKey of its reports
	type       TEXT NOT NULL,
	subject    TEXT NOT NULL DEFAULT '',
	edition    INTEGER NOT NULL DEFAULT 0,
	place      TEXT NOT NULL DEFAULT '',
	date       TEXT NOT NULL DEFAULT '',
	confidence REAL NOT NULL DEFAULT 0,
	sources    INTEGER NOT NULL DEFAULT 0,    -- distinct outlets reporting it
	articles   INTEGER NOT NULL DEFAULT 0     -- distinct articles reporting it (REPORTED_IN links)
);
CREATE INDEX events_subject ON events(subject) WHERE subject <> '';
CREATE INDEX events_place ON events(place) WHERE place <> '';
CREATE INDEX events_date ON events(date);
-- participation is the PARTICIPATED_IN link: graph.Consolidated.Links,
-- ord their order (by entity key).
CREATE TABLE participation (
	event  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	entity TEXT NOT NULL REFERENCES entities(key),
	role   TEXT NOT NULL,
	via    TEXT NOT NULL DEFAULT '',
	ord    INTEGER NOT NULL,
	PRIMARY KEY (event, entity, role)
) WITHOUT ROWID;
CREATE INDEX participation_entity ON participation(entity);
`

func encodeParticipants(ps []graph.Participant) string {
	if ps == nil {
		ps = []graph.Participant{}
	}
	b, _ := json.Marshal(ps)
	return string(b)
}

const (
	qInsReport = `INSERT INTO reports(article, ord, id, key, event, type, subject, edition, place, date, confidence,
		participants, links, sentence, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// qArticleReports reads the stored reports of an article, as
	// graph.Tally counted them, before the article is rewritten.
	qArticleReports = `SELECT r.event, r.key, a.url, r.type, r.subject, r.edition, r.place, r.date, r.confidence, r.links
		FROM reports r JOIN articles a ON a.n = r.article WHERE r.article = ?`
	qDelEvent      = `DELETE FROM events WHERE id = ?`
	qDelEventParts = `DELETE FROM participation WHERE event = ?`
	qPutEvent      = `INSERT INTO events(id, key, type, subject, edition, place, date, confidence, sources, articles, tally) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET key = excluded.key, type = excluded.type, subject = excluded.subject, edition = excluded.edition, place = excluded.place, date = excluded.date, confidence = excluded.confidence, sources = excluded.sources, articles = excluded.articles, tally = excluded.tally`
	qCountEvent    = `UPDATE events SET confidence = ?, sources = ?, articles = ?, tally = ? WHERE id = ?`
	qInsConsolPart = `INSERT OR IGNORE INTO participation(event, entity, role, via, ord) VALUES (?, ?, ?, ?, ?)`
	qDelPart       = `DELETE FROM participation WHERE event = ? AND entity = ?`
	qEventTally    = `SELECT tally FROM events WHERE id = ?`
)

// stmt returns the prepared statement of q in tx, preparing it once.
func stmt(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, q string) (*sql.Stmt, error) {
	if st, ok := stmts[q]; ok {
		return st, nil
	}
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	stmts[q] = st
	return st, nil
}

// writeCache keeps what a Store's writes read and wrote, so that the next
// Write does not read and decode it again (a hot event, or a country, is
// touched by every batch of an import): the tallies of events, decoded,
// with their graph.Consolidated, and the rows of entities. It is valid
// while no other connection writes the file: every Write adds one to
// writes.n in its transaction, and the cache serves only the Write that
// finds the number the last one left. A failed Write clears it.
type writeCache struct {
	gen    int64 // writes.n after the Write that left the cache
	events map[string]*cachedEvent
	ents   map[string]*entityRow
}

type cachedEvent struct {
	tally graph.Tally
	cons  graph.Consolidated
}

// maxCached bounds the events and the entities cached (about a kilobyte
// each).
const maxCached = 100_000

// begin readies the cache for the Write whose writes.n is gen.
func (c *writeCache) begin(gen int64) {
	if c.events == nil || c.gen != gen-1 || len(c.events) > maxCached || len(c.ents) > maxCached {
		c.events, c.ents = map[string]*cachedEvent{}, map[string]*entityRow{}
	}
	c.gen = -1 // until the Write commits
}

// recompute applies the changes to the events they touch (event id ->
// change): each event's stored graph.Tally takes the added reports and
// gives back the deleted ones, so the cost is the number of reports
// changed, not the number stored. An event left without reports is
// deleted with its participation; any other gets the row and the
// participation rows of its tally's graph.Consolidated, written where they
// differ from the old tally's. cache, when not nil, holds the events as
// stored (it is updated to what this call writes).
func recompute(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, changes graph.TallyChanges, cache map[string]*cachedEvent) error {
	exec := func(q string, args ...any) error {
		st, err := stmt(ctx, tx, stmts, q)
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, args...)
		return err
	}
	sel, err := stmt(ctx, tx, stmts, qEventTally)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(changes) {
		ch := changes[id]
		ce := cache[id]
		if ce == nil {
			ce = &cachedEvent{}
			var stored string
			switch err := sel.QueryRowContext(ctx, id).Scan(&stored); {
			case err == sql.ErrNoRows:
			case err != nil:
				return err
			default:
				if err := json.Unmarshal([]byte(stored), &ce.tally); err != nil {
					return fmt.Errorf("event %s: stored tally: %w", id, err)
				}
				ce.cons = ce.tally.Consolidated(ch.Key)
			}
		}
		tally, old := &ce.tally, ce.cons
		ch.Apply(tally)
		if tally.Empty() {
			if old.Key != "" {
				// participation first: the writer checks no foreign key
				for _, q := range []string{qDelEventParts, qDelEvent} {
					if err := exec(q, id); err != nil {
						return err
					}
				}
			}
			if cache != nil {
				delete(cache, id)
			}
			continue
		}
		c := tally.Consolidated(ch.Key)
		ce.cons = c
		if cache != nil {
			cache[id] = ce
		}
		tj := string(tally.AppendJSON(nil))
		if old.Key != "" && old.Type == c.Type && old.Subject == c.Subject && old.Edition == c.Edition &&
			old.Place == c.Place && old.Date == c.Date {
			// Only the counts changed: no index to update.
			if err := exec(qCountEvent, c.Confidence, c.Sources, c.Articles, tj, c.ID); err != nil {
				return err
			}
		} else if err := exec(qPutEvent, c.ID, c.Key, string(c.Type), c.Subject, c.Edition, c.Place, c.Date, c.Confidence,
			c.Sources, c.Articles, tj); err != nil {
			return err
		}
		if err := writeLinks(exec, c.ID, old.Links, c.Links); err != nil {
			return err
		}
	}
	return nil
}

// writeLinks turns the participation rows of event id from was into now
// (both sorted by entity), touching only the entities whose link changed.
func writeLinks(exec func(q string, args ...any) error, id string, was, now []graph.ActorLink) error {
	old := make(map[string]graph.ActorLink, len(was))
	for _, l := range was {
		old[l.Entity] = l
	}
	for i, l := range now {
		o, ok := old[l.Entity]
		delete(old, l.Entity)
		if ok && o == l {
			continue
		}
		if ok {
			if err := exec(qDelPart, id, l.Entity); err != nil {
				return err
			}
		}
		if err := exec(qInsConsolPart, id, l.Entity, string(l.Role), l.Via, i); err != nil {
			return err
		}
	}
	for _, l := range was {
		if _, gone := old[l.Entity]; gone {
			if err := exec(qDelPart, id, l.Entity); err != nil {
				return err
			}
		}
	}
	return nil
}

// rebuildEvents writes every events row and its participation afresh from
// all the reports stored, tally included (migration 4: its query reads the
// schema of version 4).
func rebuildEvents(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.event, r.key, r.article, a.url, r.type, r.subject, r.edition, r.place,
		r.date, r.confidence, r.links FROM reports r JOIN articles a ON a.id = r.article ORDER BY r.event, r.article`)
	if err != nil {
		return err
	}
	changes := graph.TallyChanges{}
	for rows.Next() {
		var id, key, links, typ string
		var r graph.Report
		if err := rows.Scan(&id, &key, &r.ArticleID, &r.ArticleURL, &typ, &r.Event.Subject, &r.Event.Edition,
			&r.Event.Place, &r.Event.Date, &r.Event.Confidence, &links); err != nil {
			rows.Close()
			return err
		}
		r.Event.Type = graph.EventType(typ)
		if r.Links, err = graph.DecodeLinks(links); err != nil {
			rows.Close()
			return err
		}
		ch := changes[id]
		if ch == nil {
			ch = &graph.TallyChange{Key: key}
			changes[id] = ch
		}
		if n := len(ch.Add); n > 0 && ch.Add[n-1][0].ArticleID == r.ArticleID {
			ch.Add[n-1] = append(ch.Add[n-1], r)
		} else {
			ch.Add = append(ch.Add, []graph.Report{r})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM participation; DELETE FROM events;`); err != nil {
		return err
	}
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	return recompute(ctx, tx, stmts, changes, nil)
}

// migrateReports converts the per-article events of a version 1 file into
// reports and consolidated events (migration 2).
func migrateReports(ctx context.Context, tx *sql.Tx) error {
	type oldEvent struct {
		id, article string
		ev          graph.Event
		links       []graph.ActorLink
		evidence    []graph.Evidence
	}
	var evs []*oldEvent
	byID := map[string]*oldEvent{}
	rows, err := tx.QueryContext(ctx, `SELECT id, article, type, subject, edition, place, date, confidence FROM events ORDER BY article, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		e := &oldEvent{}
		var typ string
		if err := rows.Scan(&e.id, &e.article, &typ, &e.ev.Subject, &e.ev.Edition, &e.ev.Place, &e.ev.Date, &e.ev.Confidence); err != nil {
			rows.Close()
			return err
		}
		e.ev.Type = graph.EventType(typ)
		evs = append(evs, e)
		byID[e.id] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ents := map[string]graph.Entity{}
	rows, err = tx.QueryContext(ctx, `SELECT p.event, p.entity, p.role, p.via, e.type, e.country FROM participation p
		JOIN entities e ON e.key = p.entity ORDER BY p.event, p.ord`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, entity, role, via, typ, country string
		if err := rows.Scan(&id, &entity, &role, &via, &typ, &country); err != nil {
			rows.Close()
			return err
		}
		e := byID[id]
		if e == nil {
			continue
		}
		e.links = append(e.links, graph.ActorLink{Entity: entity, Role: graph.Role(role), Via: via})
		if via == "" {
			e.ev.Participants = append(e.ev.Participants, graph.Participant{Entity: entity, Role: graph.Role(role)})
		}
		ents[entity] = graph.Entity{Key: entity, Type: graph.EntityType(typ), Country: country}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT event, text, start, "end" FROM evidence ORDER BY event, ord`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var v graph.Evidence
		if err := rows.Scan(&id, &v.Text, &v.Start, &v.End); err != nil {
			rows.Close()
			return err
		}
		if e := byID[id]; e != nil {
			e.evidence = append(e.evidence, v)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	ins, err := stmt(ctx, tx, stmts, qInsReport)
	if err != nil {
		return err
	}
	ord := map[string]int{}
	for _, e := range evs {
		key := graph.EventKey(e.ev, ents)
		id := graph.ConsolidatedID(key)
		for _, v := range e.evidence {
			if _, err := ins.ExecContext(ctx, e.article, ord[e.article], e.id, key, id, string(e.ev.Type), e.ev.Subject,
				e.ev.Edition, e.ev.Place, e.ev.Date, e.ev.Confidence, encodeParticipants(e.ev.Participants),
				graph.EncodeLinks(e.links), v.Text, v.Start, v.End); err != nil {
				return err
			}
			ord[e.article]++
		}
	}
	for _, st := range stmts {
		st.Close()
	}
	clear(stmts)
	// The events rows are built from the reports by migration 4, which
	// adds their tally.
	_, err = tx.ExecContext(ctx, eventTablesV2)
	return err
}

// distinctIDs counts the distinct report ids of an extraction's events
// (WriteResult.Events: an event stated twice in an article counts once).
func distinctIDs(articleID string, evs []graph.Event) int {
	var ids []string
	for _, e := range evs {
		ids = append(ids, graph.EventID(articleID, e))
	}
	slices.Sort(ids)
	return len(slices.Compact(ids))
}
