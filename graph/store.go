package graph

import "context"

// Store is where the graph lives. Every implementation passes the
// conformance suite in graph/storetest, so that the same corpus gives the
// same answers on every store. All methods are safe for concurrent use.
type Store interface {
	// Write stores each extraction: its article, entities, events and the
	// links between them. It is idempotent per article: writing an article
	// again replaces what that article said before (its reports, evidence and
	// mentions) and leaves the graph exactly as one write leaves it; entities
	// are merged on their key (names and aliases are added, never dropped).
	// A country an organization or place belongs to, when the extraction
	// does not list it, gets a stub Country named by its key until an
	// extraction lists it. Every dated event links to its Date node (named
	// DateName(date)).
	//
	// Each event of an article is a report of an occurrence: reports with
	// the same EventKey, from any articles, are one Event node whose id is
	// ConsolidatedID(key) and whose date, place, participants, confidence
	// and sources are Consolidate(key, reports) — so the graph depends only
	// on the set of stored articles, never on their order. An Event is
	// removed when its last report is.
	//
	// Each item is validated first (see Extraction.Validate): an invalid one
	// is reported in WriteResult.Failed and the valid ones are still written.
	// An error is returned only when the store itself fails.
	Write(ctx context.Context, items []Extraction) (WriteResult, error)

	// Search returns the entities that have a name (in any language, any
	// alias, or any text they were mentioned by) containing q once both are
	// folded (see Fold), best first: exact name, then prefix, then
	// substring, then by number of events. An empty q is EINVALID.
	Search(ctx context.Context, q string, opts SearchOptions) ([]EntitySummary, error)

	// Entity returns one entity with its names and counts, or ENOTFOUND.
	Entity(ctx context.Context, key string) (*EntityDetail, error)

	// Neighbors returns the subgraph around the entity or event key: see
	// NeighborOptions for what one step of depth means. The start node is
	// always in the result. An unknown key is ENOTFOUND; a depth outside
	// 1..MaxDepth is EINVALID.
	Neighbors(ctx context.Context, key string, opts NeighborOptions) (*Subgraph, error)

	// Timeline returns the events in which q.Entity takes part (directly, or
	// through one of its organizations for a country), and q.With too when
	// it is set, ordered by date (undated events last), then by id. Each
	// event carries its participants, subject, date and evidence. An unknown
	// entity is ENOTFOUND.
	Timeline(ctx context.Context, q TimelineQuery) ([]EventDetail, error)

	// ShortestPath returns one shortest path between two entities through
	// events and structural links (not through dates or articles), at most
	// maxDepth edges long (0 means DefaultPathDepth). An unknown key is
	// ENOTFOUND; no path within the bound is ENOTFOUND with a message that
	// says so.
	ShortestPath(ctx context.Context, from, to string, maxDepth int) (*Path, error)

	// Article returns one article with its text, the events it reports and
	// its mentions, or ENOTFOUND.
	Article(ctx context.Context, id string) (*ArticleDetail, error)

	// Stats returns node and link counts.
	Stats(ctx context.Context) (*Stats, error)

	// Ping reports whether the store can be reached (EUNAVAILABLE if not).
	Ping(ctx context.Context) error

	// Close releases the store's resources.
	Close() error
}

// A Preparer is a Store that can do the part of a write that depends on
// the extraction alone (validation, hashing, encoding) ahead of the write,
// on the caller's goroutine, so that a bulk import does it on its
// extraction workers instead of in the one writer.
type Preparer interface {
	Store

	// Prepare works out what WritePrepared needs of x that depends on x
	// alone. It is safe for concurrent use and never fails: an invalid x
	// gives a Prepared that WritePrepared reports in WriteResult.Failed.
	// x must not change until it is written.
	Prepare(x *Extraction) Prepared

	// WritePrepared is Write of the prepared extractions, from this store's
	// Prepare: it does and promises exactly what Write does.
	WritePrepared(ctx context.Context, items []Prepared) (WriteResult, error)
}

// Prepared is an extraction as a Preparer's Prepare left it, opaque to
// others.
type Prepared interface {
	// Extraction returns the extraction prepared.
	Extraction() *Extraction
}

// Limits shared by every store.
const (
	MaxDepth         = 3
	DefaultPathDepth = 8
	DefaultLimit     = 200
)

// WriteResult reports what one Write did.
type WriteResult struct {
	Written   int          `json:"written"`   // articles written (new or changed)
	Unchanged int          `json:"unchanged"` // articles already stored with the same content
	Entities  int          `json:"entities"`  // entity rows merged
	Events    int          `json:"events"`    // events written
	Failed    []ItemFailed `json:"failed,omitempty"`
}

// ItemFailed names an item that was not written and why.
type ItemFailed struct {
	Article string `json:"article"` // article id, or its source when it has none
	Reason  string `json:"reason"`
}

// SearchOptions narrows a search.
type SearchOptions struct {
	Types []EntityType // empty: every type
	Limit int          // 0: 20
}

// EntitySummary is an entity as search results and subgraphs list it.
type EntitySummary struct {
	Key     string            `json:"key"`
	Type    EntityType        `json:"type"`
	Name    string            `json:"name"`
	Names   map[string]string `json:"names,omitempty"`
	Country string            `json:"country,omitempty"`
	Events  int               `json:"events"`
}

// EntityDetail is one entity with every name it is known by and counts.
type EntityDetail struct {
	Entity
	Counts EntityCounts `json:"counts"`
}

// EntityCounts counts what is linked to an entity.
type EntityCounts struct {
	Events   int `json:"events"`   // events it takes part in or is the subject/date/place of
	Articles int `json:"articles"` // articles that mention it
	Mentions int `json:"mentions"` // mentions over all articles
}

