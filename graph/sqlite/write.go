package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

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
	changes map[string]*change
}

const (
	qArticleHash  = `SELECT hash FROM articles WHERE id = ?`
	qDelNames     = `DELETE FROM entity_names WHERE article = ?`
	qDelArticle   = `DELETE FROM articles WHERE id = ?`
	qInsArticle   = `INSERT INTO articles(id, url, title, language, published, source, text, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	qGetEntity    = `SELECT type, name, names, aliases, country FROM entities WHERE key = ?`
	qPutEntity    = `INSERT INTO entities(key, type, name, names, aliases, country) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET type = excluded.type, name = excluded.name, names = excluded.names, aliases = excluded.aliases, country = excluded.country`
	qInsName      = `INSERT OR IGNORE INTO entity_names(key, name, folded, article) VALUES (?, ?, ?, ?)`
	qInsArtEntity = `INSERT INTO article_entities(article, entity, mentions, spans) VALUES (?, ?, ?, ?)`
)

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
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return graph.WriteResult{}, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: begin write")
	}
	w := &writer{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}, ents: map[string]*entityRow{}, seen: map[string]bool{},
		changes: map[string]*change{}}
	defer func() {
		for _, st := range w.stmts {
			st.Close()
		}
	}()
	for i := range items {
		if err := w.item(&items[i]); err != nil {
			tx.Rollback()
			return graph.WriteResult{}, s.fail(err, "write article %s", items[i].Article.ID)
		}
	}
	if err := recompute(ctx, tx, w.stmts, w.changes); err != nil {
		tx.Rollback()
		return graph.WriteResult{}, s.fail(err, "consolidate events")
	}
	if err := tx.Commit(); err != nil {
		return graph.WriteResult{}, s.fail(err, "commit write")
	}
	return w.res, nil
}

// contentHash is graph.ContentHash (event ids and the article's source
// left out), kept behind a function of this package for its callers.
func contentHash(x *graph.Extraction) (string, error) {
	return graph.ContentHash(x), nil
}

func (w *writer) item(x *graph.Extraction) error {
	if err := x.Validate(); err != nil {
		name := x.Article.ID
		if name == "" {
			name = x.Article.Source
		}
		w.res.Failed = append(w.res.Failed, graph.ItemFailed{Article: name, Reason: graph.ErrorMessage(err)})
		return nil
	}
	a := x.Article
	hash, err := contentHash(x)
	if err != nil {
		return err
	}
	row, err := w.queryRow(qArticleHash, a.ID)
	if err != nil {
		return err
	}
	var old string
	switch err := row.Scan(&old); {
	case err == sql.ErrNoRows:
	case err != nil:
		return err
	case old == hash:
		w.res.Unchanged++
		return nil
	default:
		if err := w.oldReports(a.ID); err != nil {
			return err
		}
		if err := w.exec(qDelNames, a.ID); err != nil {
			return err
		}
		if err := w.exec(qDelArticle, a.ID); err != nil {
			return err
		}
	}
	if err := w.exec(qInsArticle, a.ID, a.URL, a.Title, a.Language, a.Published, a.Source, a.Text, hash); err != nil {
		return err
	}

	// Entities, merged by key within the extraction first.
	byKey, order := x.MergedEntities()
	for _, k := range order {
		e := byKey[k]
		if err := w.mergeEntity(e); err != nil {
			return err
		}
		ms := slices.Clone(e.Mentions)
		slices.SortStableFunc(ms, func(a, b graph.Mention) int {
			if a.Start != b.Start {
				return a.Start - b.Start
			}
			return a.End - b.End
		})
		if err := w.exec(qInsArtEntity, a.ID, k, len(e.Mentions), encodeSpans(ms)); err != nil {
			return err
		}
		// A mention text is searchable while its article says it; one that
		// folds to a name of the entity already is, so only other texts
		// (clitic forms, adjectives…) get a row of their own, once.
		known := map[string]bool{}
		if r := w.ents[k]; r != nil {
			known = r.foldedNames()
		}
		added := map[string]bool{}
		for _, m := range e.Mentions {
			if f := graph.Fold(m.Text); f != "" && !known[f] && !added[m.Text] {
				added[m.Text] = true
				if err := w.exec(qInsName, k, m.Text, f, a.ID); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range order {
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
	defer group(w.changes, reports, keys, false)
	for i, e := range x.Events {
		if e.Date != "" {
			if err := w.ensure(e.Date, graph.Date, graph.DateName(e.Date)); err != nil {
				return err
			}
		}
		key := graph.EventKey(e, byKey)
		id := graph.ConsolidatedID(key)
		// A derived country is an organization's country: listed, or given a
		// stub above.
		links := graph.ActorLinks(e, byKey)
		reports[id] = append(reports[id], graph.Report{ArticleID: a.ID, ArticleURL: a.URL, Event: e, Links: links})
		keys[id] = key
		if err := w.exec(qInsReport, a.ID, i, graph.EventID(a.ID, e), key, id, string(e.Type), e.Subject, e.Edition,
			e.Place, e.Date, e.Confidence, encodeParticipants(e.Participants), graph.EncodeLinks(links),
			e.Evidence.Text, e.Evidence.Start, e.Evidence.End); err != nil {
			return err
		}
	}
	w.res.Events += distinctIDs(a.ID, x.Events)
	w.res.Written++
	return nil
}

// oldReports records the stored reports of an article, about to be
// deleted, as deletions from their events.
func (w *writer) oldReports(articleID string) error {
	st, err := stmt(w.ctx, w.tx, w.stmts, qArticleReports)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(w.ctx, articleID)
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
	group(w.changes, reports, keys, true)
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
			if err := w.exec(qInsName, r.Key, n, f, ""); err != nil {
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
		return nil
	}
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
