package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/defgraph/defgraph/graph/storetest"
)

// downgrade turns a current file back into schema version 1: article ids
// in the rows of articles and one entity_names row per article (undoing
// migration 5), a mentions table instead of spans (undoing migration 3),
// per-article events (one per report id, with every sentence as evidence
// and the reports' links as participation), no reports.
const downgrade = `
CREATE TABLE articles_v4 (
	id        TEXT PRIMARY KEY,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	language  TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	text      TEXT NOT NULL DEFAULT '',
	hash      TEXT NOT NULL
);
INSERT INTO articles_v4 SELECT id, url, title, language, published, source, text, hash FROM articles ORDER BY n;
CREATE TABLE article_entities_v4 (
	article  TEXT NOT NULL REFERENCES articles_v4(id) ON DELETE CASCADE,
	entity   TEXT NOT NULL REFERENCES entities(key),
	mentions INTEGER NOT NULL,
	spans    TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (article, entity)
) WITHOUT ROWID;
INSERT INTO article_entities_v4 SELECT a.id, ae.entity, ae.mentions, ae.spans FROM article_entities ae JOIN articles a ON a.n = ae.article;
CREATE TABLE reports_v4 (
	article      TEXT NOT NULL REFERENCES articles_v4(id) ON DELETE CASCADE,
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
);
INSERT INTO reports_v4 SELECT a.id, r.ord, r.id, r.key, r.event, r.type, r.subject, r.edition, r.place, r.date, r.confidence,
	r.participants, r.links, r.sentence, r.start, r."end" FROM reports r JOIN articles a ON a.n = r.article;
CREATE TABLE entity_names_v4 (
	key     TEXT NOT NULL REFERENCES entities(key) ON DELETE CASCADE,
	name    TEXT NOT NULL,
	folded  TEXT NOT NULL,
	article TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (key, name, article)
) WITHOUT ROWID;
INSERT INTO entity_names_v4 SELECT key, name, folded, '' FROM entity_names WHERE own = 1;
INSERT INTO entity_names_v4 SELECT ae.entity, t.value, en.folded, a.id
	FROM article_entities ae JOIN articles a ON a.n = ae.article, json_each(CASE WHEN ae.texts = '' THEN '[]' ELSE ae.texts END) t
	JOIN entity_names en ON en.key = ae.entity AND en.name = t.value;
DROP TABLE reports;
DROP TABLE article_entities;
DROP TABLE entity_names;
DROP TABLE articles;
ALTER TABLE articles_v4 RENAME TO articles;
ALTER TABLE article_entities_v4 RENAME TO article_entities;
ALTER TABLE reports_v4 RENAME TO reports;
ALTER TABLE entity_names_v4 RENAME TO entity_names;
CREATE INDEX article_entities_entity ON article_entities(entity);
CREATE INDEX reports_event ON reports(event);
CREATE INDEX entity_names_folded ON entity_names(folded);
CREATE INDEX entity_names_article ON entity_names(article) WHERE article <> '';
DROP TABLE writes;
CREATE TABLE mentions (
	article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	entity  TEXT NOT NULL REFERENCES entities(key),
	start   INTEGER NOT NULL,
	"end"   INTEGER NOT NULL,
	text    TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article);
CREATE INDEX mentions_entity ON mentions(entity);
INSERT INTO mentions SELECT ae.article, ae.entity, json_extract(m.value, '$[0]'), json_extract(m.value, '$[1]'),
	json_extract(m.value, '$[2]') FROM article_entities ae, json_each(ae.spans) m;
ALTER TABLE article_entities DROP COLUMN spans;
DROP TABLE participation;
DROP TABLE events;
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
CREATE TABLE evidence (
	event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	ord   INTEGER NOT NULL,
	text  TEXT NOT NULL,
	start INTEGER NOT NULL,
	"end" INTEGER NOT NULL,
	PRIMARY KEY (event, ord)
) WITHOUT ROWID;
CREATE TABLE participation (
	event  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	entity TEXT NOT NULL REFERENCES entities(key),
	role   TEXT NOT NULL,
	via    TEXT NOT NULL DEFAULT '',
	ord    INTEGER NOT NULL,
	PRIMARY KEY (event, entity, role)
) WITHOUT ROWID;
INSERT INTO events SELECT id, article, type, subject, edition, MAX(place), date, MAX(confidence)
	FROM reports GROUP BY id;
INSERT INTO evidence SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ord) - 1, sentence, start, "end" FROM reports;
INSERT OR IGNORE INTO participation SELECT r.id, json_extract(l.value, '$.entity'), json_extract(l.value, '$.role'),
	COALESCE(json_extract(l.value, '$.via'), ''), l.key FROM reports r, json_each(r.links) l;
DROP TABLE reports;
DELETE FROM schema_version WHERE version > 1;
`

// A version 1 file is converted in place by migration 2: the same answers
// as writing the corpus with the current code, without re-import.
func TestMigrateVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	items := append(storetest.Corpus(), storetest.SecondReports()...)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, items); err != nil {
		t.Fatal(err)
	}
	want := storetest.Answers(t, s, items)
	if _, err := s.db.ExecContext(ctx, downgrade); err != nil {
		t.Fatalf("downgrade: %v", err)
	}
	if v, _ := s.Version(ctx); v != 1 {
		t.Fatalf("downgraded to version %d", v)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatalf("Open a version 1 file: %v", err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion {
		t.Errorf("version %d after migration, want %d", v, SchemaVersion)
	}
	got := storetest.Answers(t, s, items)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("after migration, %s:\n%s\nwant\n%s", k, got[k], v)
		}
	}
	res, err := s.Write(ctx, items)
	if err != nil || res.Unchanged != len(items) {
		t.Errorf("writing the corpus again after migration: %+v %v, want all unchanged", res, err)
	}
}
