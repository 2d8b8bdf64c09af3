package neo4j

import (
	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
)

// One event, many reports: each event of an article is a REPORTED_IN
// relationship from the Event of its consolidation key to the article,
// carrying the report (see the package comment). The Event's properties and
// its PARTICIPATED_IN, ABOUT, HELD_IN and ON_DATE links are
// graph.Consolidate of all its reports, rebuilt for every event whose
// reports a transaction deleted or added.

// consolidate rebuilds the touched events from their reports: one query
// reads every report of them, one deletes those left without any, and one
// query per kind of link writes the others.
func (b *batch) consolidate() error {
	if len(b.touched) == 0 {
		return nil
	}
	ctx, tx := b.ctx, b.tx
	ids := sortedKeys(b.touched)
	recs, err := run(ctx, tx, `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN id, COLLECT { MATCH (ev)-[r:REPORTED_IN]->(a:Article)
			RETURN [a.id, a.url, r.type, r.subject, r.edition, r.place, r.date, r.confidence, r.links, r.start] } AS reports`,
		map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	var dead, live []string
	var events, parts, about, heldIn, onDate []map[string]any
	var cons []graph.Consolidated
	for _, rec := range recs {
		id := str(rec.Values[0])
		var reports []graph.Report
		for _, v := range list(rec.Values[1]) {
			v := list(v)
			r := graph.Report{ArticleID: str(v[0]), ArticleURL: str(v[1])}
			r.Event = graph.Event{Type: graph.EventType(str(v[2])), Subject: str(v[3]), Edition: num(v[4]), Place: str(v[5]),
				Date: str(v[6]), Confidence: flt(v[7]), Evidence: graph.Evidence{Start: num(v[9])}}
			if r.Links, err = graph.DecodeLinks(str(v[8])); err != nil {
				return err
			}
			reports = append(reports, r)
		}
		if len(reports) == 0 {
			dead = append(dead, id)
			continue
		}
		live = append(live, id)
		cons = append(cons, graph.Consolidate(b.touched[id], reports))
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
	for _, c := range cons {
		subjectName := ""
		if c.Subject != "" {
			if r := b.ents[c.Subject]; r != nil {
				subjectName = r.Name
			} else {
				subjectName = names[c.Subject]
			}
			about = append(about, map[string]any{"event": c.ID, "key": c.Subject})
		}
		if c.Place != "" {
			heldIn = append(heldIn, map[string]any{"event": c.ID, "key": c.Place})
		}
		if c.Date != "" {
			onDate = append(onDate, map[string]any{"event": c.ID, "key": c.Date})
		}
		events = append(events, map[string]any{"id": c.ID, "props": map[string]any{
			"key": c.Key, "type": string(c.Type), "subject": c.Subject, "edition": c.Edition, "place": c.Place,
			"date": c.Date, "confidence": c.Confidence, "sources": c.Sources, "articles": len(c.Articles),
			"name": eventName(string(c.Type), subjectName, c.Edition, c.Date),
		}})
		for i, l := range c.Links {
			parts = append(parts, map[string]any{"event": c.ID, "entity": l.Entity, "role": string(l.Role), "via": l.Via, "ord": i})
		}
	}
	steps := []struct {
		q    string
		rows any
	}{
		{`UNWIND $rows AS id MATCH (ev:Event {id: id}) DETACH DELETE ev`, dead},
		{`UNWIND $rows AS id MATCH (ev:Event {id: id})-[l:PARTICIPATED_IN|ABOUT|HELD_IN|ON_DATE]-() DELETE l`, live},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.id}) SET ev += r.props`, events},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:ABOUT]->(x)`, about},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:HELD_IN]->(x)`, heldIn},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.key}) CREATE (ev)-[:ON_DATE]->(x)`, onDate},
		{`UNWIND $rows AS r MATCH (ev:Event {id: r.event}) MATCH (x:Entity {key: r.entity})
			CREATE (x)-[:PARTICIPATED_IN {role: r.role, via: r.via, ord: r.ord}]->(ev)`, parts},
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
