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

// entityRow is an entity node's properties.
type entityRow struct {
	Key     string
	Type    graph.EntityType
	Name    string
	Names   map[string]string
	Aliases []string
	Country string
}

func (r *entityRow) allNames() []string {
	return graph.Entity{Name: r.Name, Names: r.Names, Aliases: r.Aliases}.AllNames()
}

// merge adds what e says to r, by graph.MergeEntity.
func (r *entityRow) merge(e graph.Entity) {
	g := graph.Entity{Key: r.Key, Type: r.Type, Name: r.Name, Names: r.Names, Aliases: r.Aliases, Country: r.Country}
	graph.MergeEntity(&g, e)
	r.Type, r.Name, r.Names, r.Aliases, r.Country = g.Type, g.Name, g.Names, g.Aliases, g.Country
}

func (r *entityRow) clone() *entityRow {
	c := *r
	c.Aliases = slices.Clone(r.Aliases)
	if r.Names != nil {
		c.Names = make(map[string]string, len(r.Names))
		for k, v := range r.Names {
			c.Names[k] = v
		}
	}
	return &c
}

func sameRow(a, b *entityRow) bool {
	if a.Type != b.Type || a.Name != b.Name || a.Country != b.Country || !slices.Equal(a.Aliases, b.Aliases) ||
		len(a.Names) != len(b.Names) {
		return false
	}
	for k, v := range a.Names {
		if w, ok := b.Names[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// props returns the node properties of r.
func (r *entityRow) props() map[string]any {
	names := "{}"
	if len(r.Names) > 0 {
		b, _ := json.Marshal(r.Names)
		names = string(b)
	}
	aliases := r.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	var folded []string
	for _, n := range r.allNames() {
		if f := graph.Fold(n); f != "" && !slices.Contains(folded, f) {
			folded = append(folded, f)
		}
	}
	if folded == nil {
		folded = []string{}
	}
	return map[string]any{
		"key": r.Key, "type": string(r.Type), "name": r.Name, "names": names, "aliases": aliases,
		"country": r.Country, "folded": folded, "search": strings.Join(folded, "\n"),
	}
}

// contentHash is graph.ContentHash, the same as graph/sqlite's.
func contentHash(x *graph.Extraction) (string, error) {
	return graph.ContentHash(x), nil
}

type prepared struct {
	x    *graph.Extraction
	hash string
}

// batchResult is what one transaction of a Write did.
type batchResult struct {
	written, unchanged, events int
	counted                    map[string]bool // entity keys merged or created
}

// Write validates each extraction and writes the valid ones, WriteBatchSize
// articles per transaction. An article whose content hash is stored already
// is Unchanged; otherwise what it said before (its events, their links and
// its mentions) is deleted and it is written again. See the package
// comment of graph/sqlite for the merge rules, which this store shares.
//
// When a transaction fails, the batches before it stay written: the result
// counts them and the error is returned.
func (s *Store) Write(ctx context.Context, items []graph.Extraction) (graph.WriteResult, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var res graph.WriteResult
	var valid []prepared
	for i := range items {
		x := &items[i]
		if err := x.Validate(); err != nil {
			name := x.Article.ID
			if name == "" {
				name = x.Article.Source
			}
			res.Failed = append(res.Failed, graph.ItemFailed{Article: name, Reason: graph.ErrorMessage(err)})
			continue
		}
		h, err := contentHash(x)
		if err != nil {
			return res, graph.Wrap(graph.EINTERNAL, err, "neo4j: hash article %s", x.Article.ID)
		}
		valid = append(valid, prepared{x: x, hash: h})
	}
	seen := map[string]bool{}
	for start := 0; start < len(valid); start += s.batch {
		chunk := valid[start:min(start+s.batch, len(valid))]
		br, err := write(ctx, s, func(tx nj.ManagedTransaction) (*batchResult, error) {
			return writeBatch(ctx, tx, chunk)
		})
		if err != nil {
			return res, s.fail(err, "write %d articles from %s", len(chunk), chunk[0].x.Article.ID)
		}
		res.Written += br.written
		res.Unchanged += br.unchanged
		res.Events += br.events
		for k := range br.counted {
			if !seen[k] {
				seen[k] = true
				res.Entities++
			}
		}
	}
	return res, nil
}

// batch is the state of one write transaction.
type batch struct {
	ctx   context.Context
	tx    nj.ManagedTransaction
	ents  map[string]*entityRow // entity rows as they stand in this transaction; nil: absent
	res   *batchResult
	dirty map[string]bool // rows to write
	isNew map[string]bool // keys created in this transaction
	types map[string]graph.EntityType
	rows  segmentRows
	// changes holds, per event id, the reports this transaction added
	// and deleted, applied to the events before it commits.
	changes map[string]*change
}

// segmentRows are the UNWIND parameters of one segment.
type segmentRows struct {
	articles, mentions, reports []map[string]any
}

// writeBatch writes the changed articles of chunk in tx. An article that
// comes twice in the chunk starts a new segment, so that its second
// version replaces its first.
func writeBatch(ctx context.Context, tx nj.ManagedTransaction, chunk []prepared) (*batchResult, error) {
	b := &batch{ctx: ctx, tx: tx, ents: map[string]*entityRow{}, res: &batchResult{counted: map[string]bool{}},
		changes: map[string]*change{}}
	var ids []string
	for _, p := range chunk {
		ids = append(ids, p.x.Article.ID)
	}
	recs, err := run(ctx, tx, `UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id, a.hash`, map[string]any{"ids": walk.SortedUnique(ids)})
	if err != nil {
		return nil, err
	}
	stored := map[string]string{}
	for _, r := range recs {
		stored[str(r.Values[0])] = str(r.Values[1])
	}
	var seg []prepared
	var del []string
	inSeg := map[string]bool{}
	for _, p := range chunk {
		id := p.x.Article.ID
		old, exists := stored[id]
		if exists && old == p.hash {
			b.res.unchanged++
			continue
		}
		if inSeg[id] {
			if err := b.flush(seg, del); err != nil {
				return nil, err
			}
			seg, del, inSeg = nil, nil, map[string]bool{}
		}
		seg = append(seg, p)
		inSeg[id] = true
		if exists {
			del = append(del, id)
		}
		stored[id] = p.hash
	}
	if err := b.flush(seg, del); err != nil {
		return nil, err
	}
	if err := b.consolidate(); err != nil {
		return nil, err
	}
	return b.res, nil
}

// load reads (and locks) the entity rows of keys not loaded yet. Every key
// is MERGEd, so that a concurrent writer of the same key waits; a node made
// here is marked new until it is written.
func (b *batch) load(keys []string) error {
	var miss []string
	for _, k := range walk.SortedUnique(keys) {
		if _, ok := b.ents[k]; !ok {
			miss = append(miss, k)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	recs, err := run(b.ctx, b.tx, `UNWIND $keys AS k
		MERGE (e:Entity {key: k}) ON CREATE SET e.new = true
		SET e.locked = true REMOVE e.locked
		RETURN k, e.new, e.type, e.name, e.names, e.aliases, e.country`, map[string]any{"keys": miss})
	if err != nil {
		return err
	}
	for _, r := range recs {
		v := r.Values
		k := str(v[0])
		if v[1] == true {
			b.ents[k] = nil
			b.isNew[k] = true
			continue
		}
		row := &entityRow{Key: k, Type: graph.EntityType(str(v[2])), Name: str(v[3]), Country: str(v[6])}
		if names := str(v[4]); names != "" && names != "{}" {
			if err := json.Unmarshal([]byte(names), &row.Names); err != nil {
				return fmt.Errorf("entity %s: names %q: %w", k, names, err)
			}
		}
		if a := strs(v[5]); len(a) > 0 {
			row.Aliases = a
		}
		b.ents[k] = row
		b.types[k] = row.Type
	}
	return nil
}

// mergeEntity merges e into its row.
func (b *batch) mergeEntity(e graph.Entity) {
	b.res.counted[e.Key] = true
	old := b.ents[e.Key]
	var r *entityRow
	if old == nil {
		r = &entityRow{Key: e.Key, Type: e.Type}
	} else {
		r = old.clone()
	}
	r.merge(e)
	if old != nil && sameRow(old, r) {
		return
	}
	b.ents[e.Key] = r
	b.dirty[e.Key] = true
}

// ensure creates the entity key with the given type and name unless it
// exists.
func (b *batch) ensure(key string, t graph.EntityType, name string) {
	if b.ents[key] != nil {
		return
	}
	b.res.counted[key] = true
	b.ents[key] = &entityRow{Key: key, Type: t, Name: name}
	b.dirty[key] = true
}

// eventName is the display name of an event node: its subject's name (or
// its type), with the edition or the date.
func eventName(typ, subjectName string, edition int, date string) string {
	label := strings.ReplaceAll(strings.ToLower(typ), "_", " ")
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	if subjectName != "" {
		label = subjectName
	}
	switch {
	case edition > 0:
		label += fmt.Sprintf(" %d", edition)
	case date != "":
		label += " (" + graph.DateName(date) + ")"
	}
	return label
}

// flush writes one segment: articles with distinct ids, del those of them
// stored already.
func (b *batch) flush(seg []prepared, del []string) error {
	if len(seg) == 0 {
		return nil
	}
	ctx, tx := b.ctx, b.tx
	if len(del) > 0 {
		// The old reports are taken back from their events at the end.
		recs, err := run(ctx, tx, `UNWIND $ids AS id
			MATCH (a:Article {id: id})<-[r:REPORTED_IN]-(ev:Event)
			RETURN ev.id, ev.key, `+reportFields, map[string]any{"ids": del})
		if err != nil {
			return err
		}
		// One group per article and event.
		byArticle := map[string]map[string][]graph.Report{}
		keys := map[string]string{}
		for _, rec := range recs {
			r, err := reportOf(list(rec.Values[2]))
			if err != nil {
				return err
			}
			id := str(rec.Values[0])
			keys[id] = str(rec.Values[1])
			if byArticle[r.ArticleID] == nil {
				byArticle[r.ArticleID] = map[string][]graph.Report{}
			}
			byArticle[r.ArticleID][id] = append(byArticle[r.ArticleID][id], r)
		}
		for _, reports := range byArticle {
			b.group(reports, keys, true)
		}
		if err := exec(ctx, tx, `UNWIND $ids AS id MATCH (a:Article {id: id}) DETACH DELETE a`,
			map[string]any{"ids": del}); err != nil {
			return err
		}
	}
	b.dirty, b.isNew, b.types = map[string]bool{}, map[string]bool{}, map[string]graph.EntityType{}
	b.rows = segmentRows{}
	// Every key the segment may touch: its entities, their countries and
	// the dates of its events.
	var keys []string
	for _, p := range seg {
		for _, e := range p.x.Entities {
			keys = append(keys, e.Key)
			if (e.Type == graph.Organization || e.Type == graph.Place) && e.Country != "" {
				keys = append(keys, e.Country)
			}
		}
		for _, ev := range p.x.Events {
			if ev.Date != "" {
				keys = append(keys, ev.Date)
			}
		}
	}
	// Rows loaded in an earlier segment stay valid: this transaction wrote them.
	for k, r := range b.ents {
		if r != nil {
			b.types[k] = r.Type
		}
	}
	if err := b.load(keys); err != nil {
		return err
	}
	for _, p := range seg {
		b.item(p)
	}
	if err := b.writeRows(); err != nil {
		return err
	}
	// Nodes MERGEd by load that nothing wrote (a country listed with the
	// organization after all) go again.
	var unused []string
	for k := range b.isNew {
		if b.ents[k] == nil {
			unused = append(unused, k)
			delete(b.ents, k)
		}
	}
	if len(unused) > 0 {
		return exec(ctx, tx, `UNWIND $keys AS k MATCH (e:Entity {key: k}) WHERE e.new DETACH DELETE e`,
			map[string]any{"keys": unused})
	}
	return nil
}

// item adds the rows of one extraction, as graph/sqlite's writer does.
func (b *batch) item(p prepared) {
	x := p.x
	a := x.Article
	b.rows.articles = append(b.rows.articles, map[string]any{
		"id": a.ID, "url": a.URL, "title": a.Title, "language": a.Language, "published": a.Published,
		"source": a.Source, "text": a.Text, "hash": p.hash, "name": articleName(a),
	})

	// Entities, merged by key within the extraction first.
	byKey, order := x.MergedEntities()
	for _, k := range order {
		e := byKey[k]
		b.mergeEntity(e)
		ms := e.Mentions
		if ms == nil {
			ms = []graph.Mention{}
		}
		mj, _ := json.Marshal(ms)
		var folded []string
		for _, m := range e.Mentions {
			if f := graph.Fold(m.Text); f != "" && !slices.Contains(folded, f) {
				folded = append(folded, f)
			}
		}
		b.rows.mentions = append(b.rows.mentions, map[string]any{
			"article": a.ID, "entity": k, "count": len(e.Mentions), "mentions": string(mj), "folded": strings.Join(folded, "\n"),
		})
	}
	for _, k := range order {
		e := byKey[k]
		if (e.Type == graph.Organization || e.Type == graph.Place) && e.Country != "" && e.Country != e.Key {
			if _, listed := byKey[e.Country]; !listed {
				b.ensure(e.Country, graph.Country, e.Country)
			}
		}
	}

	// Reports: one REPORTED_IN per event of the extraction, from the Event
	// of its consolidation key.
	var ids []string
	reports, keys := map[string][]graph.Report{}, map[string]string{}
	defer b.group(reports, keys, false)
	for i, e := range x.Events {
		if e.Date != "" {
			b.ensure(e.Date, graph.Date, graph.DateName(e.Date))
		}
		key := graph.EventKey(e, byKey)
		id := graph.ConsolidatedID(key)
		links := graph.ActorLinks(e, byKey)
		reports[id] = append(reports[id], graph.Report{ArticleID: a.ID, ArticleURL: a.URL, Event: e, Links: links})
		keys[id] = key
		rid := graph.EventID(a.ID, e)
		ids = append(ids, rid)
		ps := e.Participants
		if ps == nil {
			ps = []graph.Participant{}
		}
		pj, _ := json.Marshal(ps)
		b.rows.reports = append(b.rows.reports, map[string]any{
			"event": id, "key": key, "type": string(e.Type), "article": a.ID,
			"props": map[string]any{
				"report": rid, "ord": i, "key": key, "sentence": e.Evidence.Text, "start": e.Evidence.Start, "end": e.Evidence.End,
				"type": string(e.Type), "subject": e.Subject, "edition": e.Edition, "place": e.Place, "date": e.Date,
				"confidence": e.Confidence, "participants": string(pj), "links": graph.EncodeLinks(links),
			},
		})
	}
	b.res.events += len(walk.SortedUnique(ids))
	b.res.written++
}

func articleName(a graph.Article) string {
	switch {
	case a.Title != "":
		return a.Title
	case a.URL != "":
		return a.URL
	}
	return a.ID
}

// entityLabels removes every entity type label; a retyped node gets its
// new one after.
var entityLabels = func() string {
	var l []string
	for _, t := range graph.EntityTypes {
		l = append(l, string(t))
	}
	return strings.Join(l, ":")
}()

// writeRows writes the dirty entities and the rows of the segment.
func (b *batch) writeRows() error {
	ctx, tx := b.ctx, b.tx
	byType := map[graph.EntityType][]map[string]any{}
	var retyped, structural, fresh []string
	for _, k := range sortedKeys(b.dirty) {
		r := b.ents[k]
		if !r.Type.Valid() {
			return fmt.Errorf("entity %s has type %q", k, r.Type)
		}
		byType[r.Type] = append(byType[r.Type], r.props())
		if t, ok := b.types[k]; ok && t != r.Type {
			retyped = append(retyped, k)
		}
		if (r.Type == graph.Organization || r.Type == graph.Place) && r.Country != "" {
			structural = append(structural, k)
		}
		if b.isNew[k] {
			fresh = append(fresh, k)
		}
		b.types[k] = r.Type
	}
	if len(retyped) > 0 {
		if err := exec(ctx, tx, `UNWIND $keys AS k MATCH (e:Entity {key: k})
			REMOVE e:`+entityLabels+`
			WITH e MATCH (e)-[old:PART_OF|LOCATED_IN]->() DELETE old`, map[string]any{"keys": retyped}); err != nil {
			return err
		}
	}
	for _, t := range graph.EntityTypes {
		rows := byType[t]
		if len(rows) == 0 {
			continue
		}
		// t is one of graph.EntityTypes: a fixed label.
		if err := exec(ctx, tx, `UNWIND $rows AS r MATCH (e:Entity {key: r.key})
			SET e:`+string(t)+`, e += r REMOVE e.new`, map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
	if len(structural) > 0 {
		for _, q := range []string{
			`UNWIND $keys AS k MATCH (e:Organization {key: k}) MATCH (c:Entity {key: e.country}) MERGE (e)-[:PART_OF]->(c)`,
			`UNWIND $keys AS k MATCH (e:Place {key: k}) MATCH (c:Entity {key: e.country}) MERGE (e)-[:LOCATED_IN]->(c)`,
		} {
			if err := exec(ctx, tx, q, map[string]any{"keys": structural}); err != nil {
				return err
			}
		}
	}
	if len(fresh) > 0 {
		// Organizations and places stored before the country they belong to.
		for _, q := range []string{
			`UNWIND $keys AS k MATCH (c:Entity {key: k}) MATCH (e:Entity {country: k}) WHERE e:Organization MERGE (e)-[:PART_OF]->(c)`,
			`UNWIND $keys AS k MATCH (c:Entity {key: k}) MATCH (e:Entity {country: k}) WHERE e:Place MERGE (e)-[:LOCATED_IN]->(c)`,
		} {
			if err := exec(ctx, tx, q, map[string]any{"keys": fresh}); err != nil {
				return err
			}
		}
	}
	steps := []struct {
		q    string
		rows []map[string]any
	}{
		{`UNWIND $rows AS r CREATE (a:Article) SET a = r`, b.rows.articles},
		{`UNWIND $rows AS r MATCH (a:Article {id: r.article}) MATCH (e:Entity {key: r.entity})
			CREATE (a)-[:MENTIONS {count: r.count, mentions: r.mentions, folded: r.folded}]->(e)`, b.rows.mentions},
		// An Event made here gets its other properties and links from
		// consolidate, before the transaction commits.
		{`UNWIND $rows AS r MERGE (ev:Event {id: r.event}) ON CREATE SET ev.key = r.key, ev.type = r.type, ev.tally = ''
			WITH ev, r MATCH (a:Article {id: r.article}) CREATE (ev)-[rep:REPORTED_IN]->(a) SET rep = r.props`, b.rows.reports},
	}
	for _, st := range steps {
		if len(st.rows) == 0 {
			continue
		}
		if err := exec(ctx, tx, st.q, map[string]any{"rows": st.rows}); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
