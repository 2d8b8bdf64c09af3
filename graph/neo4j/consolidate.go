package neo4j

import (
	"encoding/json"
	"fmt"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
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

// change is what one transaction does to the reports of an event: the
// reports it adds and those it deletes, a group per article version.
type change struct {
	key      string
	add, del [][]graph.Report
}

// group appends the reports of one article version, by event id, to the
// adds (or deletes) of their events.
func (b *batch) group(reports map[string][]graph.Report, keys map[string]string, del bool) {
	for id, rs := range reports {
		ch := b.changes[id]
		if ch == nil {
			ch = &change{key: keys[id]}
			b.changes[id] = ch
		}
		if del {
			ch.del = append(ch.del, rs)
		} else {
			ch.add = append(ch.add, rs)
		}
	}
}

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

// consolidate applies the changes of the transaction to their events: one
// query reads their tallies, one deletes the events left without reports,
// one writes the properties of the others and one query per kind of link
// writes the links that changed.
//
// An Event written before tallies existed (no `tally` property) is rebuilt
// from all its reports once, its links deleted and written again.
func (b *batch) consolidate() error {
	if len(b.changes) == 0 {
		return nil
	}
	ctx, tx := b.ctx, b.tx
	ids := sortedKeys(b.changes)
	recs, err := run(ctx, tx, `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN id, ev.tally, CASE WHEN ev.tally IS NULL
			THEN COLLECT { MATCH (ev)-[r:REPORTED_IN]->(a:Article) RETURN `+reportFields+` } ELSE [] END`,
		map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	type state struct {
		tally  graph.Tally
		old    graph.Consolidated
		legacy bool // links unknown: delete them all, write them all
	}
	states := map[string]*state{}
	for _, rec := range recs {
		id := str(rec.Values[0])
		st := &state{}
		states[id] = st
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
		if t := str(rec.Values[1]); t != "" { // "": made by this transaction
			if err := json.Unmarshal([]byte(t), &st.tally); err != nil {
				return fmt.Errorf("event %s: stored tally: %w", id, err)
			}
			st.old = st.tally.Consolidated(b.changes[id].key)
		}
	}
	var dead, relink, moved, redated []string
	var events, about, heldIn, onDate, partsDel, partsAdd []map[string]any
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
			// Additions first: a tally never goes below zero on the way.
			for _, rs := range ch.add {
				st.tally.Add(rs...)
			}
			for _, rs := range ch.del {
				st.tally.Remove(rs...)
			}
		}
		if st.tally.Empty() {
			dead = append(dead, id)
			continue
		}
		tj, err := json.Marshal(&st.tally)
		if err != nil {
			return err
		}
		cons = append(cons, st.tally.Consolidated(ch.key))
		tallies = append(tallies, string(tj))
		olds = append(olds, st)
	}
	// Event names use their subject's name.
	var subjects []string
	for _, c := range cons {
		if c.Subject != "" && b.ents[c.Subject] == nil {
			subjects = append(subjects, c.Subject)
		}
	}
	names := map[string]string{}
	if len(subjects) > 0 {
		recs, err := run(ctx, tx, `UNWIND $keys AS k MATCH (e:Entity {key: k}) RETURN k, e.name`,
			map[string]any{"keys": walk.SortedUnique(subjects)})
		if err != nil {
			return err
		}
		for _, r := range recs {
			names[str(r.Values[0])] = str(r.Values[1])
		}
	}
	for i, c := range cons {
		st := olds[i]
		old := st.old
		fresh := st.legacy || old.Key == "" // no links written yet (or unknown ones)
		if st.legacy {
			relink = append(relink, c.ID)
		}
		subjectName := ""
		if c.Subject != "" {
			if r := b.ents[c.Subject]; r != nil {
				subjectName = r.Name
			} else {
				subjectName = names[c.Subject]
			}
			if fresh {
				about = append(about, map[string]any{"event": c.ID, "key": c.Subject})
			}
		}
		if c.Place != old.Place || fresh {
			if old.Place != "" && !fresh {
				moved = append(moved, c.ID)
			}
			if c.Place != "" {
				heldIn = append(heldIn, map[string]any{"event": c.ID, "key": c.Place})
			}
		}
		if c.Date != old.Date || fresh {
			if old.Date != "" && !fresh {
				redated = append(redated, c.ID)
			}
			if c.Date != "" {
				onDate = append(onDate, map[string]any{"event": c.ID, "key": c.Date})
			}
		}
		events = append(events, map[string]any{"id": c.ID, "props": map[string]any{
			"key": c.Key, "type": string(c.Type), "subject": c.Subject, "edition": c.Edition, "place": c.Place,
			"date": c.Date, "confidence": c.Confidence, "sources": c.Sources, "articles": c.Articles,
			"name": eventName(string(c.Type), subjectName, c.Edition, c.Date), "tally": tallies[i],
		}})
		was := map[string]graph.ActorLink{}
		if !fresh {
			for _, l := range old.Links {
				was[l.Entity] = l
			}
		}
		for j, l := range c.Links {
			o, ok := was[l.Entity]
			delete(was, l.Entity)
			if ok && o == l {
				continue
			}
			if ok {
				partsDel = append(partsDel, map[string]any{"event": c.ID, "entity": l.Entity})
			}
			partsAdd = append(partsAdd, map[string]any{"event": c.ID, "entity": l.Entity, "role": string(l.Role), "via": l.Via, "ord": j})
		}
		for _, l := range old.Links {
			if _, gone := was[l.Entity]; gone {
				partsDel = append(partsDel, map[string]any{"event": c.ID, "entity": l.Entity})
			}
		}
	}
	steps := []struct {
		q    string
		rows any
	}{
		{`UNWIND $rows AS id MATCH (ev:Event {id: id}) DETACH DELETE ev`, dead},
		{`UNWIND $rows AS id MATCH (ev:Event {id: id})-[l:PARTICIPATED_IN|ABOUT|HELD_IN|ON_DATE]-() DELETE l`, relink},
		{`UNWIND $rows AS id MATCH (ev:Event {id: id})-[l:HELD_IN]->() DELETE l`, moved},
		{`UNWIND $rows AS id MATCH (ev:Event {id: id})-[l:ON_DATE]->() DELETE l`, redated},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event})<-[l:PARTICIPATED_IN]-(x) WHERE x.key = r.entity DELETE l`, partsDel},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.id}) SET ev += r.props`, events},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:ABOUT]->(x)`, about},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:HELD_IN]->(x)`, heldIn},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:ON_DATE]->(x)`, onDate},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.entity})
			CREATE (x)-[:PARTICIPATED_IN {role: r.role, via: r.via, ord: r.ord}]->(ev)`, partsAdd},
	}
	for _, st := range steps {
		switch rows := st.rows.(type) {
		case []string:
			if len(rows) == 0 {
				continue
			}
		case []map[string]any:
			if len(rows) == 0 {
				continue
			}
		}
		if err := exec(ctx, tx, st.q, map[string]any{"rows": st.rows}); err != nil {
			return err
		}
	}
	return nil
}
