// Package sqlite is a graph.Store kept in one SQLite file, through the
// pure-Go driver modernc.org/sqlite (no cgo).
//
// The file holds one table per kind of thing: articles (with an integer
// key n, in import order, that the rows of an article refer to it by),
// entities (with every name they are known by, folded with graph.Fold, in
// entity_names for search: own = 1 for its names and aliases, refs counting
// the articles that mention it by another text, a text folding to none of
// its names), article_entities (the MENTIONS link, with the mentions'
// offsets as one JSON array per article and entity, and the mention texts
// it counted in entity_names), reports (each event of an article as the
// article states it, with its evidence sentence), events (one per
// consolidation key, graph.Consolidate of its reports, with their
// graph.Tally) and their participation rows.
// Date nodes are entities of type Date whose key is the ISO date; the links
// of the graph (PARTICIPATED_IN, ABOUT, HELD_IN, ON_DATE, PART_OF,
// LOCATED_IN, REPORTED_IN, MENTIONS) are derived from these rows when read.
//
// Write semantics beyond the graph.Store contract:
//
//   - An article whose extraction hashes (graph.ContentHash: event ids and
//     the article's source left out) to what is stored already is counted as Unchanged and not
//     touched. Otherwise everything the article said before (its reports,
//     mentions and mention texts) is deleted and written again, in the one
//     transaction of the Write call.
//   - Before that transaction commits, every event whose reports it deleted
//     or added has them taken from or added to the graph.Tally its row keeps,
//     and its row becomes the tally's graph.Consolidated: deleted with its
//     participation when no report is left. WriteResult.Events
//     counts the distinct report ids (graph.EventID) of the articles written.
//   - Schema version 2 converts a version 1 file (per-article events) in
//     place, and version 3 moves mentions into article_entities; see
//     migrations.
//   - A rebuilt event's row and participation rows are written only where
//     they changed, so an event many articles report stays cheap to update.
//   - Entities are never deleted: an entity that no article refers to any
//     more after a rewrite stays, with its names, and counts zero events.
//     Names and aliases only grow. A name in a language already known, or an
//     English name different from the stored one, becomes an alias.
//   - A country that an organization or place of an extraction belongs to,
//     and that is not among the extraction's entities, gets a stub Country
//     node whose name is its key, unless the key exists already; a stub takes
//     the type and names of the first extraction that lists the key itself.
//   - Every dated event links to the Date node of its date, created when
//     missing with the name graph.DateName(date).
//
// A Write prepares its items on every core before its transaction, then
// inserts mentions and reports many rows per statement; it keeps the
// tallies of the events and the entity rows it wrote for the next Write,
// unless the writes table shows that another connection wrote the file
// in between.
//
// Reads see committed data only. All methods are safe for concurrent use;
// writes are serialised.
package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/defgraph/defgraph/graph"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a graph.Store backed by a SQLite file.
type Store struct {
	db   *sql.DB
	path string
	wmu  sync.Mutex // serialises Write calls of this process
	// cache holds what the writes of this Store read and wrote (guarded
	// by wmu); see writeCache.
	cache writeCache
}

var _ graph.Preparer = (*Store)(nil)

// migration is one step of the schema: SQL, then an optional Go step in
// the same transaction (for what SQL cannot compute, such as
// graph.EventKey).
type migration struct {
	sql   string
	after func(ctx context.Context, tx *sql.Tx) error
}

