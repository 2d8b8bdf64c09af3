// Package graph is the domain of defgraph: the entities, events and articles
// of the defense-cooperation knowledge graph, the Store interface that every
// storage back end implements, the filters its queries take and the error
// kinds they return.
//
// Implementations live in sub-packages named after what they depend on
// (graph/sqlite, graph/neo4j); graph/storetest holds the conformance suite
// that every Store must pass. Nothing in this package talks to a database.
//
// The model (see docs/schema.md for the diagram):
//
//	(Country|Organization)-[:PARTICIPATED_IN {role}]->(Event)
//	(Event)-[:ABOUT]->(Exercise|Exhibition)
//	(Event)-[:ON_DATE]->(Date)
//	(Event)-[:HELD_IN]->(Place)
//	(Event)-[:REPORTED_IN {sentence, start, end}]->(Article)
//	(Article)-[:MENTIONS {count}]->(entity)
//	(Organization)-[:PART_OF]->(Country)
//	(Place)-[:LOCATED_IN]->(Country)
package graph

// EntityType is the label of an entity node.
type EntityType string

// The entity types of extraction-spec §1. Date is a node kind too: every
// event links to the Date node of its (possibly partial) ISO date.
const (
	Country      EntityType = "Country"
	Organization EntityType = "Organization"
	Exhibition   EntityType = "Exhibition"
	Exercise     EntityType = "Exercise"
	Place        EntityType = "Place"
	Date         EntityType = "Date"
)

// EntityTypes lists every entity type in display order.
var EntityTypes = []EntityType{Country, Organization, Exhibition, Exercise, Place, Date}

// Valid reports whether t is one of EntityTypes.
func (t EntityType) Valid() bool {
	for _, v := range EntityTypes {
		if t == v {
			return true
		}
	}
	return false
}

// EventType is the kind of an event (extraction-spec §2).
type EventType string

// The event types of extraction-spec §2.
const (
	EventExercise     EventType = "EXERCISE"
	EventExhibition   EventType = "EXHIBITION"
	EventVisit        EventType = "VISIT"
	EventAgreement    EventType = "AGREEMENT"
	EventArmsTransfer EventType = "ARMS_TRANSFER"
	EventTraining     EventType = "TRAINING"
	EventMeeting      EventType = "MEETING"
	EventIndustry     EventType = "INDUSTRY"
)

// EventTypes lists every event type.
var EventTypes = []EventType{EventExercise, EventExhibition, EventVisit, EventAgreement,
	EventArmsTransfer, EventTraining, EventMeeting, EventIndustry}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Role is the part an actor plays in an event.
type Role string

// Roles of extraction-spec §2.
const (
	RoleHost        Role = "host"
	RoleOrganizer   Role = "organizer"
	RoleParticipant Role = "participant"
	RoleObserver    Role = "observer"
	RoleExhibitor   Role = "exhibitor"
	RoleVisitor     Role = "visitor"
	RoleParty       Role = "party"
	RoleBuyer       Role = "buyer"
	RoleSeller      Role = "seller"
	RoleTrainer     Role = "trainer"
	RoleTrainee     Role = "trainee"
)

// Roles lists, per event type, the roles an actor may hold.
var Roles = map[EventType][]Role{
	EventExercise:     {RoleHost, RoleOrganizer, RoleParticipant, RoleObserver},
	EventExhibition:   {RoleHost, RoleExhibitor, RoleVisitor},
	EventVisit:        {RoleVisitor, RoleHost},
	EventAgreement:    {RoleParty},
	EventArmsTransfer: {RoleBuyer, RoleSeller},
	EventTraining:     {RoleTrainer, RoleTrainee},
	EventMeeting:      {RoleParty},
	EventIndustry:     {RoleParty},
}

// Mention is one place in an article's text where an entity is named.
// Start and End are offsets in Unicode code points (runes) into the article
// text as read; Text is exactly the runes [Start, End).
type Mention struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Entity is a node of the graph other than an event or an article: a
// country, an organization, an exhibition, an exercise, a place or a date.
//
// Key is the canonical key of extraction-spec §1 (MAR, org:PAK:air-force,
// exercise:indus-shield, exhibition:world-defense-show, place:SAU:riyadh,
// 2023-10). Name is the English display name; Names holds the name per
// language code ("ar", "en", "fr"); Aliases holds every other name the
// entity is known by, in any script. Country is the ISO 3166-1 alpha-3 code
// an organization or place belongs to. Year is set, in extraction output
// only, when an edition of an exercise or exhibition is meant; the graph
// keeps one node per recurring exercise or exhibition and records the
// edition on the event.
type Entity struct {
	Key      string            `json:"key"`
	Type     EntityType        `json:"type"`
	Name     string            `json:"name"`
	Names    map[string]string `json:"names,omitempty"`
	Aliases  []string          `json:"aliases,omitempty"`
	Country  string            `json:"country,omitempty"`
	Year     int               `json:"year,omitempty"`
	Mentions []Mention         `json:"mentions,omitempty"`
}

// AllNames returns Name, the per-language names and the aliases, without
// duplicates, in a stable order.
func (e Entity) AllNames() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(e.Name)
	for _, l := range []string{"en", "ar", "fr"} {
		add(e.Names[l])
	}
	for _, n := range sortedValues(e.Names) {
		add(n)
	}
	for _, a := range e.Aliases {
		add(a)
	}
	return out
}

// Participant is an actor of an event: the key of a Country or
// Organization, and its role.
type Participant struct {
	Entity string `json:"entity"`
	Role   Role   `json:"role"`
}

// Evidence is the sentence that states an event: its text and its rune
// offsets into the text of the article it comes from.
type Evidence struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Event is one thing that happened or was announced, as one article
// reports it (extraction-spec §2). Subject is the key of the exercise or
// exhibition it is about, if any; Edition is the year of that edition when
// the text names one; Place is the key of where it happened, if known.
// Date is ISO 8601 at the precision the text gives ("2023", "2023-10",
// "2023-10-12") or empty. ID is filled in by the store: the id of the
// Event node the report belongs to, ConsolidatedID(EventKey(...)).
type Event struct {
	ID           string        `json:"id,omitempty"`
	Type         EventType     `json:"type"`
	Subject      string        `json:"subject,omitempty"`
	Edition      int           `json:"edition,omitempty"`
	Place        string        `json:"place,omitempty"`
	Date         string        `json:"date"`
	Participants []Participant `json:"participants"`
	Evidence     Evidence      `json:"evidence"`
	Confidence   float64       `json:"confidence"`
}

// Article is one source text. ID is "sha256:" and the hex digest of its
// canonical URL when it has one, else of its normalised text (see
// ArticleID). Published is an ISO date or empty; Language is "ar", "en" or
// "fr". Source is where it was read from (a file path or URL).
type Article struct {
	ID        string `json:"id"`
	URL       string `json:"url,omitempty"`
	Title     string `json:"title,omitempty"`
	Language  string `json:"language,omitempty"`
	Published string `json:"published,omitempty"`
	Source    string `json:"source,omitempty"`
	Text      string `json:"text,omitempty"`
}

// Extraction is what the extractor reads out of one article: the JSON
// object `defgraph extract` prints (extraction-spec §3) and the unit a
// Store writes.
type Extraction struct {
	Article  Article  `json:"article"`
	Entities []Entity `json:"entities"`
	Events   []Event  `json:"events"`
}
