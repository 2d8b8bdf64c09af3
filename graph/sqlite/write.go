package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/defgraph/defgraph/graph"
)

// entityRow is an entities row.
type entityRow struct {
	Key     string
	Type    graph.EntityType
	Name    string
	Names   map[string]string
	Aliases []string
	Country string

	folded map[string]bool // folded names, filled by foldedNames
	// absorbed holds the entities (by entitySig) merged into this row
	// already: merging one again changes nothing (names only grow).
	absorbed map[string]bool
}

// entitySig identifies what merging e into a row depends on.
func entitySig(e graph.Entity) string {
	var b strings.Builder
	b.WriteString(string(e.Type))
	b.WriteByte(0)
	b.WriteString(e.Name)
	b.WriteByte(0)
	b.WriteString(e.Country)
	langs := make([]string, 0, len(e.Names))
	for l := range e.Names {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		b.WriteByte(0)
		b.WriteString(l)
		b.WriteByte('=')
		b.WriteString(e.Names[l])
	}
	b.WriteByte(1)
	for _, a := range e.Aliases {
		b.WriteByte(0)
		b.WriteString(a)
	}
	return b.String()
}

// foldedNames returns the set of the row's names folded with graph.Fold.
func (r *entityRow) foldedNames() map[string]bool {
	if r.folded == nil {
		r.folded = map[string]bool{}
		for _, n := range r.allNames() {
			r.folded[graph.Fold(n)] = true
		}
	}
	return r.folded
}

// allNames lists the row's names as graph.Entity.AllNames does.
func (r *entityRow) allNames() []string {
	return graph.Entity{Name: r.Name, Names: r.Names, Aliases: r.Aliases}.AllNames()
}

// merge adds what e says to r, by graph.MergeEntity.
func (r *entityRow) merge(e graph.Entity) {
	g := graph.Entity{Key: r.Key, Type: r.Type, Name: r.Name, Names: r.Names, Aliases: r.Aliases, Country: r.Country}
	graph.MergeEntity(&g, e)
	r.Type, r.Name, r.Names, r.Aliases, r.Country = g.Type, g.Name, g.Names, g.Aliases, g.Country
}

// writer holds the prepared statements and entity cache of one Write call.
type writer struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	ents  map[string]*entityRow // entities read or written in this call
	res   graph.WriteResult
	seen  map[string]bool // entity keys counted in res.Entities
	// changes holds, per event id, the reports this call added and
	// deleted, applied to the events before it commits.
	changes graph.TallyChanges
	// refs holds the changes to entity_names.refs, by entity and text,
	// written once per Write.
	refs map[[2]string]*nameRef
	// articles, mentions and reports hold rows of articles,
	// article_entities and reports not inserted yet: they go bulkRows at a
	// time, before anything reads them (the articles first).
	articles, mentions, reports bulk
	// stored holds the articles of this Write's ids as stored, read at
	// once before the first item and kept up to date by the items; next
	// is the key n the next new article gets.
	stored map[string]storedArticle
	next   int64
}

// storedArticle is an articles row as a write needs it.
type storedArticle struct {
	n    int64
	hash string
}

