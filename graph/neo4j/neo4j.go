// Package neo4j is a graph.Store kept in a Neo4j 5 database, through the
// official driver github.com/neo4j/neo4j-go-driver/v5 (Bolt, bolt:// or
// neo4j:// with routing). For development and tests, tools/neo4j runs a
// Neo4j 5.26 server without Docker.
//
// # The graph in Neo4j
//
// Every entity is a node labelled :Entity and with its type
// (:Country, :Organization, :Exhibition, :Exercise, :Place, :Date); events
// are :Event nodes and articles :Article nodes. Every node has a `name`.
//
//	(:Entity {key, type, name, names, aliases, country, folded, search})
//	(:Event {id, key, type, subject, edition, place, date, confidence, sources, articles, name, tally})
//	(:Article {id, url, title, language, published, source, text, hash, name})
//
//	(Country|Organization)-[:PARTICIPATED_IN {role, via, ord}]->(Event)
//	(Event)-[:ABOUT]->(Exercise|Exhibition)
//	(Event)-[:ON_DATE]->(Date)
//	(Event)-[:HELD_IN]->(Place)
//	(Event)-[:REPORTED_IN {report, ord, key, sentence, start, end, type, subject,
//	                       edition, place, date, confidence, participants, links}]->(Article)
//	(Article)-[:MENTIONS {count, mentions, folded}]->(Entity)
//	(Organization)-[:PART_OF]->(Country)
//	(Place)-[:LOCATED_IN]->(Country)
//
// Entity.names is the JSON object of the names per language (Neo4j has no
// map properties); aliases is a list. folded lists every name and alias
// folded with graph.Fold, and search joins them with newlines so that a
// TEXT index serves `CONTAINS`. MENTIONS.mentions is the JSON list of the
// mentions of the entity in the article, and MENTIONS.folded the folded
// texts of those mentions that fold to none of the entity's names (as the
// entity stood when the article was written), joined with newlines
// (TEXT-indexed too); it is absent when there is none, since the names are
// searchable already, as graph/sqlite indexes mention texts. Dates are
// stored as ISO strings, "" when unknown.
//
// # One event, many reports
//
// Each event of an article is a report: one REPORTED_IN relationship from
// the Event of its consolidation key (id graph.ConsolidatedID(key), key
// graph.EventKey) to the article, carrying the event as the article states
// it (participants and graph.ActorLinks as JSON), its evidence sentence and
// offsets, and its per-article report id (graph.EventID). The Event's
// properties and its PARTICIPATED_IN, ABOUT, HELD_IN and ON_DATE links are
// graph.Consolidate of all its reports. The Event keeps their graph.Tally
// (property `tally`, JSON); at the end of every write transaction the
// reports it added and deleted are applied to the tallies of their events
// and only the properties and links that changed are written (UNWIND
// queries over all of them); an Event left without reports is deleted.
// Stats counts one REPORTED_IN link per event and article (Event.articles),
// as the SQLite store does. A database written before consolidation loses
// its per-article events when the store opens (see Migrate) and needs its
// corpus imported again.
//
// # Semantics
//
// Writes and reads give the same answers as graph/sqlite, whose package
// comment says what a write does beyond the graph.Store contract: content
// hashes for Unchanged, names that only grow (a second name in a known
// language becomes an alias), stub countries named by their key, Date nodes
// named by graph.DateName. Neighbors and ShortestPath walk the graph level
// by level with the same ordering rules, each level one Cypher query per
// kind of link, so that limits and ties cut the same way.
//
// # Writes
//
// A write transaction runs a few queries per batch of articles, each over
// the UNWIND rows of all of them (see write.go): the entity rows the
// articles touch are read without locks and merged in Go, and only the
// rows that change are written, each locked first and checked to be still
// the row that was read (a row another writer changed in between is taken
// as it stands and the articles merged again, so that no name is lost;
// names only grow, so a row that does not change needs no lock). Events
// are locked before their tallies are read; a Store keeps the tallies it
// wrote last, decoded, and uses one while the stored JSON is still the one
// it wrote. Nodes found once are then addressed by elementId. Write
// queries keep their first plan (`CYPHER replan=skip`: every node they
// touch is found by a unique key or an elementId, whatever the statistics)
// and interpret their expressions rather than compile them, which spares a
// server that has just started part of its warm-up (plans made again,
// bytecode for the JIT to compile).
//
// Every transaction goes through the driver's managed transactions
// (ExecuteRead, ExecuteWrite) with the database named; every value is a
// parameter; labels and relationship types come from fixed lists only.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/defgraph/defgraph/graph"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	njconfig "github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// DefaultWriteBatchSize is the number of articles written per transaction
// when Config.WriteBatchSize is 0.
const DefaultWriteBatchSize = 1000

