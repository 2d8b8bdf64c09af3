package neo4j

import (
	"encoding/json"
	"fmt"

	"github.com/defgraph/defgraph/graph"
)

// One event, many reports: each event of an article is a REPORTED_IN
// relationship from the Event of its consolidation key to the article,
// carrying the report (see the package comment). The Event keeps the
// graph.Tally of its reports in its `tally` property (JSON); its other
// properties and its PARTICIPATED_IN, ABOUT, HELD_IN and ON_DATE links are
// the tally's graph.Consolidated. A write transaction adds the reports it
// writes to the tallies of their events and takes back those it deletes,
// then writes the properties and only the links that changed, so that an
// event thousands of articles report costs what its new reports cost.

// reportOf reads a report from [article id, url, type, subject, edition,
// place, date, confidence, links].
func reportOf(v []any) (graph.Report, error) {
	r := graph.Report{ArticleID: str(v[0]), ArticleURL: str(v[1])}
	r.Event = graph.Event{Type: graph.EventType(str(v[2])), Subject: str(v[3]), Edition: num(v[4]), Place: str(v[5]),
		Date: str(v[6]), Confidence: flt(v[7])}
	var err error
	r.Links, err = graph.DecodeLinks(str(v[8]))
	return r, err
}

// reportFields are the fields reportOf reads, of a REPORTED_IN r to an
// Article a.
const reportFields = `[a.id, a.url, r.type, r.subject, r.edition, r.place, r.date, r.confidence, r.links]`

// The queries of consolidate.
var (
	// The tallies of events, and for one without a tally (written before
	// tallies existed) all its reports.
	qReadTallies = cachedPlan + `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN id, ev.tally, CASE WHEN ev.tally IS NULL
			THEN COLLECT { MATCH (ev)-[r:REPORTED_IN]->(a:Article) RETURN ` + reportFields + ` } ELSE [] END,
			elementId(ev)`
	qDeleteEvents = cachedPlan + `UNWIND $rows AS id MATCH (ev) WHERE elementId(ev) = id DETACH DELETE ev`
	qUnlinkEvents = cachedPlan + `UNWIND $rows AS id MATCH (ev)-[l:PARTICIPATED_IN|ABOUT|HELD_IN|ON_DATE]-()
		WHERE elementId(ev) = id DELETE l`
	// One row per event: [elementId, properties, moved, redated,
	// [[link, entity elementId]], [[entity key, role, via, ord]] to update
	// (a nil role: to delete), [[entity elementId, role, via, ord]] to
	// create].
	qWriteEvents = cachedPlan + `UNWIND $rows AS r
		MATCH (ev) WHERE elementId(ev) = r[0]
		SET ev += r[1]
		WITH ev, r
		CALL {
			WITH ev, r
			WITH ev, r WHERE r[2] OR r[3]
			MATCH (ev)-[l:HELD_IN|ON_DATE]->()
			WITH l, r WHERE (r[2] AND type(l) = 'HELD_IN') OR (r[3] AND type(l) = 'ON_DATE')
			DELETE l
		}
		CALL {
			WITH ev, r
			UNWIND r[4] AS t
			MATCH (x) WHERE elementId(x) = t[1]
			FOREACH (_ IN CASE WHEN t[0] = 0 THEN [1] ELSE [] END | CREATE (ev)-[:ABOUT]->(x))
			FOREACH (_ IN CASE WHEN t[0] = 1 THEN [1] ELSE [] END | CREATE (ev)-[:HELD_IN]->(x))
			FOREACH (_ IN CASE WHEN t[0] = 2 THEN [1] ELSE [] END | CREATE (ev)-[:ON_DATE]->(x))
		}
		CALL {
			WITH ev, r
			WITH ev, r WHERE size(r[5]) > 0
			MATCH (ev)<-[l:PARTICIPATED_IN]-(x)
			WITH l, [c IN r[5] WHERE c[0] = x.key] AS cs WHERE size(cs) > 0
			WITH l, cs[0] AS c
			FOREACH (_ IN CASE WHEN c[1] IS NULL THEN [1] ELSE [] END | DELETE l)
			FOREACH (_ IN CASE WHEN c[1] IS NULL THEN [] ELSE [1] END | SET l.role = c[1], l.via = c[2], l.ord = c[3])
		}
		CALL {
			WITH ev, r
			UNWIND r[6] AS p
			MATCH (x) WHERE elementId(x) = p[0]
			CREATE (x)-[:PARTICIPATED_IN {role: p[1], via: p[2], ord: p[3]}]->(ev)
		}`
)

