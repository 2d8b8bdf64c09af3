package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// A write transaction runs a fixed set of queries, most of them once per
// segment over UNWIND rows: read the stored hashes of its articles, read
// the entity rows they touch (no lock), write the rows that change (each
// locked and checked first), lock or make their events, create the
// articles with their MENTIONS and REPORTED_IN links, then write the
// events (see consolidate). Nodes found once are addressed by elementId
// after, not looked up by key again.

// cachedPlan prefixes the queries of a write: each keeps the plan it was
// first given instead of being planned again whenever an import has grown
// the graph enough to change its statistics (their plans do not depend on
// them: every node is found by a unique key or by its elementId), and has
// its expressions interpreted, not compiled to bytecode after a few runs
// (planned once more, and left for the JIT to compile, on a server that is
// still warming up).
const cachedPlan = "CYPHER replan=skip expressionEngine=interpreted "

// entityCols are the columns rowOf reads, for the entity e: what a write
// compares to tell whether a row changed since it was read.
const entityCols = `[coalesce(e.type, ''), coalesce(e.name, ''), coalesce(e.names, ''), coalesce(e.aliases, []), coalesce(e.country, '')]`

// The queries of a write.
var (
	qStoredArticles = cachedPlan + `UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id, a.hash`

	// The reports of the articles about to be written again, and the
	// articles themselves.
	qOldReports = cachedPlan + `UNWIND $ids AS id
		MATCH (a:Article {id: id})<-[r:REPORTED_IN]-(ev:Event)
		RETURN ev.id, ev.key, ` + reportFields
	qDeleteArticles = cachedPlan + `UNWIND $ids AS id MATCH (a:Article {id: id}) DETACH DELETE a`

	qLoadEntities = cachedPlan + `UNWIND $keys AS k MATCH (e:Entity {key: k}) RETURN k, elementId(e), ` + entityCols

	// One row per entity to write: {key, old (its entityCols as read; null:
	// absent), props, retyped}. Each node is MERGEd and locked; one made
	// now, or still as read, gets the row, its type label (and loses the
	// old label and structural links when retyped); the others are
	// returned as they stand. A node made now was absent when read: it is
	// written whatever was expected.
	qWriteEntities = cachedPlan + `UNWIND $rows AS r
		MERGE (e:Entity {key: r.key}) ON CREATE SET e.new = true
		WITH e, r, e.new IS NOT NULL AS created
		SET e.locked = true
		REMOVE e.locked, e.new
		WITH e, r, created, ` + entityCols + ` AS now
		WITH e, r, created, now, coalesce(created OR now = r.old, false) AS same
		CALL {
			WITH e, r, same
			WITH e, r, same WHERE same AND r.retyped
			REMOVE e:` + entityLabels + `
			WITH e MATCH (e)-[old:PART_OF|LOCATED_IN]->() DELETE old
		}
		FOREACH (_ IN CASE WHEN same THEN [1] ELSE [] END | SET e += r.props)
		` + setLabel + `
		WITH e, r, created, now, same WHERE created OR NOT same
		RETURN r.key, created, now, elementId(e)`

	// Structural links: organizations and places to their countries, and
	// countries made now to the organizations and places stored before
	// them.
	qOrgCountries   = cachedPlan + `UNWIND $keys AS k MATCH (e:Organization {key: k}) MATCH (c:Entity {key: e.country}) MERGE (e)-[:PART_OF]->(c)`
	qPlaceCountries = cachedPlan + `UNWIND $keys AS k MATCH (e:Place {key: k}) MATCH (c:Entity {key: e.country}) MERGE (e)-[:LOCATED_IN]->(c)`
	qCountryOrgs    = cachedPlan + `UNWIND $keys AS k MATCH (c:Entity {key: k}) MATCH (e:Entity {country: k}) WHERE e:Organization MERGE (e)-[:PART_OF]->(c)`
	qCountryPlaces  = cachedPlan + `UNWIND $keys AS k MATCH (c:Entity {key: k}) MATCH (e:Entity {country: k}) WHERE e:Place MERGE (e)-[:LOCATED_IN]->(c)`

	// One row per event: [id, key, type]. An Event made here gets its other
	// properties and links from consolidate, before the transaction
	// commits; one that exists is locked before its tally is read.
	qLockEvents = cachedPlan + `UNWIND $rows AS r
		MERGE (ev:Event {id: r[0]}) ON CREATE SET ev.key = r[1], ev.type = r[2], ev.tally = ''
		SET ev.locked = true REMOVE ev.locked
		RETURN r[0], ev.tally, elementId(ev)`

	// One row per article: [properties, [[entity elementId, count,
	// mentions, folded]], [[event elementId, REPORTED_IN properties]]].
	qWriteArticles = cachedPlan + `UNWIND $rows AS r
		CREATE (a:Article) SET a += r[0]
		WITH a, r
		CALL {
			WITH a, r
			UNWIND r[1] AS m
			MATCH (e) WHERE elementId(e) = m[0]
			CREATE (a)-[:MENTIONS {count: m[1], mentions: m[2], folded: m[3]}]->(e)
		}
		CALL {
			WITH a, r
			UNWIND r[2] AS p
			MATCH (ev) WHERE elementId(ev) = p[0]
			CREATE (ev)-[rep:REPORTED_IN]->(a) SET rep += p[1]
		}`
)