const (
	qStoredHashes = `SELECT a.id, a.n, a.hash FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))`
	qLastArticle  = `SELECT COALESCE(MAX(n), 0) FROM articles`
	qOldTexts     = `SELECT entity, texts FROM article_entities WHERE article = ? AND texts <> ''`
	qDelArticle   = `DELETE FROM articles WHERE n = ?`
	// Its children, deleted by hand (see write).
	qDelArticleEntities = `DELETE FROM article_entities WHERE article = ?`
	qDelArticleReports  = `DELETE FROM reports WHERE article = ?`
	qInsArticle         = `INSERT INTO articles(n, id, url, title, language, published, source, text, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qGetEntity          = `SELECT type, name, names, aliases, country FROM entities WHERE key = ?`
	qPutEntity          = `INSERT INTO entities(key, type, name, names, aliases, country) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET type = excluded.type, name = excluded.name, names = excluded.names, aliases = excluded.aliases, country = excluded.country`
	qInsArtEntity       = `INSERT INTO article_entities(article, entity, mentions, spans, texts) VALUES (?, ?, ?, ?, ?)`
	qPutOwnName         = `INSERT INTO entity_names(key, name, folded, own) VALUES (?, ?, ?, 1) ON CONFLICT(key, name) DO UPDATE SET own = 1`
	qAddRefs            = `INSERT INTO entity_names(key, name, folded, refs) VALUES (?, ?, ?, ?) ON CONFLICT(key, name) DO UPDATE SET refs = refs + excluded.refs`
	qDropName           = `DELETE FROM entity_names WHERE key = ? AND name = ? AND own = 0 AND refs <= 0`
)

// nameRef is the change a Write makes to the count of articles that
// mention an entity by a text.
type nameRef struct {
	folded string
	d      int
}

func (w *writer) exec(q string, args ...any) error {
	st, ok := w.stmts[q]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, q); err != nil {
			return err
		}
		w.stmts[q] = st
	}
	_, err := st.ExecContext(w.ctx, args...)
	return err
}

func (w *writer) queryRow(q string, args ...any) (*sql.Row, error) {
	st, ok := w.stmts[q]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, q); err != nil {
			return nil, err
		}
		w.stmts[q] = st
	}
	return st.QueryRowContext(w.ctx, args...), nil
}

// Write validates and stores each extraction, in one transaction. See the
// package comment for what it does beyond the graph.Store contract.
func (s *Store) Write(ctx context.Context, items []graph.Extraction) (graph.WriteResult, error) {
	return s.write(ctx, prepareAll(items))
}

// Prepare does, on the caller's goroutine, the part of writing x that
// needs nothing stored (graph.Preparer).
func (s *Store) Prepare(x *graph.Extraction) graph.Prepared {
	p := &prepared{x: x}
	p.prepare()
	return p
}

// WritePrepared writes extractions prepared by Prepare (graph.Preparer).
func (s *Store) WritePrepared(ctx context.Context, items []graph.Prepared) (graph.WriteResult, error) {
	prep := make([]prepared, len(items))
	for i, it := range items {
		p, ok := it.(*prepared)
		if !ok {
			return graph.WriteResult{}, graph.Errorf(graph.EINVALID, "sqlite: item %d was not prepared by this store", i)
		}
		prep[i] = *p
	}
	return s.write(ctx, prep)
}

// Extraction returns the extraction p was prepared from.
func (p *prepared) Extraction() *graph.Extraction { return p.x }

func (s *Store) write(ctx context.Context, prep []prepared) (graph.WriteResult, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// The writer checks no foreign key: it makes every row's parents
	// before the row and deletes every row's children with it (a check is
	// a B-tree lookup per key of every row inserted); TestForeignKeys holds
	// it to that. The connection gets its checks back before it goes back to
	// the pool.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return graph.WriteResult{}, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: begin write")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return graph.WriteResult{}, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: begin write")
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // never reused
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return graph.WriteResult{}, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: begin write")
	}
	var gen int64
	if err := tx.QueryRowContext(ctx, `UPDATE writes SET n = n + 1 RETURNING n`).Scan(&gen); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "begin write")
	}
	s.cache.begin(gen)
	w := &writer{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}, ents: s.cache.ents, seen: map[string]bool{},
		changes: graph.TallyChanges{}, refs: map[[2]string]*nameRef{},
		articles: bulk{insert: qInsArticle}, mentions: bulk{insert: qInsArtEntity}, reports: bulk{insert: qInsReport}}
	defer func() {
		for _, st := range w.stmts {
			st.Close()
		}
	}()
	if err := w.readStored(prep); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "read stored articles")
	}
	for i := range prep {
		if err := w.item(&prep[i]); err != nil {
			tx.Rollback()
			return graph.WriteResult{}, s.fail(err, "write article %s", prep[i].x.Article.ID)
		}
	}
	if err := w.flush(); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "write mentions and reports")
	}
	if err := w.writeRefs(); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "write names")
	}
	if err := recompute(ctx, tx, w.stmts, w.changes, s.cache.events); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "consolidate events")
	}
	if err := tx.Commit(); err != nil {
		return graph.WriteResult{}, s.fail(err, "commit write")
	}
	s.cache.gen = gen // the cache is what this Write left
	return w.res, nil
}

func (w *writer) item(p *prepared) error {
	x := p.x
	if p.invalid != nil {
		name := x.Article.ID
		if name == "" {
			name = x.Article.Source
		}
		w.res.Failed = append(w.res.Failed, graph.ItemFailed{Article: name, Reason: graph.ErrorMessage(p.invalid)})
		return nil
	}
	a := x.Article
	switch old, ok := w.stored[a.ID]; {
	case !ok:
	case old.hash == p.hash:
		w.res.Unchanged++
		return nil
	default:
		if err := w.flush(); err != nil {
			return err
		}
		if err := w.oldReports(old.n, a.ID); err != nil {
			return err
		}
		if err := w.oldTexts(old.n); err != nil {
			return err
		}
		for _, q := range []string{qDelArticleEntities, qDelArticleReports, qDelArticle} {
			if err := w.exec(q, old.n); err != nil {
				return err
			}
		}
	}
	w.next++
	n := w.next
	w.stored[a.ID] = storedArticle{n: n, hash: p.hash}
	if err := w.add(&w.articles, n, a.ID, a.URL, a.Title, a.Language, a.Published, a.Source, a.Text, p.hash); err != nil {
		return err
	}

	// Entities, merged by key within the extraction first.
	byKey := p.byKey
	for i, k := range p.order {
		e := byKey[k]
		if err := w.mergeEntity(e); err != nil {
			return err
		}
		// A mention text is searchable while an article says it; one that
		// folds to a name of the entity already is, so only other texts
		// (clitic forms, adjectives…) are counted, once per article.
		var known map[string]bool
		if r := w.ents[k]; r != nil {
			known = r.foldedNames()
		}
		var texts []string
		for _, t := range p.entities[i].texts {
			if !known[t.folded] {
				texts = append(texts, t.text)
				w.ref(k, t.text, t.folded, 1)
			}
		}
		tj := ""
		if len(texts) > 0 {
			b, err := json.Marshal(texts)
			if err != nil {
				return err
			}
			tj = string(b)
		}
		if err := w.add(&w.mentions, n, k, len(e.Mentions), p.entities[i].spans, tj); err != nil {
			return err
		}
	}
	for _, k := range p.order {
		e := byKey[k]
		if (e.Type == graph.Organization || e.Type == graph.Place) && e.Country != "" && e.Country != e.Key {
			if _, listed := byKey[e.Country]; !listed {
				if err := w.ensure(e.Country, graph.Country, e.Country); err != nil {
					return err
				}
			}
		}
	}

	// Reports: one per event of the extraction, each belonging to the
	// Event of its consolidation key.
	reports, keys := map[string][]graph.Report{}, map[string]string{}
	defer w.changes.Group(reports, keys, false)
	for i, e := range x.Events {
		if e.Date != "" {
			if err := w.ensure(e.Date, graph.Date, graph.DateName(e.Date)); err != nil {
				return err
			}
		}
		r := &p.reports[i]
		reports[r.id] = append(reports[r.id], graph.Report{ArticleID: a.ID, ArticleURL: a.URL, Event: e, Links: r.linkList})
		keys[r.id] = r.key
		if err := w.add(&w.reports, n, i, r.rid, r.key, r.id, string(e.Type), e.Subject, e.Edition,
			e.Place, e.Date, e.Confidence, r.participants, r.links,
			e.Evidence.Text, e.Evidence.Start, e.Evidence.End); err != nil {
			return err
		}
	}
	w.res.Events += p.events
	w.res.Written++
	return nil
}

// bulk holds rows for an INSERT … VALUES (?, …) statement, to be inserted
// bulkRows at a time: one statement for many rows costs much less than a
// statement each.
type bulk struct {
	insert string // the INSERT of one row
	cols   int    // its number of values, set by the first add
	args   []any
}

// bulkRows is the number of rows of one bulk INSERT.
const bulkRows = 64

// add queues one row of b, inserting the queued rows when there are
// bulkRows of them.
func (w *writer) add(b *bulk, args ...any) error {
	b.cols = len(args)
	b.args = append(b.args, args...)
	if len(b.args) >= bulkRows*b.cols {
		return w.insertRows(b)
	}
	return nil
}

// insertRows inserts the rows queued in b, after the queued articles
// they may refer to.
func (w *writer) insertRows(b *bulk) error {
	if b != &w.articles && len(w.articles.args) > 0 {
		if err := w.insertRows(&w.articles); err != nil {
			return err
		}
	}
	for len(b.args) > 0 {
		n := min(len(b.args)/b.cols, bulkRows)
		q := b.insert
		if n > 1 {
			tuple := q[strings.LastIndex(q, "("):]
			q += strings.Repeat(", "+tuple, n-1)
		}
		if err := w.exec(q, b.args[:n*b.cols]...); err != nil {
			return err
		}
		b.args = b.args[n*b.cols:]
	}
	b.args = b.args[:0]
	return nil
}

// flush inserts every queued row.
func (w *writer) flush() error {
	if err := w.insertRows(&w.articles); err != nil {
		return err
	}
	if err := w.insertRows(&w.mentions); err != nil {
		return err
	}
	return w.insertRows(&w.reports)
}

// readStored reads the stored hash and key of the articles of prep, and
// the last key given.
func (w *writer) readStored(prep []prepared) error {
	ids := make([]string, 0, len(prep))
	for i := range prep {
		if prep[i].invalid == nil {
			ids = append(ids, prep[i].x.Article.ID)
		}
	}
	w.stored = make(map[string]storedArticle, len(ids))
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := w.query(qStoredHashes, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a storedArticle
		if err := rows.Scan(&id, &a.n, &a.hash); err != nil {
			return err
		}
		w.stored[id] = a
	}
	if err := rows.Err(); err != nil {
		return err
	}
	st, err := stmt(w.ctx, w.tx, w.stmts, qLastArticle)
	if err != nil {
		return err
	}
	return st.QueryRowContext(w.ctx).Scan(&w.next)
}

// ref counts d more articles mentioning entity key by text.
func (w *writer) ref(key, text, folded string, d int) {
	r := w.refs[[2]string{key, text}]
	if r == nil {
		r = &nameRef{folded: folded}
		w.refs[[2]string{key, text}] = r
	}
	r.d += d
}

// query runs q, prepared once per Write, in the transaction.
func (w *writer) query(q string, args ...any) (*sql.Rows, error) {
	st, err := stmt(w.ctx, w.tx, w.stmts, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.ctx, args...)
}

// oldTexts takes back the mention texts article n counted, about to be
// deleted.
func (w *writer) oldTexts(n int64) error {
	rows, err := w.query(qOldTexts, n)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, texts string
		if err := rows.Scan(&key, &texts); err != nil {
			return err
		}
		var l []string
		if err := json.Unmarshal([]byte(texts), &l); err != nil {
			return fmt.Errorf("article_entities %d %s: texts %q: %w", n, key, texts, err)
		}
		for _, t := range l {
			w.ref(key, t, graph.Fold(t), -1)
		}
	}
	return rows.Err()
}

// writeRefs writes the changes to entity_names.refs: a text no article
// mentions any more, and that is no name of the entity, goes.
func (w *writer) writeRefs() error {
	keys := make([][2]string, 0, len(w.refs))
	for k, r := range w.refs {
		if r.d != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return strings.Compare(a[0], b[0])
		}
		return strings.Compare(a[1], b[1])
	})
	for _, k := range keys {
		r := w.refs[k]
		if err := w.exec(qAddRefs, k[0], k[1], r.folded, r.d); err != nil {
			return err
		}
		if r.d < 0 {
			if err := w.exec(qDropName, k[0], k[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// oldReports records the stored reports of article n (id articleID),
// about to be deleted, as deletions from their events.
func (w *writer) oldReports(n int64, articleID string) error {
	rows, err := w.query(qArticleReports, n)
	if err != nil {
		return err
	}
	defer rows.Close()
	reports, keys := map[string][]graph.Report{}, map[string]string{}
	for rows.Next() {
		var id, key, typ, links string
		r := graph.Report{ArticleID: articleID}
		if err := rows.Scan(&id, &key, &r.ArticleURL, &typ, &r.Event.Subject, &r.Event.Edition, &r.Event.Place,
			&r.Event.Date, &r.Event.Confidence, &links); err != nil {
			return err
		}
		r.Event.Type = graph.EventType(typ)
		if r.Links, err = graph.DecodeLinks(links); err != nil {
			return err
		}
		reports[id] = append(reports[id], r)
		keys[id] = key
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.changes.Group(reports, keys, true)
	return nil
}

// load returns the stored row of key, or nil.
func (w *writer) load(key string) (*entityRow, error) {
	if r, ok := w.ents[key]; ok {
		return r, nil
	}
	row, err := w.queryRow(qGetEntity, key)
	if err != nil {
		return nil, err
	}
	r := &entityRow{Key: key}
	var names, aliases, typ string
	switch err := row.Scan(&typ, &r.Name, &names, &aliases, &r.Country); {
	case err == sql.ErrNoRows:
		return nil, nil
	case err != nil:
		return nil, err
	}
	r.Type = graph.EntityType(typ)
	if err := json.Unmarshal([]byte(names), &r.Names); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(aliases), &r.Aliases); err != nil {
		return nil, err
	}
	w.ents[key] = r
	return r, nil
}

// put writes r and the names it gained since before.
func (w *writer) put(r *entityRow, before []string) error {
	names, err := json.Marshal(r.Names)
	if err != nil {
		return err
	}
	if r.Names == nil {
		names = []byte("{}")
	}
	aliases := []byte("[]")
	if len(r.Aliases) > 0 {
		if aliases, err = json.Marshal(r.Aliases); err != nil {
			return err
		}
	}
	if err := w.exec(qPutEntity, r.Key, string(r.Type), r.Name, string(names), string(aliases), r.Country); err != nil {
		return err
	}
	for _, n := range r.allNames() {
		if slices.Contains(before, n) {
			continue
		}
		if f := graph.Fold(n); f != "" {
			if err := w.exec(qPutOwnName, r.Key, n, f); err != nil {
				return err
			}
		}
	}
	w.ents[r.Key] = r
	return nil
}

func (w *writer) count(key string) {
	if !w.seen[key] {
		w.seen[key] = true
		w.res.Entities++
	}
}

// mergeEntity merges e into its stored row.
func (w *writer) mergeEntity(e graph.Entity) error {
	w.count(e.Key)
	r, err := w.load(e.Key)
	if err != nil {
		return err
	}
	sig := entitySig(e)
	if r != nil && r.absorbed[sig] {
		return nil
	}
	var before []string
	if r == nil {
		r = &entityRow{Key: e.Key, Type: e.Type}
	} else {
		before = r.allNames()
		cp := *r
		cp.folded = nil
		cp.Names = copyMap(r.Names)
		cp.Aliases = slices.Clone(r.Aliases)
		r = &cp
	}
	r.merge(e)
	if before != nil && sameRow(w.ents[e.Key], r) {
		old := w.ents[e.Key]
		if old.absorbed == nil {
			old.absorbed = map[string]bool{}
		}
		old.absorbed[sig] = true
		return nil
	}
	r.absorbed = map[string]bool{sig: true}
	return w.put(r, before)
}

// ensure creates the entity key with the given type and name unless it
// exists.
func (w *writer) ensure(key string, t graph.EntityType, name string) error {
	r, err := w.load(key)
	if err != nil || r != nil {
		return err
	}
	w.count(key)
	return w.put(&entityRow{Key: key, Type: t, Name: name}, nil)
}

func sameRow(a, b *entityRow) bool {
	return a.Type == b.Type && a.Name == b.Name && a.Country == b.Country &&
		slices.Equal(a.Aliases, b.Aliases) && mapsEqual(a.Names, b.Names)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