// cachedTally is the tally of an event as a Store wrote it last: its
// JSON, decoded, and its Consolidated.
type cachedTally struct {
	json  string
	tally graph.Tally
	cons  graph.Consolidated
}

// maxCachedTallies bounds the tallies a Store keeps decoded.
const maxCachedTallies = 20000

// readTally sets tally to the stored tally t of the event id ("": made by
// this transaction) and cons to its Consolidated. A tally the Store wrote
// last is taken from its cache, undecoded, when t is still its JSON: the
// entry leaves the cache, since tally is changed after, and comes back
// with the new tally once the transaction commits.
func (b *batch) readTally(id, t string, tally *graph.Tally, cons *graph.Consolidated) error {
	if t == "" {
		return nil
	}
	if c := b.cache[id]; c != nil {
		delete(b.cache, id)
		if c.json == t {
			*tally, *cons = c.tally, c.cons
			return nil
		}
	}
	if err := json.Unmarshal([]byte(t), tally); err != nil {
		return fmt.Errorf("event %s: stored tally: %w", id, err)
	}
	*cons = tally.Consolidated(b.changes[id].Key)
	return nil
}

// consolidate applies the changes of the transaction to their events: one
// query reads the tallies flush has not read, one deletes the events left
// without reports, and one writes the properties of the others and the
// links that changed.
//
// An Event written before tallies existed (no `tally` property) is rebuilt
// from all its reports once, its links deleted and written again.
func (b *batch) consolidate() error {
	if len(b.changes) == 0 {
		return nil
	}
	ids := sortedKeys(b.changes)
	type state struct {
		tally  graph.Tally
		old    graph.Consolidated
		legacy bool // links unknown: delete them all, write them all
	}
	states := map[string]*state{}
	// The tallies of the events flush locked are read already; the others
	// (those whose reports were only deleted, and those without a tally)
	// are read now.
	var need []string
	for _, id := range ids {
		t, ok := b.tallies[id]
		if !ok || t == nil {
			need = append(need, id)
			continue
		}
		st := &state{}
		states[id] = st
		if err := b.readTally(id, str(t), &st.tally, &st.old); err != nil {
			return err
		}
	}
	if len(need) > 0 {
		recs, err := b.run(qReadTallies, map[string]any{"ids": need})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			id := str(rec.Values[0])
			st := &state{}
			states[id] = st
			b.events[id] = str(rec.Values[3])
			if rec.Values[1] == nil { // before tallies: count every report stored now
				st.legacy = true
				var all []graph.Report
				for _, v := range list(rec.Values[2]) {
					r, err := reportOf(list(v))
					if err != nil {
						return fmt.Errorf("event %s: %w", id, err)
					}
					all = append(all, r)
				}
				st.tally.Add(all...)
				continue
			}
			if err := b.readTally(id, str(rec.Values[1]), &st.tally, &st.old); err != nil {
				return err
			}
		}
	}
	var dead, relink []string
	var cons []graph.Consolidated
	var tallies []string
	var olds []*state
	for _, id := range ids {
		st := states[id]
		if st == nil { // deleted with its last article and never recreated
			continue
		}
		ch := b.changes[id]
		if !st.legacy {
			ch.Apply(&st.tally)
		}
		if st.tally.Empty() {
			dead = append(dead, b.events[id])
			b.res.tallies[id] = nil
			continue
		}
		if st.legacy {
			relink = append(relink, b.events[id])
		}
		tj, err := json.Marshal(&st.tally)
		if err != nil {
			return err
		}
		c := st.tally.Consolidated(ch.Key)
		cons = append(cons, c)
		tallies = append(tallies, string(tj))
		b.res.tallies[id] = &cachedTally{json: string(tj), tally: st.tally, cons: c}
		olds = append(olds, st)
	}
	// What changed, per event: its properties, the ABOUT, HELD_IN and
	// ON_DATE links to write (the old HELD_IN or ON_DATE deleted first),
	// the PARTICIPATED_IN links to update or delete and those to create.
	type target struct {
		rel int // 0 ABOUT, 1 HELD_IN, 2 ON_DATE
		key string
	}
	type eventRow struct {
		moved, redated   bool
		targets          []target
		changed, created [][]any // [entity key, role, via, ord]; changed with a nil role: deleted
	}
	rows := make([]eventRow, len(cons))
	var read []string // entities to read: linked now, or naming an event
	for i, c := range cons {
		st := olds[i]
		old := st.old
		row := &rows[i]
		fresh := st.legacy || old.Key == "" // no links written yet (or unknown ones)
		if c.Subject != "" {
			read = append(read, c.Subject)
			if fresh {
				row.targets = append(row.targets, target{0, c.Subject})
			}
		}
		if c.Place != old.Place || fresh {
			row.moved = old.Place != "" && !fresh
			if c.Place != "" {
				row.targets = append(row.targets, target{1, c.Place})
			}
		}
		if c.Date != old.Date || fresh {
			row.redated = old.Date != "" && !fresh
			if c.Date != "" {
				row.targets = append(row.targets, target{2, c.Date})
			}
		}
		for _, t := range row.targets {
			read = append(read, t.key)
		}
		was := map[string]graph.ActorLink{}
		if !fresh {
			for _, l := range old.Links {
				was[l.Entity] = l
			}
		}
		for j, l := range c.Links {
			o, ok := was[l.Entity]
			delete(was, l.Entity)
			switch {
			case ok && o == l:
			case ok: // the same link, with another role or via
				row.changed = append(row.changed, []any{l.Entity, string(l.Role), l.Via, j})
			default:
				row.created = append(row.created, []any{l.Entity, string(l.Role), l.Via, j})
				read = append(read, l.Entity)
			}
		}
		for _, l := range old.Links {
			if _, gone := was[l.Entity]; gone {
				row.changed = append(row.changed, []any{l.Entity, nil, nil, nil})
			}
		}
	}
	if err := b.load(read); err != nil { // most were read by flush already
		return err
	}
	params := make([]any, 0, len(cons))
	for i, c := range cons {
		row := &rows[i]
		subjectName := ""
		if r := b.stored[c.Subject]; c.Subject != "" && r != nil {
			subjectName = r.Name
		}
		// Links to an entity that does not exist are not written.
		targets := make([]any, 0, len(row.targets))
		for _, t := range row.targets {
			if r := b.stored[t.key]; r != nil {
				targets = append(targets, []any{t.rel, r.eid})
			}
		}
		created := make([]any, 0, len(row.created))
		for _, l := range row.created {
			if r := b.stored[l[0].(string)]; r != nil {
				created = append(created, []any{r.eid, l[1], l[2], l[3]})
			}
		}
		changed := make([]any, 0, len(row.changed))
		for _, l := range row.changed {
			changed = append(changed, l)
		}
		params = append(params, []any{b.events[c.ID], map[string]any{
			"key": c.Key, "type": string(c.Type), "subject": c.Subject, "edition": c.Edition, "place": c.Place,
			"date": c.Date, "confidence": c.Confidence, "sources": c.Sources, "articles": c.Articles,
			"name": eventName(string(c.Type), subjectName, c.Edition, c.Date), "tally": tallies[i],
		}, row.moved, row.redated, targets, changed, created})
	}
	if len(dead) > 0 {
		if err := b.exec(qDeleteEvents, map[string]any{"rows": dead}); err != nil {
			return err
		}
	}
	if len(relink) > 0 {
		if err := b.exec(qUnlinkEvents, map[string]any{"rows": relink}); err != nil {
			return err
		}
	}
	if len(params) == 0 {
		return nil
	}
	return b.exec(qWriteEvents, map[string]any{"rows": params})
}