// Config says where the database is.
type Config struct {
	URI      string // bolt://host:7687 or neo4j://host:7687
	User     string // empty: no authentication
	Password string
	Database string // empty: "neo4j"

	// WriteBatchSize is the number of articles Write puts in one
	// transaction (each query of it UNWINDs the rows of all of them); 0
	// means DefaultWriteBatchSize, 1 one transaction per article.
	WriteBatchSize int

	// ConnectTimeout bounds Open's first contact with the server and every
	// new connection; 0 means 10 s.
	ConnectTimeout time.Duration

	// MaxRetryTime bounds how long a transaction is retried after a
	// transient failure (a deadlock, a lost connection, a leader switch)
	// before its error is returned: EUNAVAILABLE when the server cannot be
	// reached. 0 means 5 s (the driver's backoff makes the wait up to
	// about twice that).
	MaxRetryTime time.Duration
}

// Store is a graph.Store backed by Neo4j. It is safe for concurrent use;
// the writes of one Store are serialised.
type Store struct {
	driver nj.DriverWithContext
	uri    string
	db     string
	batch  int
	wmu    sync.Mutex // serialises writes; guards tallies
	// tallies holds the tallies of the events this Store wrote last (at
	// most maxCachedTallies), by event id: see readTally.
	tallies map[string]*cachedTally
}

var _ graph.Store = (*Store)(nil)