// entityLabels removes every entity type label; a retyped node gets its
// new one after.
var entityLabels = func() string {
	var l []string
	for _, t := range graph.EntityTypes {
		l = append(l, string(t))
	}
	return strings.Join(l, ":")
}()

// setLabel gives the entity e of the row r, when it is written (same),
// the label of its type: one FOREACH per type, all fixed labels.
var setLabel = func() string {
	var q []string
	for _, t := range graph.EntityTypes {
		q = append(q, fmt.Sprintf("FOREACH (_ IN CASE WHEN same AND r.props.type = '%s' THEN [1] ELSE [] END | SET e:%s)", t, t))
	}
	return strings.Join(q, "\n\t\t")
}()

// entityRow is an entity node's properties.
type entityRow struct {
	Key     string
	Type    graph.EntityType
	Name    string
	Names   map[string]string
	Aliases []string
	Country string
	eid     string // the node's elementId, once it exists

	// stored is the row's entityCols as the database holds them, when the
	// row was read or written by this transaction (nil for a row merged
	// but not written yet).
	stored []any
	names  map[string]bool // allNames as a set, once computed
	folded []string        // foldedNames, once computed
}

// rowOf reads the row of key from entityCols, of the node eid.
func rowOf(key, eid string, v []any) (*entityRow, error) {
	row := &entityRow{Key: key, Type: graph.EntityType(str(v[0])), Name: str(v[1]), Country: str(v[4]), eid: eid, stored: v}
	if names := str(v[2]); names != "" && names != "{}" {
		if err := json.Unmarshal([]byte(names), &row.Names); err != nil {
			return nil, fmt.Errorf("entity %s: names %q: %w", key, names, err)
		}
	}
	if a := strs(v[3]); len(a) > 0 {
		row.Aliases = a
	}
	return row, nil
}

func (r *entityRow) allNames() []string {
	return graph.Entity{Name: r.Name, Names: r.Names, Aliases: r.Aliases}.AllNames()
}

// foldedNames returns the distinct names of r folded with graph.Fold, in
// the order of allNames.
func (r *entityRow) foldedNames() []string {
	if r.folded == nil {
		r.folded = []string{}
		for _, n := range r.allNames() {
			if f := graph.Fold(n); f != "" && !slices.Contains(r.folded, f) {
				r.folded = append(r.folded, f)
			}
		}
	}
	return r.folded
}