// migrations are applied in order; migration i brings the schema to
// version i+1. Never edit a released migration: append a new one.
var migrations = []migration{
	{sql: `
CREATE TABLE articles (
	id        TEXT PRIMARY KEY,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	language  TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	text      TEXT NOT NULL DEFAULT '',
	hash      TEXT NOT NULL
);
CREATE TABLE entities (
	key     TEXT PRIMARY KEY,
	type    TEXT NOT NULL,
	name    TEXT NOT NULL,
	names   TEXT NOT NULL DEFAULT '{}', -- JSON object: language -> name
	aliases TEXT NOT NULL DEFAULT '[]', -- JSON array
	country TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entities_type ON entities(type);
CREATE INDEX entities_country ON entities(country) WHERE country <> '';
-- Every name of an entity, folded for search. article is '' for its names
-- and aliases, which stay, and the article id for the texts it was
-- mentioned by in that article, which go when the article is rewritten.
CREATE TABLE entity_names (
	key     TEXT NOT NULL REFERENCES entities(key) ON DELETE CASCADE,
	name    TEXT NOT NULL,
	folded  TEXT NOT NULL,
	article TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (key, name, article)
) WITHOUT ROWID;
CREATE INDEX entity_names_folded ON entity_names(folded);
CREATE INDEX entity_names_article ON entity_names(article) WHERE article <> '';
-- article_entities is the MENTIONS link: the entities an extraction lists,
-- with how many mentions it gives for each.
CREATE TABLE article_entities (
	article  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	entity   TEXT NOT NULL REFERENCES entities(key),
	mentions INTEGER NOT NULL,
	PRIMARY KEY (article, entity)
) WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities(entity);
CREATE TABLE mentions (
	article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	entity  TEXT NOT NULL REFERENCES entities(key),
	start   INTEGER NOT NULL,
	"end"   INTEGER NOT NULL,
	text    TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article);
CREATE INDEX mentions_entity ON mentions(entity);
CREATE TABLE events (
	id         TEXT PRIMARY KEY,
	article    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	type       TEXT NOT NULL,
	subject    TEXT NOT NULL DEFAULT '',
	edition    INTEGER NOT NULL DEFAULT 0,
	place      TEXT NOT NULL DEFAULT '',
	date       TEXT NOT NULL DEFAULT '',
	confidence REAL NOT NULL DEFAULT 0
);
CREATE INDEX events_article ON events(article);
CREATE INDEX events_subject ON events(subject) WHERE subject <> '';
CREATE INDEX events_place ON events(place) WHERE place <> '';
CREATE INDEX events_date ON events(date);
-- evidence is the REPORTED_IN link: the sentences stating an event (more
-- than one when the article states the same event twice).
CREATE TABLE evidence (
	event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	ord   INTEGER NOT NULL,
	text  TEXT NOT NULL,
	start INTEGER NOT NULL,
	"end" INTEGER NOT NULL,
	PRIMARY KEY (event, ord)
) WITHOUT ROWID;
-- participation is the PARTICIPATED_IN link, as graph.ActorLinks gives it.
CREATE TABLE participation (
	event  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	entity TEXT NOT NULL REFERENCES entities(key),
	role   TEXT NOT NULL,
	via    TEXT NOT NULL DEFAULT '',
	ord    INTEGER NOT NULL,
	PRIMARY KEY (event, entity, role)
) WITHOUT ROWID;
CREATE INDEX participation_entity ON participation(entity);
`},
	// 2: one event, many reports. Each event of an article becomes a
	// report row; the events table holds one row per consolidation key
	// (graph.EventKey), graph.Consolidate of its reports, and
	// participation holds the consolidated links. The after step converts a
	// version 1 file in place: every evidence sentence of an old
	// per-article event becomes a report of it (participants from its
	// direct participation rows, the organizations' countries from the
	// entities table); migration 4 then builds every event from the
	// reports. No re-import is needed.
	{sql: `
CREATE TABLE reports (
	article      TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	ord          INTEGER NOT NULL,            -- position of the event in the extraction
	id           TEXT NOT NULL,               -- graph.EventID(article, event): the report id
	key          TEXT NOT NULL,               -- graph.EventKey(event, entities of the article)
	event        TEXT NOT NULL,               -- graph.ConsolidatedID(key): the events row it belongs to
	type         TEXT NOT NULL,
	subject      TEXT NOT NULL DEFAULT '',
	edition      INTEGER NOT NULL DEFAULT 0,
	place        TEXT NOT NULL DEFAULT '',
	date         TEXT NOT NULL DEFAULT '',
	confidence   REAL NOT NULL DEFAULT 0,
	participants TEXT NOT NULL DEFAULT '[]',  -- JSON: the participants as the article states them
	links        TEXT NOT NULL DEFAULT '[]',  -- JSON: graph.ActorLinks of the event
	sentence     TEXT NOT NULL,               -- the evidence sentence
	start        INTEGER NOT NULL,            -- its rune offsets in the article text
	"end"        INTEGER NOT NULL,
	PRIMARY KEY (article, ord)
);
CREATE INDEX reports_event ON reports(event);
`, after: migrateReports},
	// 3: an article's mentions of an entity are one JSON array on its
	// article_entities row ([[start, end, text], …] in text order) instead
	// of a row each: a bulk import writes a third fewer rows. Existing
	// mentions move over in place.
	{sql: `
ALTER TABLE article_entities ADD COLUMN spans TEXT NOT NULL DEFAULT '[]';
UPDATE article_entities SET spans = COALESCE((
	SELECT json_group_array(json_array(m.start, m."end", m.text)) FROM (
		SELECT start, "end", text FROM mentions
		WHERE article = article_entities.article AND entity = article_entities.entity
		ORDER BY start, "end") m), '[]');
DROP TABLE mentions;
`},
	// 4: each events row keeps the graph.Tally of its reports (JSON), so
	// that a write updates an event by the reports it adds or deletes
	// instead of reading every report of it. The after step builds every
	// event from its reports (which also completes a file coming from
	// version 1, whose migration 2 leaves the events to this one).
	{sql: `
ALTER TABLE events ADD COLUMN tally TEXT NOT NULL DEFAULT '';
`, after: rebuildEvents},
	// 5: the rows of an article (article_entities, reports) refer to it by
	// an integer key n given in import order instead of its 71-character
	// id, so that a bulk import appends to their tables instead of
	// writing all over them (and the file is a third smaller); and
	// entity_names holds one row per entity and text, with own = 1 for the
	// entity's names and aliases and refs counting the articles that
	// mention it by that text (article_entities.texts lists the texts each
	// article added), instead of one row per article.
	{sql: `
CREATE TABLE articles_v5 (
	n         INTEGER PRIMARY KEY,
	id        TEXT NOT NULL UNIQUE,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	language  TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	text      TEXT NOT NULL DEFAULT '',
	hash      TEXT NOT NULL
);
INSERT INTO articles_v5(n, id, url, title, language, published, source, text, hash)
	SELECT rowid, id, url, title, language, published, source, text, hash FROM articles ORDER BY rowid;
-- texts: the JSON array of the mention texts this row added to
-- entity_names ('' for none).
CREATE TABLE article_entities_v5 (
	article  INTEGER NOT NULL REFERENCES articles_v5(n) ON DELETE CASCADE,
	entity   TEXT NOT NULL REFERENCES entities(key),
	mentions INTEGER NOT NULL,
	spans    TEXT NOT NULL DEFAULT '[]',
	texts    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (article, entity)
) WITHOUT ROWID;
INSERT INTO article_entities_v5(article, entity, mentions, spans, texts)
	SELECT a.n, ae.entity, ae.mentions, ae.spans, COALESCE((SELECT CASE WHEN COUNT(*) = 0 THEN '' ELSE json_group_array(en.name) END
		FROM entity_names en WHERE en.article = ae.article AND en.key = ae.entity), '')
	FROM article_entities ae JOIN articles_v5 a ON a.id = ae.article ORDER BY a.n, ae.entity;
CREATE TABLE reports_v5 (
	article      INTEGER NOT NULL REFERENCES articles_v5(n) ON DELETE CASCADE,
	ord          INTEGER NOT NULL,
	id           TEXT NOT NULL,
	key          TEXT NOT NULL,
	event        TEXT NOT NULL,
	type         TEXT NOT NULL,
	subject      TEXT NOT NULL DEFAULT '',
	edition      INTEGER NOT NULL DEFAULT 0,
	place        TEXT NOT NULL DEFAULT '',
	date         TEXT NOT NULL DEFAULT '',
	confidence   REAL NOT NULL DEFAULT 0,
	participants TEXT NOT NULL DEFAULT '[]',
	links        TEXT NOT NULL DEFAULT '[]',
	sentence     TEXT NOT NULL,
	start        INTEGER NOT NULL,
	"end"        INTEGER NOT NULL,
	PRIMARY KEY (article, ord)
) WITHOUT ROWID;
INSERT INTO reports_v5 SELECT a.n, r.ord, r.id, r.key, r.event, r.type, r.subject, r.edition, r.place, r.date, r.confidence,
	r.participants, r.links, r.sentence, r.start, r."end" FROM reports r JOIN articles_v5 a ON a.id = r.article ORDER BY a.n, r.ord;
CREATE TABLE entity_names_v5 (
	key    TEXT NOT NULL REFERENCES entities(key) ON DELETE CASCADE,
	name   TEXT NOT NULL,
	folded TEXT NOT NULL,
	own    INTEGER NOT NULL DEFAULT 0,
	refs   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (key, name)
) WITHOUT ROWID;
INSERT INTO entity_names_v5(key, name, folded, own, refs)
	SELECT key, name, MIN(folded), MAX(article = ''), SUM(article <> '') FROM entity_names GROUP BY key, name;
DROP TABLE reports;
DROP TABLE article_entities;
DROP TABLE entity_names;
DROP TABLE articles;
ALTER TABLE articles_v5 RENAME TO articles;
ALTER TABLE article_entities_v5 RENAME TO article_entities;
ALTER TABLE reports_v5 RENAME TO reports;
ALTER TABLE entity_names_v5 RENAME TO entity_names;
CREATE INDEX article_entities_entity ON article_entities(entity);
CREATE INDEX reports_event ON reports(event);
CREATE INDEX entity_names_folded ON entity_names(folded);
-- writes counts the write transactions, so that a Store can tell whether
-- another connection wrote the file since its own last write.
CREATE TABLE writes (n INTEGER NOT NULL);
INSERT INTO writes VALUES (0);
`},
}