// Open connects to the server, checks that the database answers and runs
// the migrations (see Migrate). An unreachable server is EUNAVAILABLE.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, graph.Errorf(graph.EINVALID, "neo4j: no URI")
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if cfg.WriteBatchSize < 0 {
		return nil, graph.Errorf(graph.EINVALID, "neo4j: write batch size %d is negative", cfg.WriteBatchSize)
	}
	if cfg.WriteBatchSize == 0 {
		cfg.WriteBatchSize = DefaultWriteBatchSize
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.MaxRetryTime == 0 {
		cfg.MaxRetryTime = 5 * time.Second
	}
	auth := nj.NoAuth()
	if cfg.User != "" {
		auth = nj.BasicAuth(cfg.User, cfg.Password, "")
	}
	d, err := nj.NewDriverWithContext(cfg.URI, auth, func(c *njconfig.Config) {
		c.SocketConnectTimeout = cfg.ConnectTimeout
		c.ConnectionAcquisitionTimeout = 2 * cfg.ConnectTimeout
		c.MaxTransactionRetryTime = cfg.MaxRetryTime
		c.UserAgent = "defgraph"
	})
	if err != nil {
		return nil, graph.Wrap(graph.EINVALID, err, "neo4j: bad URI %q", cfg.URI)
	}
	s := &Store{driver: d, uri: cfg.URI, db: cfg.Database, batch: cfg.WriteBatchSize, tallies: map[string]*cachedTally{}}
	cctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	if err := d.VerifyConnectivity(cctx); err != nil {
		d.Close(context.Background())
		return nil, s.unavailable(err)
	}
	if err := s.Migrate(ctx); err != nil {
		d.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// URI returns the URI the store was opened with.
func (s *Store) URI() string { return s.uri }

// Database returns the name of the database the store uses.
func (s *Store) Database() string { return s.db }

// WriteBatchSize returns the number of articles written per transaction.
func (s *Store) WriteBatchSize() int { return s.batch }

// FullTextIndex is the name of the full-text index over entity names, for
// db.index.fulltext.queryNodes and Bloom's search.
const FullTextIndex = "entity_names_fulltext"

// migrations are idempotent schema statements, run in order by Migrate.
// Labels are the fixed entity types; the uniqueness constraints back every
// key that writes MERGE or MATCH on.
var migrations = func() []string {
	m := []string{
		`CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE`,
		`CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE`,
		`CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE`,
	}
	for _, t := range graph.EntityTypes {
		m = append(m, fmt.Sprintf("CREATE CONSTRAINT %s_key IF NOT EXISTS FOR (e:%s) REQUIRE e.key IS UNIQUE",
			lowerFirst(string(t)), t))
	}
	return append(m,
		`CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)`,
		`CREATE INDEX entity_type IF NOT EXISTS FOR (e:Entity) ON (e.type)`,
		`CREATE INDEX entity_country IF NOT EXISTS FOR (e:Entity) ON (e.country)`,
		`CREATE TEXT INDEX entity_search IF NOT EXISTS FOR (e:Entity) ON (e.search)`,
		`CREATE TEXT INDEX mentions_folded IF NOT EXISTS FOR ()-[m:MENTIONS]-() ON (m.folded)`,
		`CREATE INDEX event_date IF NOT EXISTS FOR (e:Event) ON (e.date)`,
		`CREATE INDEX event_type IF NOT EXISTS FOR (e:Event) ON (e.type)`,
		// Events are consolidated (one per graph.EventKey) since schema 2:
		// no per-article property any more.
		`DROP INDEX event_article IF EXISTS`,
		`CREATE INDEX event_key IF NOT EXISTS FOR (e:Event) ON (e.key)`,
		`CREATE INDEX reported_in_report IF NOT EXISTS FOR ()-[r:REPORTED_IN]-() ON (r.report)`,
		`CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published)`,
		// For Neo4j Browser, Bloom and hand-written Cypher: word search over
		// every name and alias with Lucene's Arabic analyzer, which folds
		// letter variants and strips clitics (والمغرب finds المغرب). The API's
		// Search keeps to the TEXT index above, whose folded-substring
		// matching is what every store promises.
		"CREATE FULLTEXT INDEX "+FullTextIndex+" IF NOT EXISTS FOR (e:Country|Organization|Exhibition|Exercise|Place) "+
			"ON EACH [e.name, e.search] OPTIONS {indexConfig: {`fulltext.analyzer`: 'arabic'}}",
	)
}()

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// Migrate creates the constraints and indexes the store relies on, when
// missing, removes the per-article events of a database written before
// consolidation (see dropPerArticleEvents) and waits until the indexes are
// online. It is idempotent: one query finds which migrations are done,
// and those left run in one transaction.
func (s *Store) Migrate(ctx context.Context) error {
	res, err := nj.ExecuteQuery(ctx, s.driver, `SHOW INDEXES YIELD name`, nil, nj.EagerResultTransformer,
		nj.ExecuteQueryWithDatabase(s.db), nj.ExecuteQueryWithWritersRouting())
	if err != nil {
		return s.fail(err, "migrate (show indexes)")
	}
	have := map[string]bool{} // a constraint's index has its name
	for _, r := range res.Records {
		have[str(r.Values[0])] = true
	}
	var todo []string
	for _, q := range migrations {
		if name, drop := migrationName(q); have[name] == drop {
			todo = append(todo, q)
		}
	}
	if len(todo) > 0 {
		if _, err := write(ctx, s, func(tx nj.ManagedTransaction) (int, error) {
			for _, q := range todo {
				if err := exec(ctx, tx, q, nil); err != nil {
					return 0, fmt.Errorf("%s: %w", q, err)
				}
			}
			return 0, nil
		}); err != nil {
			return s.fail(err, "migrate")
		}
	}
	// A database that had none of the store's indexes was never written by
	// it: no per-article event to look for.
	if len(todo) < len(migrations) {
		if err := s.dropPerArticleEvents(ctx); err != nil {
			return err
		}
	}
	if _, err := nj.ExecuteQuery(ctx, s.driver, `CALL db.awaitIndexes(300)`, nil, nj.EagerResultTransformer,
		nj.ExecuteQueryWithDatabase(s.db), nj.ExecuteQueryWithWritersRouting()); err != nil {
		return s.fail(err, "migrate (await indexes)")
	}
	return nil
}

// migrationName returns the name of the constraint or index a migration
// creates, or drops (drop).
func migrationName(q string) (name string, drop bool) {
	f := strings.Fields(q) // CREATE [TEXT|FULLTEXT] CONSTRAINT|INDEX name …, DROP INDEX name …
	if f[0] == "DROP" {
		return f[2], true
	}
	if f[1] == "TEXT" || f[1] == "FULLTEXT" {
		return f[3], false
	}
	return f[2], false
}

// dropPerArticleEvents upgrades a database written before events were
// consolidated: its per-article Event nodes (those without a key) are
// deleted with their links, and the articles that reported them get an
// empty hash, so that importing the corpus again rewrites them as reports
// instead of counting them Unchanged. Until then those articles have no
// events. One query tells there is none, on a current database.
func (s *Store) dropPerArticleEvents(ctx context.Context) error {
	res, err := nj.ExecuteQuery(ctx, s.driver, `RETURN EXISTS { MATCH (ev:Event) WHERE ev.key IS NULL }`, nil,
		nj.EagerResultTransformer, nj.ExecuteQueryWithDatabase(s.db), nj.ExecuteQueryWithWritersRouting())
	if err != nil {
		return s.fail(err, "migrate (per-article events)")
	}
	if len(res.Records) == 0 || res.Records[0].Values[0] != true {
		return nil
	}
	sess := s.driver.NewSession(ctx, nj.SessionConfig{DatabaseName: s.db, AccessMode: nj.AccessModeWrite})
	defer sess.Close(ctx)
	for _, q := range []string{
		`MATCH (ev:Event) WHERE ev.key IS NULL
			CALL { WITH ev MATCH (ev)-[:REPORTED_IN]->(a:Article) SET a.hash = '' } IN TRANSACTIONS OF 10000 ROWS`,
		`MATCH (ev:Event) WHERE ev.key IS NULL CALL { WITH ev DETACH DELETE ev } IN TRANSACTIONS OF 10000 ROWS`,
	} {
		r, err := sess.Run(ctx, q, nil)
		if err == nil {
			_, err = r.Consume(ctx)
		}
		if err != nil {
			return s.fail(err, "migrate (per-article events)")
		}
	}
	return nil
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	_, err := read(ctx, s, func(tx nj.ManagedTransaction) (int, error) {
		r, err := tx.Run(ctx, `RETURN 1`, nil)
		if err != nil {
			return 0, err
		}
		_, err = r.Consume(ctx)
		return 1, err
	})
	if err != nil {
		return s.unavailable(err)
	}
	return nil
}

// Close closes the driver.
func (s *Store) Close() error { return s.driver.Close(context.Background()) }

// deleteAll removes every node and link (not the schema), in transactions
// of 10,000 nodes. For tests.
func (s *Store) deleteAll(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, nj.SessionConfig{DatabaseName: s.db, AccessMode: nj.AccessModeWrite})
	defer sess.Close(ctx)
	r, err := sess.Run(ctx, `MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, nil)
	if err == nil {
		_, err = r.Consume(ctx)
	}
	return s.fail(err, "delete all")
}

// unreachable reports whether err says the server cannot be reached.
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	var ce *nj.ConnectivityError
	if errors.As(err, &ce) {
		return true
	}
	var lim *nj.TransactionExecutionLimit
	if errors.As(err, &lim) {
		for _, e := range lim.Errors {
			if unreachable(e) {
				return true
			}
		}
	}
	var ne *nj.Neo4jError
	if errors.As(err, &ne) {
		switch ne.Code {
		case "Neo.ClientError.Database.DatabaseNotFound", "Neo.TransientError.General.DatabaseUnavailable",
			"Neo.ClientError.Security.Unauthorized", "Neo.ClientError.Security.AuthenticationRateLimit":
			return true
		}
	}
	return false
}

// unavailable wraps err as EUNAVAILABLE, with the message of its last
// cause when the driver gave up after retries.
func (s *Store) unavailable(err error) error {
	if _, ok := err.(*graph.Error); ok {
		return err
	}
	cause := err
	var lim *nj.TransactionExecutionLimit
	if errors.As(err, &lim) && len(lim.Errors) > 0 {
		cause = lim.Errors[len(lim.Errors)-1]
	}
	msg := strings.TrimPrefix(cause.Error(), "ConnectivityError: ")
	return &graph.Error{Code: graph.EUNAVAILABLE, Message: fmt.Sprintf("neo4j at %s unreachable: %s", s.uri, msg), Err: err}
}

// fail wraps an error of the database: EUNAVAILABLE when the server cannot
// be reached, EINTERNAL otherwise; a *graph.Error passes through, and a
// cancelled context stays recognisable through errors.Is.
func (s *Store) fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	if unreachable(err) {
		return s.unavailable(err)
	}
	return graph.Wrap(graph.EINTERNAL, err, "neo4j: "+format, args...)
}

func (s *Store) session(ctx context.Context, mode nj.AccessMode) nj.SessionWithContext {
	return s.driver.NewSession(ctx, nj.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// read runs work in a managed read transaction.
func read[T any](ctx context.Context, s *Store, work func(tx nj.ManagedTransaction) (T, error)) (T, error) {
	sess := s.session(ctx, nj.AccessModeRead)
	defer sess.Close(ctx)
	return nj.ExecuteRead(ctx, sess, work)
}

// write runs work in a managed write transaction.
func write[T any](ctx context.Context, s *Store, work func(tx nj.ManagedTransaction) (T, error)) (T, error) {
	sess := s.session(ctx, nj.AccessModeWrite)
	defer sess.Close(ctx)
	return nj.ExecuteWrite(ctx, sess, work)
}

// run runs one query in tx and returns its records.
func run(ctx context.Context, tx nj.ManagedTransaction, q string, params map[string]any) ([]*nj.Record, error) {
	r, err := tx.Run(ctx, q, params)
	if err != nil {
		return nil, err
	}
	return r.Collect(ctx)
}

// exec runs one query in tx for its effect.
func exec(ctx context.Context, tx nj.ManagedTransaction, q string, params map[string]any) error {
	r, err := tx.Run(ctx, q, params)
	if err != nil {
		return err
	}
	_, err = r.Consume(ctx)
	return err
}

// Value helpers: the driver gives int64, float64, string, []any, map[string]any or nil.

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func flt(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func errf(code, format string, args ...any) error { return graph.Errorf(code, format, args...) }
