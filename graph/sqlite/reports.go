package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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
	qReportKeys    = `SELECT DISTINCT event, key FROM reports WHERE article = ?`
	qReportsOf     = `SELECT r.article, a.url, r.type, r.subject, r.edition, r.place, r.date, r.confidence, r.links, r.start FROM reports r JOIN articles a ON a.id = r.article WHERE r.event = ?`
	qDelEvent      = `DELETE FROM events WHERE id = ?`
	qPutEvent      = `INSERT INTO events(id, key, type, subject, edition, place, date, confidence, sources, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET key = excluded.key, type = excluded.type, subject = excluded.subject, edition = excluded.edition, place = excluded.place, date = excluded.date, confidence = excluded.confidence, sources = excluded.sources, articles = excluded.articles`
	qInsConsolPart = `INSERT OR IGNORE INTO participation(event, entity, role, via, ord) VALUES (?, ?, ?, ?, ?)`
	qPartsOf       = `SELECT entity, role, via FROM participation WHERE event = ?`
	qDelPart       = `DELETE FROM participation WHERE event = ? AND entity = ?`
	qEventRow      = `SELECT key, type, subject, edition, place, date, confidence, sources, articles FROM events WHERE id = ?`
)

// storedLinks returns the event's participation rows by entity.
func storedLinks(ctx context.Context, st *sql.Stmt, id string) (map[string]graph.ActorLink, error) {
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]graph.ActorLink{}
	for rows.Next() {
		var l graph.ActorLink
		var role string
		if err := rows.Scan(&l.Entity, &role, &l.Via); err != nil {
			return nil, err
		}
		l.Role = graph.Role(role)
		out[l.Entity] = l
	}
	return out, rows.Err()
}

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

// recompute rebuilds the events rows of the keys touched (event id ->
// key) from their reports: an event without reports is deleted with its
// participation, any other is graph.Consolidate of its reports.
func recompute(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, touched map[string]string) error {
	sel, err := stmt(ctx, tx, stmts, qReportsOf)
	if err != nil {
		return err
	}
	exec := func(q string, args ...any) error {
		st, err := stmt(ctx, tx, stmts, q)
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, args...)
		return err
	}
	for _, id := range sortedKeys(touched) {
		key := touched[id]
		rows, err := sel.QueryContext(ctx, id)
		if err != nil {
			return err
		}
		var reports []graph.Report
		for rows.Next() {
			var r graph.Report
			var typ, links string
			if err := rows.Scan(&r.ArticleID, &r.ArticleURL, &typ, &r.Event.Subject, &r.Event.Edition, &r.Event.Place,
				&r.Event.Date, &r.Event.Confidence, &links, &r.Event.Evidence.Start); err != nil {
				rows.Close()
				return err
			}
			r.Event.Type = graph.EventType(typ)
			if r.Links, err = graph.DecodeLinks(links); err != nil {
				rows.Close()
				return err
			}
			reports = append(reports, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(reports) == 0 {
			if err := exec(qDelEvent, id); err != nil {
				return err
			}
			continue
		}
		c := graph.Consolidate(key, reports)
		cur, err := stmt(ctx, tx, stmts, qEventRow)
		if err != nil {
			return err
		}
		var o graph.Consolidated
		var typ string
		var nArticles int
		unchanged := false
		switch err := cur.QueryRowContext(ctx, c.ID).Scan(&o.Key, &typ, &o.Subject, &o.Edition, &o.Place, &o.Date,
			&o.Confidence, &o.Sources, &nArticles); {
		case err == sql.ErrNoRows:
		case err != nil:
			return err
		default:
			unchanged = o.Key == c.Key && typ == string(c.Type) && o.Subject == c.Subject && o.Edition == c.Edition &&
				o.Place == c.Place && o.Date == c.Date && o.Confidence == c.Confidence && o.Sources == c.Sources &&
				nArticles == len(c.Articles)
		}
		if !unchanged { // a hot event's row rarely changes: write it only when it does
			if err := exec(qPutEvent, c.ID, c.Key, string(c.Type), c.Subject, c.Edition, c.Place, c.Date, c.Confidence,
				c.Sources, len(c.Articles)); err != nil {
				return err
			}
		}
		parts, err := stmt(ctx, tx, stmts, qPartsOf)
		if err != nil {
			return err
		}
		// Participation changes by difference: a hot event gains an actor
		// or sees a role change now and then, and keeps the rest.
		old, err := storedLinks(ctx, parts, c.ID)
		if err != nil {
			return err
		}
		for i, l := range c.Links {
			o, ok := old[l.Entity]
			delete(old, l.Entity)
			if ok && o == l {
				continue
			}
			if ok {
				if err := exec(qDelPart, c.ID, l.Entity); err != nil {
					return err
				}
			}
			if err := exec(qInsConsolPart, c.ID, l.Entity, string(l.Role), l.Via, i); err != nil {
				return err
			}
		}
		for ent := range old {
			if err := exec(qDelPart, c.ID, ent); err != nil {
				return err
			}
		}
	}
	return nil
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
	touched := map[string]string{}
	ord := map[string]int{}
	for _, e := range evs {
		key := graph.EventKey(e.ev, ents)
		id := graph.ConsolidatedID(key)
		touched[id] = key
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
	if _, err := tx.ExecContext(ctx, eventTablesV2); err != nil {
		return err
	}
	return recompute(ctx, tx, stmts, touched)
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