// SchemaVersion is the schema version this package migrates files to.
var SchemaVersion = len(migrations)

// Open opens the SQLite file at path, creating it and its parent folder when
// missing, and migrates its schema to SchemaVersion. A path of ":memory:"
// gives a private in-memory database on a single connection.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, graph.Errorf(graph.EINVALID, "sqlite: no database path")
	}
	// A 32 MB page cache per connection keeps the indexes a large import
	// touches in memory (the default 2 MB makes writes read pages back; 64
	// MB imports no faster), and
	// checkpointing the WAL every 10,000 pages rather than 1,000 writes a
	// page dirtied by many imports once: together twice the import rate.
	// Temporary storage in memory keeps the statement journals of the
	// many-row INSERTs of a write off the disk.
	const params = "_busy_timeout=10000&_foreign_keys=1&_synchronous=NORMAL&_txlock=immediate&_pragma=cache_size(-32768)&_pragma=wal_autocheckpoint(10000)&_pragma=temp_store(2)"
	dsn := path + "?" + params
	memory := path == ":memory:" || strings.HasPrefix(path, "file::memory:")
	if !memory {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: create folder of %s", path)
			}
		}
		dsn += "&_journal_mode=WAL"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: open %s", path)
	}
	if memory {
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// migrate applies the migrations the file lacks, each in its own
// transaction together with its schema_version row.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
	)`); err != nil {
		return graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: open %s", s.path)
	}
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: migrate %s", s.path)
		}
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
			tx.Rollback()
			return graph.Wrap(graph.EINTERNAL, err, "sqlite: read schema version")
		}
		if v > len(migrations) {
			tx.Rollback()
			return graph.Errorf(graph.EUNAVAILABLE, "sqlite: %s has schema version %d, newer than this program knows (%d)", s.path, v, len(migrations))
		}
		if v == len(migrations) {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, migrations[v].sql); err != nil {
			tx.Rollback()
			return graph.Wrap(graph.EINTERNAL, err, "sqlite: migration %d", v+1)
		}
		if f := migrations[v].after; f != nil {
			if err := f(ctx, tx); err != nil {
				tx.Rollback()
				return graph.Wrap(graph.EINTERNAL, err, "sqlite: migration %d", v+1)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (?)`, v+1); err != nil {
			tx.Rollback()
			return graph.Wrap(graph.EINTERNAL, err, "sqlite: migration %d", v+1)
		}
		if err := tx.Commit(); err != nil {
			return graph.Wrap(graph.EINTERNAL, err, "sqlite: migration %d", v+1)
		}
	}
}