// knows reports whether merging e into r (graph.MergeEntity) leaves it as
// it is: r is no stub, knows every name of e already, has a name in every
// language e has one in, and has a country if e has one.
func (r *entityRow) knows(e graph.Entity) bool {
	if r.Name == "" || graph.IsStub(graph.Entity{Key: r.Key, Name: r.Name, Names: r.Names, Aliases: r.Aliases}) ||
		(r.Country == "" && e.Country != "") {
		return false
	}
	if r.names == nil {
		r.names = map[string]bool{}
		for _, n := range r.allNames() {
			r.names[n] = true
		}
	}
	if e.Name != "" && !r.names[e.Name] {
		return false
	}
	for lang, n := range e.Names {
		if n != "" && (r.Names[lang] == "" || !r.names[n]) {
			return false
		}
	}
	for _, a := range e.Aliases {
		if a != "" && !r.names[a] {
			return false
		}
	}
	return true
}

// merge adds what e says to r, by graph.MergeEntity.
func (r *entityRow) merge(e graph.Entity) {
	g := graph.Entity{Key: r.Key, Type: r.Type, Name: r.Name, Names: r.Names, Aliases: r.Aliases, Country: r.Country}
	graph.MergeEntity(&g, e)
	r.Type, r.Name, r.Names, r.Aliases, r.Country = g.Type, g.Name, g.Names, g.Aliases, g.Country
}

// clone returns a copy of r to merge into.
func (r *entityRow) clone() *entityRow {
	c := *r
	c.Aliases = slices.Clone(r.Aliases)
	c.Names = maps.Clone(r.Names)
	c.stored, c.names, c.folded = nil, nil, nil
	return &c
}

// sameRow reports whether a and b (either nil: absent) have the same
// properties.
func sameRow(a, b *entityRow) bool {
	if a == nil || b == nil {
		return a == b
	}
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

// props returns the node properties of r, and sets r.stored to the
// entityCols they make.
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
	folded := r.foldedNames()
	r.stored = []any{string(r.Type), r.Name, names, aliases, r.Country}
	return map[string]any{
		"key": r.Key, "type": string(r.Type), "name": r.Name, "names": names, "aliases": aliases,
		"country": r.Country, "folded": folded, "search": strings.Join(folded, "\n"),
	}
}

// contentHash is graph.ContentHash, the same as graph/sqlite's.
func contentHash(x *graph.Extraction) (string, error) {
	return graph.ContentHash(x), nil
}

// prepared is a valid extraction with what writing it takes that does not
// depend on the stored graph, worked out once (a retried transaction
// reuses it).
type prepared struct {
	x    *graph.Extraction
	hash string

	byKey     map[string]graph.Entity // x.MergedEntities
	mentions  []mentionRow            // one per entity, in order
	countries []string                // stub countries to ensure, in order
	dates     []string                // event dates, in order
	article   map[string]any
	reports   [][]any                   // [event id, REPORTED_IN properties] per event
	events    [][3]string               // [id, key, type] per event
	groups    map[string][]graph.Report // reports by event id
	keys      map[string]string         // consolidation key by event id
	reportIDs int                       // distinct graph.EventIDs
}

// mentionRow is the MENTIONS link of an article to one of its entities.
type mentionRow struct {
	key      string
	count    int
	mentions string   // JSON
	texts    []string // distinct folded mention texts
}