// NeighborOptions shapes a neighborhood query.
//
// One step of depth goes from an entity to the events it takes part in (or
// is the subject, place or date of) and on to every other entity of those
// events, plus the entity's structural links (an organization's country, a
// country's organizations and places, a place's country). From an event one
// step reaches its participants, subject, place and date. So depth=1 around
// MAR shows Morocco's events and who took part in them with it.
type NeighborOptions struct {
	Depth      int          // 1..MaxDepth; 0 means 1
	NodeTypes  []EntityType // keep only these entity types (events are always kept); empty: all but Date
	EventTypes []EventType  // keep only events of these types; empty: all
	From, To   string       // keep only events dated within [From, To] (ISO prefixes); undated events are dropped when either is set
	Limit      int          // maximum number of nodes; 0: DefaultLimit. Result.Truncated says when it was reached
}

// Node is a node of a subgraph: an entity, or an event (Kind "event").
type Node struct {
	Key     string            `json:"key"`
	Kind    string            `json:"kind"` // "entity" or "event"
	Type    string            `json:"type"` // EntityType, or EventType for events
	Name    string            `json:"name"`
	Names   map[string]string `json:"names,omitempty"`
	Country string            `json:"country,omitempty"`
	Date    string            `json:"date,omitempty"`    // events only
	Subject string            `json:"subject,omitempty"` // events only
	Sources int               `json:"sources,omitempty"` // events only: independent sources (distinct outlets) reporting it
}

// Link types between nodes, as in Neo4j (see docs/schema.md).
const (
	RelParticipatedIn = "PARTICIPATED_IN" // actor -> event, with Role
	RelAbout          = "ABOUT"           // event -> exercise/exhibition
	RelOnDate         = "ON_DATE"         // event -> date
	RelHeldIn         = "HELD_IN"         // event -> place
	RelPartOf         = "PART_OF"         // organization -> country
	RelLocatedIn      = "LOCATED_IN"      // place -> country
	RelReportedIn     = "REPORTED_IN"     // event -> article
	RelMentions       = "MENTIONS"        // article -> entity
)

// Edge is a directed link of a subgraph. For PARTICIPATED_IN, Role is set
// and Via names the organization through which a country takes part, when
// the text named the organization rather than the country.
type Edge struct {
	Source    string    `json:"source"`
	Target    string    `json:"target"`
	Type      string    `json:"type"`
	Role      Role      `json:"role,omitempty"`
	Via       string    `json:"via,omitempty"`
	EventType EventType `json:"eventType,omitempty"` // for links to an event
	Date      string    `json:"date,omitempty"`      // for links to an event
}

// Subgraph is a set of nodes and the edges among them. Root is the key the
// query started from.
type Subgraph struct {
	Root      string `json:"root,omitempty"`
	Nodes     []Node `json:"nodes"`
	Edges     []Edge `json:"edges"`
	Truncated bool   `json:"truncated,omitempty"`
}

// Path is a shortest path: Nodes in order from the start to the end, and
// the Edges between consecutive nodes (each in its stored direction).
type Path struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// TimelineQuery selects the events of a timeline.
type TimelineQuery struct {
	Entity     string      // required
	With       string      // optional: only events in which this entity takes part too
	EventTypes []EventType // empty: all
	From, To   string      // ISO date prefixes, inclusive; empty: unbounded
	Limit      int         // 0: DefaultLimit
}

// ParticipantDetail is a participant with its entity's name and type.
type ParticipantDetail struct {
	Entity  string     `json:"entity"`
	Type    EntityType `json:"type"`
	Name    string     `json:"name"`
	Country string     `json:"country,omitempty"`
	Role    Role       `json:"role"`
	Via     string     `json:"via,omitempty"` // set on a country's participation derived from its organization
}

// ArticleRef identifies the source of a piece of evidence.
type ArticleRef struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
	Language  string `json:"language,omitempty"`
	Outlet    string `json:"outlet,omitempty"` // Outlet(URL)
}

// EvidenceDetail is an evidence sentence with its article.
type EvidenceDetail struct {
	Evidence
	Article ArticleRef `json:"article"`
}

// EventDetail is an event with everything a timeline shows.
type EventDetail struct {
	ID           string              `json:"id"`
	Type         EventType           `json:"type"`
	Date         string              `json:"date"`
	Subject      *EntitySummary      `json:"subject,omitempty"`
	Edition      int                 `json:"edition,omitempty"`
	Place        *EntitySummary      `json:"place,omitempty"`
	Participants []ParticipantDetail `json:"participants"`
	Evidence     []EvidenceDetail    `json:"evidence"`
	Confidence   float64             `json:"confidence"`
	Sources      int                 `json:"sources"` // independent sources (distinct outlets) reporting it
}

// ArticleDetail is an article with the events it reports, the entities it
// mentions and every mention with its rune offsets into Text, ordered by
// start (then end, then entity key).
type ArticleDetail struct {
	Article
	Events   []EventDetail    `json:"events"`
	Entities []EntitySummary  `json:"entities"`
	Mentions []ArticleMention `json:"mentions"`
}

// ArticleMention is one mention of an entity in an article.
type ArticleMention struct {
	Entity string     `json:"entity"`
	Type   EntityType `json:"type"`
	Mention
}

// Stats counts nodes and links.
type Stats struct {
	Articles int                `json:"articles"`
	Entities map[EntityType]int `json:"entities"`
	Events   map[EventType]int  `json:"events"`
	Links    int                `json:"links"`
}