// Version returns the schema version of the open file.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, s.fail(err, "read schema version")
	}
	return v, nil
}

// Ping reports whether the file can be read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return graph.Wrap(graph.EUNAVAILABLE, err, "sqlite: %s cannot be reached", s.path)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// fail wraps an unexpected database error, keeping a context cancellation
// recognisable through errors.Is.
func (s *Store) fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*graph.Error); ok {
		return err
	}
	return graph.Wrap(graph.EINTERNAL, err, "sqlite: "+format, args...)
}

// Stats counts articles, entities per type, events per type and links.
func (s *Store) Stats(ctx context.Context) (*graph.Stats, error) {
	st := &graph.Stats{Entities: map[graph.EntityType]int{}, Events: map[graph.EventType]int{}}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&st.Articles); err != nil {
		return nil, s.fail(err, "stats")
	}
	count := func(q string, put func(k string, n int)) error {
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			put(k, n)
		}
		return rows.Err()
	}
	if err := count(`SELECT type, COUNT(*) FROM entities GROUP BY type`, func(k string, n int) { st.Entities[graph.EntityType(k)] = n }); err != nil {
		return nil, s.fail(err, "stats")
	}
	if err := count(`SELECT type, COUNT(*) FROM events GROUP BY type`, func(k string, n int) { st.Events[graph.EventType(k)] = n }); err != nil {
		return nil, s.fail(err, "stats")
	}
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM participation) +
		(SELECT COUNT(*) FROM events WHERE subject <> '') +
		(SELECT COUNT(*) FROM events WHERE place <> '') +
		(SELECT COUNT(*) FROM events WHERE date <> '') +
		(SELECT COALESCE(SUM(articles), 0) FROM events) +
		(SELECT COUNT(*) FROM article_entities) +
		(SELECT COUNT(*) FROM entities e JOIN entities c ON c.key = e.country
			WHERE e.type IN ('Organization', 'Place'))`).Scan(&st.Links)
	if err != nil {
		return nil, s.fail(err, "stats")
	}
	return st, nil
}

func errf(code, format string, args ...any) error {
	return graph.Errorf(code, format, args...)
}