// prepare works out p's rows.
func (p *prepared) prepare() {
	x := p.x
	a := x.Article
	p.article = map[string]any{
		"id": a.ID, "url": a.URL, "title": a.Title, "language": a.Language, "published": a.Published,
		"source": a.Source, "text": a.Text, "hash": p.hash, "name": articleName(a),
	}
	var order []string
	p.byKey, order = x.MergedEntities()
	p.mentions = make([]mentionRow, 0, len(order))
	for _, k := range order {
		e := p.byKey[k]
		ms := e.Mentions
		if ms == nil {
			ms = []graph.Mention{}
		}
		mj, _ := json.Marshal(ms)
		var texts []string
		for _, m := range e.Mentions {
			if f := graph.Fold(m.Text); f != "" && !slices.Contains(texts, f) {
				texts = append(texts, f)
			}
		}
		p.mentions = append(p.mentions, mentionRow{key: k, count: len(e.Mentions), mentions: string(mj), texts: texts})
	}
	for _, k := range order {
		e := p.byKey[k]
		if (e.Type == graph.Organization || e.Type == graph.Place) && e.Country != "" && e.Country != e.Key {
			if _, listed := p.byKey[e.Country]; !listed {
				p.countries = append(p.countries, e.Country)
			}
		}
	}
	// Reports: one REPORTED_IN per event of the extraction, from the Event
	// of its consolidation key.
	var ids []string
	p.groups, p.keys = map[string][]graph.Report{}, map[string]string{}
	for i, e := range x.Events {
		if e.Date != "" {
			p.dates = append(p.dates, e.Date)
		}
		key := graph.EventKey(e, p.byKey)
		id := graph.ConsolidatedID(key)
		links := graph.ActorLinks(e, p.byKey)
		p.groups[id] = append(p.groups[id], graph.Report{ArticleID: a.ID, ArticleURL: a.URL, Event: e, Links: links})
		p.keys[id] = key
		p.events = append(p.events, [3]string{id, key, string(e.Type)})
		rid := graph.EventID(a.ID, e)
		ids = append(ids, rid)
		ps := e.Participants
		if ps == nil {
			ps = []graph.Participant{}
		}
		pj, _ := json.Marshal(ps)
		p.reports = append(p.reports, []any{id, map[string]any{
			"report": rid, "ord": i, "key": key, "sentence": e.Evidence.Text, "start": e.Evidence.Start, "end": e.Evidence.End,
			"type": string(e.Type), "subject": e.Subject, "edition": e.Edition, "place": e.Place, "date": e.Date,
			"confidence": e.Confidence, "participants": string(pj), "links": graph.EncodeLinks(links),
		}})
	}
	p.reportIDs = len(walk.SortedUnique(ids))
}

// entityKeys appends every key p may touch to keys: its entities, their
// countries and the dates of its events.
func (p *prepared) entityKeys(keys []string) []string {
	for _, m := range p.mentions {
		keys = append(keys, m.key)
	}
	for _, e := range p.x.Entities {
		if (e.Type == graph.Organization || e.Type == graph.Place) && e.Country != "" {
			keys = append(keys, e.Country)
		}
	}
	return append(keys, p.dates...)
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

// batchResult is what one transaction of a Write did.
type batchResult struct {
	written, unchanged, events int
	counted                    map[string]bool         // entity keys merged or created
	tallies                    map[string]*cachedTally // by event id, the tallies written (nil: event deleted)
}

// Write validates each extraction and writes the valid ones, WriteBatchSize
// articles per transaction. An article whose content hash is stored already
// is Unchanged; otherwise what it said before (its events, their links and
// its mentions) is deleted and it is written again. See the package
// comment of graph/sqlite for the merge rules, which this store shares.
//
// The rows of a transaction are worked out while the database runs the
// one before.
//
// When a transaction fails, the batches before it stay written: the result
// counts them and the error is returned.
func (s *Store) Write(ctx context.Context, items []graph.Extraction) (graph.WriteResult, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var res graph.WriteResult
	var valid []*prepared
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
		valid = append(valid, &prepared{x: x, hash: h})
	}
	if len(valid) == 0 {
		return res, nil
	}
	var chunks [][]*prepared
	for start := 0; start < len(valid); start += s.batch {
		chunks = append(chunks, valid[start:min(start+s.batch, len(valid))])
	}
	// ready[i] is closed once the rows of chunk i are prepared; the
	// preparing goroutine ends before Write returns.
	ready := make([]chan struct{}, len(chunks))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	go func() {
		for i, chunk := range chunks {
			for _, p := range chunk {
				p.prepare()
			}
			close(ready[i])
		}
	}()
	defer func() {
		for _, r := range ready {
			<-r
		}
	}()
	seen := map[string]bool{}
	for i, chunk := range chunks {
		<-ready[i]
		br, err := write(ctx, s, func(tx nj.ManagedTransaction) (*batchResult, error) {
			return writeBatch(ctx, tx, chunk, s.tallies)
		})
		if err != nil {
			return res, s.fail(err, "write %d articles from %s", len(chunk), chunk[0].x.Article.ID)
		}
		res.Written += br.written
		res.Unchanged += br.unchanged
		res.Events += br.events
		for id, t := range br.tallies {
			if t == nil {
				delete(s.tallies, id)
				continue
			}
			if len(s.tallies) >= maxCachedTallies {
				for k := range s.tallies { // any one
					delete(s.tallies, k)
					break
				}
			}
			s.tallies[id] = t
		}
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
	ctx context.Context
	tx  nj.ManagedTransaction
	res *batchResult
	// stored holds the entity rows as the database holds them now, read or
	// written by this transaction; nil: absent. A row is read without a
	// lock, and locked when it is written.
	stored map[string]*entityRow
	// ents, dirty and counted are the rows of a segment as its articles
	// merge them, the keys they change and the keys they merge or create.
	ents    map[string]*entityRow
	dirty   map[string]bool
	counted map[string]bool
	// changes holds, per event id, the reports this transaction added
	// and deleted, applied to the events before it commits; tallies the
	// `tally` of the events it locked, as read (nil: none, an Event
	// written before tallies existed), and events their elementIds.
	changes graph.TallyChanges
	tallies map[string]any
	events  map[string]string
	cache   map[string]*cachedTally // the Store's (see readTally)
}

func (b *batch) run(q string, params map[string]any) ([]*nj.Record, error) {
	return run(b.ctx, b.tx, q, params)
}

func (b *batch) exec(q string, params map[string]any) error {
	return exec(b.ctx, b.tx, q, params)
}

// writeBatch writes the changed articles of chunk in tx. An article that
// comes twice in the chunk starts a new segment, so that its second
// version replaces its first.
func writeBatch(ctx context.Context, tx nj.ManagedTransaction, chunk []*prepared, cache map[string]*cachedTally) (*batchResult, error) {
	b := &batch{ctx: ctx, tx: tx, res: &batchResult{counted: map[string]bool{}, tallies: map[string]*cachedTally{}},
		stored: map[string]*entityRow{}, changes: graph.TallyChanges{}, tallies: map[string]any{}, events: map[string]string{},
		cache: cache}
	var ids []string
	for _, p := range chunk {
		ids = append(ids, p.x.Article.ID)
	}
	recs, err := b.run(qStoredArticles, map[string]any{"ids": walk.SortedUnique(ids)})
	if err != nil {
		return nil, err
	}
	stored := map[string]string{}
	for _, r := range recs {
		stored[str(r.Values[0])] = str(r.Values[1])
	}
	var seg []*prepared
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

// load reads the entity rows of keys not read yet, without locking them.
func (b *batch) load(keys []string) error {
	var miss []string
	for _, k := range walk.SortedUnique(keys) {
		if _, ok := b.stored[k]; !ok {
			miss = append(miss, k)
			b.stored[k] = nil
		}
	}
	if len(miss) == 0 {
		return nil
	}
	recs, err := b.run(qLoadEntities, map[string]any{"keys": miss})
	if err != nil {
		return err
	}
	for _, r := range recs {
		k := str(r.Values[0])
		row, err := rowOf(k, str(r.Values[1]), list(r.Values[2]))
		if err != nil {
			return err
		}
		b.stored[k] = row
	}
	return nil
}

// mergeEntity merges e into its row.
func (b *batch) mergeEntity(e graph.Entity) {
	b.counted[e.Key] = true
	old := b.ents[e.Key]
	if old != nil && old.knows(e) {
		return
	}
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
	b.counted[key] = true
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

// maxPasses bounds the merges of one segment: each pass after the first
// follows rows that other writers changed since they were read, locked
// now, so that a second pass is rare and a third one rarer still.
const maxPasses = 10

// flush writes one segment: articles with distinct ids, del those of them
// stored already.
//
// The entity rows the segment touches are read without locks and its
// articles merged into them; only the rows that change are written, each
// locked first and checked to be still the row that was read. A row
// another writer changed in between is taken as it stands now (locked)
// and the articles are merged again, so that no name is lost. A row that
// does not change needs no lock: names only grow.
func (b *batch) flush(seg []*prepared, del []string) error {
	if len(seg) == 0 {
		return nil
	}
	if len(del) > 0 {
		// The old reports are taken back from their events at the end.
		recs, err := b.run(qOldReports, map[string]any{"ids": del})
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
			b.changes.Group(reports, keys, true)
		}
		if err := b.exec(qDeleteArticles, map[string]any{"ids": del}); err != nil {
			return err
		}
	}
	var keys []string
	for _, p := range seg {
		keys = p.entityKeys(keys)
	}
	keys = walk.SortedUnique(keys)
	if err := b.load(keys); err != nil {
		return err
	}
	// base is what the merges start from: the rows as read, and as they
	// stand under lock when they had changed.
	base := make(map[string]*entityRow, len(keys))
	for _, k := range keys {
		base[k] = b.stored[k]
	}
	articles := make([][]any, len(seg))
	var links linkRows
	for pass := 0; ; pass++ {
		if pass == maxPasses {
			return fmt.Errorf("entity rows kept changing under %d passes", maxPasses)
		}
		b.ents, b.dirty, b.counted = maps.Clone(base), map[string]bool{}, map[string]bool{}
		for i, p := range seg {
			articles[i] = b.item(p)
		}
		changed, err := b.writeEntities(&links)
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			break
		}
		for k, r := range changed {
			base[k] = r
		}
	}
	for k := range b.counted {
		b.res.counted[k] = true
	}
	if err := links.write(b); err != nil {
		return err
	}

	// Events: made when new, locked before their tallies are read.
	var events []any
	for _, p := range seg {
		b.res.events += p.reportIDs
		b.res.written++
		b.changes.Group(p.groups, p.keys, false)
		for _, ev := range p.events {
			if _, ok := b.tallies[ev[0]]; !ok {
				b.tallies[ev[0]] = nil
				events = append(events, []any{ev[0], ev[1], ev[2]})
			}
		}
	}
	if len(events) > 0 {
		sort.Slice(events, func(i, j int) bool { return events[i].([]any)[0].(string) < events[j].([]any)[0].(string) })
		recs, err := b.run(qLockEvents, map[string]any{"rows": events})
		if err != nil {
			return err
		}
		for _, r := range recs {
			b.tallies[str(r.Values[0])] = r.Values[1]
			b.events[str(r.Values[0])] = str(r.Values[2])
		}
	}
	// The entities and events are known by their elementIds by now.
	rows := make([]any, len(seg))
	for i, p := range seg {
		mentions := articles[i]
		for _, m := range mentions {
			m := m.([]any)
			m[0] = b.stored[m[0].(string)].eid
		}
		reports := make([]any, len(p.reports))
		for j, r := range p.reports {
			reports[j] = []any{b.events[r[0].(string)], r[1]}
		}
		rows[i] = []any{p.article, mentions, reports}
	}
	return b.exec(qWriteArticles, map[string]any{"rows": rows})
}

// item merges the entities of one extraction into the segment's rows, as
// graph/sqlite's writer does, and returns its MENTIONS rows: [entity key,
// count, mentions, folded].
func (b *batch) item(p *prepared) []any {
	mentions := make([]any, 0, len(p.mentions))
	for _, m := range p.mentions {
		b.mergeEntity(p.byKey[m.key])
		// A mention text is searchable while its article says it; one that
		// folds to a name of the entity already is, so only the other texts
		// are kept (absent when none is left).
		var folded any
		if len(m.texts) > 0 {
			known := b.ents[m.key].foldedNames()
			var texts []string
			for _, t := range m.texts {
				if !slices.Contains(known, t) {
					texts = append(texts, t)
				}
			}
			if len(texts) > 0 {
				folded = strings.Join(texts, "\n")
			}
		}
		mentions = append(mentions, []any{m.key, m.count, m.mentions, folded})
	}
	for _, c := range p.countries {
		b.ensure(c, graph.Country, c)
	}
	for _, d := range p.dates {
		b.ensure(d, graph.Date, graph.DateName(d))
	}
	return mentions
}

// writeEntities writes the rows of the segment that differ from the
// stored ones (see qWriteEntities), and returns the rows another writer
// changed since they were read, as they stand now, locked.
func (b *batch) writeEntities(links *linkRows) (map[string]*entityRow, error) {
	var rows []any
	written := map[string]*entityRow{}
	for _, k := range sortedKeys(b.dirty) {
		r, st := b.ents[k], b.stored[k]
		if sameRow(r, st) {
			continue
		}
		if !r.Type.Valid() {
			return nil, fmt.Errorf("entity %s has type %q", k, r.Type)
		}
		var old []any
		retyped := false
		if st != nil {
			old = st.stored
			retyped = st.Type != r.Type
		}
		rows = append(rows, map[string]any{"key": k, "old": old, "props": r.props(), "retyped": retyped})
		written[k] = r
	}
	if len(rows) == 0 {
		return nil, nil
	}
	recs, err := b.run(qWriteEntities, map[string]any{"rows": rows})
	if err != nil {
		return nil, err
	}
	changed := map[string]*entityRow{}
	created := map[string]bool{}
	for _, rec := range recs {
		k := str(rec.Values[0])
		if rec.Values[1] == true {
			created[k] = true
			written[k].eid = str(rec.Values[3])
			continue
		}
		row, err := rowOf(k, str(rec.Values[3]), list(rec.Values[2]))
		if err != nil {
			return nil, err
		}
		changed[k] = row
		delete(written, k)
		b.stored[k] = row
	}
	for k, r := range written {
		st := b.stored[k]
		b.stored[k] = r
		// Structural links: an organization's or a place's country, when
		// it is new, retyped or moved; and the organizations and places
		// stored before the country they name, when it is made (a date is
		// nobody's country).
		if (r.Type == graph.Organization || r.Type == graph.Place) && r.Country != "" &&
			(st == nil || st.Type != r.Type || st.Country != r.Country) {
			if r.Type == graph.Organization {
				links.orgs = append(links.orgs, k)
			} else {
				links.places = append(links.places, k)
			}
		}
		if created[k] && r.Type != graph.Date {
			links.fresh = append(links.fresh, k)
		}
	}
	return changed, nil
}

// linkRows are the structural links a segment writes, once its entity
// rows are.
type linkRows struct {
	orgs, places, fresh []string
}

func (l *linkRows) write(b *batch) error {
	steps := []struct {
		q    string
		keys []string
	}{
		{qOrgCountries, l.orgs},
		{qPlaceCountries, l.places},
		{qCountryOrgs, l.fresh},
		{qCountryPlaces, l.fresh},
	}
	for _, st := range steps {
		if len(st.keys) == 0 {
			continue
		}
		if err := b.exec(st.q, map[string]any{"keys": walk.SortedUnique(st.keys)}); err != nil {
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
