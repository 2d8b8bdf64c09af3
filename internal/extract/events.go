package extract

import (
	"sort"
	"strings"

	"github.com/defgraph/defgraph/graph"
)

// clauseBreaks are words that open a new clause inside a sentence: an
// event's actors, roles and date are looked for in its own clause only.
var clauseBreaks = map[string]bool{"حيث": true, "بينما": true, "فيما": true, "كما": true,
	"while": true, "whereas": true, "meanwhile": true, "tandis": true, "alors": true}

// actor is a country or organization that can take part in an event.
type actor struct {
	tok, end int
	key      string
	country  string
	org      bool
	dual     bool
	place    bool // a place standing for its country as host
	person   bool // a person speaking for the country
}

type cand struct {
	ev       graph.Event
	explicit map[string]bool // participant key → role came from a cue
	sentence int
	subjSpan *Span
}

// events is the component that reads events: per clause, the event types
// its triggers and subjects (an exercise, an exhibition) name, the actors
// around them with the roles their cues give, the nearest date (else the
// edition year), and the sentence as evidence. Events without a subject
// need two countries; the same occurrence stated twice is merged.
func events(d *Doc) {
	var cands []cand
	ctx := &evContext{last: map[graph.EventType]*cand{}, seen: map[graph.EventType]bool{}}
	for si, sent := range d.Sentences {
		if sent.TokEnd <= sent.Tok {
			continue
		}
		// clause boundaries
		starts := []int{sent.Tok}
		for t := sent.Tok + 1; t < sent.TokEnd; t++ {
			if clauseBreaks[d.Tokens[t].Norm] || strings.ContainsAny(d.gapText(t-1, t), ";؛") || d.whereClause(t) {
				starts = append(starts, t)
			}
		}
		starts = append(starts, sent.TokEnd)
		for c := 0; c+1 < len(starts); c++ {
			got := d.clauseEvents(ctx, si, starts[c], starts[c+1])
			for i := range got {
				g := got[i]
				if g.ev.Subject != "" {
					ctx.last[g.ev.Type] = &g
					if g.ev.Type == graph.EventExercise || g.ev.Type == graph.EventExhibition {
						ctx.subj = &g
					}
				}
				ctx.any = &g
				ctx.seen[g.ev.Type] = true
				if g.ev.Type == graph.EventArmsTransfer {
					ctx.transfer = &g
				}
			}
			cands = append(cands, got...)
			ctx.all = cands
		}
	}
	d.Events = mergeEvents(d, cands)
	d.refineEvents()
	// a role a type does not allow never leaves the extractor
	out := d.Events[:0]
	for _, ev := range d.Events {
		ps := ev.Participants[:0]
		for _, p := range ev.Participants {
			if roleOK(ev.Type, p.Role) {
				ps = append(ps, p)
			}
		}
		ev.Participants = ps
		if len(ps) > 0 {
			out = append(out, ev)
		}
	}
	d.Events = out
}

func roleOK(t graph.EventType, r graph.Role) bool {
	for _, x := range graph.Roles[t] {
		if x == r {
			return true
		}
	}
	return false
}

// refineEvents completes the events of an exercise or exhibition from
// what the article and the gazetteer say: the usual host when the text
// names no host (an exhibition is always hosted by its country), and a
// precise date for an event dated only by its edition year (the first
// date of that year in a sentence about the same subject).
func (d *Doc) refineEvents() {
	for i := range d.Events {
		ev := &d.Events[i]
		if ev.Subject == "" || (ev.Type != graph.EventExercise && ev.Type != graph.EventExhibition) {
			continue
		}
		in := d.x.gaz.entities[ev.Subject]
		if in == nil {
			continue
		}
		hasHost := false
		for _, p := range ev.Participants {
			if p.Role == graph.RoleHost {
				hasHost = true
			}
		}
		if !hasHost && in.Host != "" && d.counts[in.Host] > 0 {
			found := false
			for j, p := range ev.Participants {
				if d.participantCountry(p.Entity) == in.Host {
					found = true
					if p.Role == graph.RoleParticipant || p.Role == graph.RoleExhibitor || p.Role == graph.RoleVisitor {
						ev.Participants[j].Role = graph.RoleHost
					}
				}
			}
			// an exhibition is held at home; an exercise whose text lists
			// several nations but no host is held at its usual host's
			if !found && (ev.Type == graph.EventExhibition || len(ev.Participants) >= 2) {
				ev.Participants = append(ev.Participants, graph.Participant{Entity: in.Host, Role: graph.RoleHost})
			}
		}
		if len(ev.Date) <= 4 {
			if v := d.subjectDate(ev.Subject, ev.Edition, ev.Date); v != "" {
				ev.Date = v
			}
		}
		// "closed on 14 February … Opened on 10 February": an event is
		// dated by its start
		if v := d.startDate(ev.Type, ev.Subject, ev.Date); v != "" {
			ev.Date = v
		}
	}
	d.otherSide()
	// an exercise or exhibition named once, in passing, with no date at
	// all ("Moroccan units had already worked with it during African
	// Lion", "comme « Desert Flag » aux Émirats") is background, not an
	// occurrence the article reports
	named := map[string]int{}
	for _, s := range d.Spans {
		if (s.Type == graph.Exercise || s.Type == graph.Exhibition) && !s.Nested {
			named[s.Key]++
		}
	}
	out := d.Events[:0]
	for _, ev := range d.Events {
		if ev.Subject != "" && ev.Date == "" && named[ev.Subject] <= 1 {
			continue
		}
		out = append(out, ev)
	}
	d.Events = out
}

// otherSide completes the other editions of a bilateral exercise: when the
// article's main edition of a subject has exactly two countries and
// another edition names only one of them (its host: "the previous edition
// was held in India"), the other country took part in it too.
func (d *Doc) otherSide() {
	main := map[string]int{} // subject → index of its edition with most countries
	for i, ev := range d.Events {
		if ev.Type != graph.EventExercise || ev.Subject == "" {
			continue
		}
		if j, ok := main[ev.Subject]; !ok || len(d.Events[j].Participants) < len(ev.Participants) {
			main[ev.Subject] = i
		}
	}
	for i := range d.Events {
		ev := &d.Events[i]
		j, ok := main[ev.Subject]
		if !ok || j == i || ev.Type != graph.EventExercise {
			continue
		}
		pair := map[string]bool{}
		for _, p := range d.Events[j].Participants {
			pair[d.participantCountry(p.Entity)] = true
		}
		own := map[string]bool{}
		for _, p := range ev.Participants {
			own[d.participantCountry(p.Entity)] = true
		}
		if len(pair) != 2 || len(own) != 1 {
			continue
		}
		for c := range own {
			if !pair[c] {
				own = nil
			}
		}
		if own == nil || ev.Participants[0].Role != graph.RoleHost {
			continue
		}
		for c := range pair {
			if !own[c] {
				ev.Participants = append(ev.Participants, graph.Participant{Entity: c, Role: graph.RoleParticipant})
			}
		}
	}
}

// startWords say an event begins ("began", "opened", "انطلقت", "a débuté").
var startWords = map[string]bool{"began": true, "begun": true, "begins": true, "started": true, "starts": true,
	"commenced": true, "commences": true, "opened": true, "opens": true, "kicked": true, "launched": true,
	"debute": true, "commence": true, "ouvert": true, "ouverte": true, "lance": true, "lancee": true, "demarre": true,
	"انطلق": true, "انطلقت": true, "انطلاق": true, "بدا": true, "بدات": true, "بدء": true, "افتتح": true,
	"افتتحت": true, "افتتاح": true, "تنطلق": true, "ينطلق": true}

// startDate returns the day an event of that subject began when a sentence
// about it says so ("The exercise had begun on 26 October", "Opened on 10
// February by…", "انطلقت يوم 14 أبريل"): a date of the same year as the
// event's, up to four words from a start word, in a sentence naming the
// subject or its kind of event and no other exercise or exhibition; "" if
// none is earlier or more precise than the date known.
func (d *Doc) startDate(t graph.EventType, subject, date string) string {
	if len(date) < 4 {
		return ""
	}
	best := ""
	for _, dt := range d.Dates {
		if len(dt.Value) <= 4 || dt.Value[:4] != date[:4] || dt.Tok >= len(d.Tokens) {
			continue
		}
		if !(len(dt.Value) > len(date) && strings.HasPrefix(dt.Value, date)) && !(dt.Value < date && !strings.HasPrefix(date, dt.Value)) {
			continue
		}
		near := false
		for k := max(dt.Tok-4, 0); k < dt.TokEnd+3 && k < len(d.Tokens); k++ {
			if d.Tokens[k].Sent == d.Tokens[dt.Tok].Sent && d.tokIs(k, startWords) {
				near = true
				break
			}
		}
		if !near || !d.sentenceAbout(d.Tokens[dt.Tok].Sent, t, subject) {
			continue
		}
		if best == "" || dt.Value < best {
			best = dt.Value
		}
	}
	return best
}

// sentenceAbout reports whether sentence si names the subject first, or an
// event of type t and no exercise or exhibition at all.
func (d *Doc) sentenceAbout(si int, t graph.EventType, subject string) bool {
	if d.sentSubj == nil {
		d.sentSubj = make([]string, len(d.Sentences))
		d.sentTypes = make([]map[graph.EventType]bool, len(d.Sentences))
		for _, s := range d.Spans {
			if (s.Type == graph.Exercise || s.Type == graph.Exhibition) && !s.Nested && s.Tok < len(d.Tokens) {
				if k := d.Tokens[s.Tok].Sent; d.sentSubj[k] == "" {
					d.sentSubj[k] = s.Key
				}
			}
		}
		for _, c := range d.Cues {
			if c.Event != "" && c.Tok < len(d.Tokens) {
				k := d.Tokens[c.Tok].Sent
				if d.sentTypes[k] == nil {
					d.sentTypes[k] = map[graph.EventType]bool{}
				}
				d.sentTypes[k][c.Event] = true
			}
		}
	}
	if d.sentSubj[si] != "" {
		return d.sentSubj[si] == subject
	}
	return d.sentTypes[si][t]
}

// subjectDate returns the first day or month date, compatible with the
// edition, written in a sentence that names the subject or its kind of
// event ("the exercise began on 13 May").
func (d *Doc) subjectDate(subject string, edition int, date string) string {
	want := date
	if edition > 0 {
		want = itoa(edition)
	}
	if want == "" {
		return ""
	}
	sents := map[int]bool{}
	for _, s := range d.Spans {
		if s.Key == subject && s.Tok < len(d.Tokens) && (edition == 0 || s.Year == 0 || s.Year == edition) {
			sents[d.Tokens[s.Tok].Sent] = true
		}
	}
	other := map[int]bool{} // sentences naming another exercise or exhibition
	for _, s := range d.Spans {
		if (s.Type == graph.Exercise || s.Type == graph.Exhibition) && s.Key != subject && s.Tok < len(d.Tokens) {
			other[d.Tokens[s.Tok].Sent] = true
		}
	}
	for _, c := range d.Cues {
		if (c.Event == graph.EventExercise || c.Event == graph.EventExhibition) && c.Tok < len(d.Tokens) && !other[d.Tokens[c.Tok].Sent] {
			sents[d.Tokens[c.Tok].Sent] = true
		}
	}
	for _, dt := range d.Dates {
		if dt.YearOnly || len(dt.Value) <= 4 || !strings.HasPrefix(dt.Value, want) || dt.Tok >= len(d.Tokens) {
			continue
		}
		if d.tokIs(dt.Tok-1, sinceWords) {
			continue
		}
		if sents[d.Tokens[dt.Tok].Sent] {
			return dt.Value
		}
	}
	return ""
}

// evContext remembers the latest events, so that a clause that speaks of
// "the exercise", "le salon", "هذا التمرين", or only adds participants
// ("including Saudi Arabia and China"), continues the event it refers to.
type evContext struct {
	last     map[graph.EventType]*cand // latest event with a subject, per type
	any      *cand                     // latest event
	subj     *cand                     // latest exercise or exhibition with a subject
	seen     map[graph.EventType]bool  // types of the events read so far
	tour     *tour                     // the latest visit to several hosts
	transfer *cand                     // the latest arms transfer
	all      []cand                    // the events read so far
}

// demonstratives point back to something already said ("cette livraison",
// "this deal", "هذه الصفقة").
var demonstratives = map[string]bool{"this": true, "that": true, "these": true, "those": true, "cette": true,
	"ce": true, "cet": true, "ces": true, "هذه": true, "هذا": true, "تلك": true, "ذلك": true, "هاته": true, "هذي": true}

var contractWords = map[string]bool{"contract": true, "contracts": true, "contrat": true, "contrats": true,
	"عقد": true, "عقدا": true, "صفقه": true, "commande": true, "order": true, "deal": true}

// receptionWords receive a guest ("استقبل", "received", "a reçu"): the
// guest's side visits the host's.
var receptionWords = map[string]bool{"استقبل": true, "استقبلت": true, "يستقبل": true, "تستقبل": true,
	"استقبله": true, "استقبلها": true, "استقبلهم": true, "received": true, "receives": true, "welcomed": true,
	"recu": true, "recue": true, "recus": true, "recues": true, "recoit": true, "recevra": true}

// periodWords join the two ends of a period ("from 2020 to 2030", "من 2020
// إلى 2030", "de 2020 à 2030").
var periodWords = map[string]bool{"to": true, "until": true, "till": true, "through": true, "الي": true,
	"حتى": true, "a": true, "au": true, "jusqu": true}

// periodEnd reports whether date k is the end of a period whose start was
// just given ("2020 to 2030"): a period's end is not when something happened.
func (d *Doc) periodEnd(k int) bool {
	dt := d.Dates[k]
	if !dt.YearOnly || k == 0 || !d.tokIs(dt.Tok-1, periodWords) {
		return false
	}
	p := d.Dates[k-1]
	return p.TokEnd == dt.Tok-1 || p.TokEnd == dt.Tok-2 && d.tokIs(dt.Tok-2, periodWords)
}

// frameWords put an event in the frame of an agreement ("dans le cadre
// d'un accord", "under the agreement", "في إطار", "بموجب").
var frameWords = map[string]bool{"cadre": true, "under": true, "framework": true, "اطار": true, "بموجب": true}

// topicWords make the countries after them a topic ("la situation en
// Libye", "the war in Ukraine").
var topicWords = map[string]bool{"situation": true, "crise": true, "crisis": true, "conflit": true,
	"conflict": true, "guerre": true, "war": true, "وضع": true, "اوضاع": true, "ازمه": true, "حرب": true,
	"نزاع": true, "صراع": true}

// possessives before "accord" make it a consent ("son accord").
var possessives = map[string]bool{"son": true, "sa": true, "leur": true, "notre": true, "its": true, "their": true}

// companyWords name a country's firms ("plusieurs dizaines d'entreprises",
// "Chinese companies", "شركات صينية").
var companyWords = map[string]bool{"entreprises": true, "societes": true, "industriels": true, "exposants": true,
	"companies": true, "firms": true, "exhibitors": true, "manufacturers": true, "شركات": true, "عارضين": true,
	"عارضون": true, "عارض": true}

// draftWords make an agreement a draft ("projet d'accord", "draft
// agreement", "مشروع اتفاقية").
var draftWords = map[string]bool{"projet": true, "projets": true, "draft": true, "مشروع": true, "مسوده": true}

var sinceWords = map[string]bool{"since": true, "depuis": true, "منذ": true}

func (d *Doc) clauseEvents(ctx *evContext, si, a, b int) []cand {
	in := func(tok, end int) bool { return tok >= a && end <= b }
	types := map[graph.EventType]bool{}
	var triggers []Cue
	var roleCues []Cue
	for _, c := range d.Cues {
		if !in(c.Tok, c.TokEnd) {
			continue
		}
		if c.Event != "" {
			types[c.Event] = true
			triggers = append(triggers, c)
		}
		if c.Role != "" {
			roleCues = append(roleCues, c)
		}
	}
	var subjects []*Span
	var actors []actor
	excluded := map[graph.EntityType]bool{}
	negated := func(tok int) bool {
		for k := tok - 1; k >= a && k >= tok-3; k-- {
			if negWords[d.Tokens[k].Norm] {
				return true
			}
		}
		return false
	}
	for i := range d.Spans {
		s := &d.Spans[i]
		if !in(s.Tok, s.TokEnd) {
			continue
		}
		switch {
		case (s.Type == graph.Exercise || s.Type == graph.Exhibition) && !s.Nested && d.excludedFrom(s.Tok):
			// "exclues d'Eurosatory", "barred from IDEX": not there, and
			// "le salon" beside it is that one
			excluded[s.Type] = true
		case (s.Type == graph.Exercise || s.Type == graph.Exhibition) && !s.Nested:
			subjects = append(subjects, s)
			if s.Type == graph.Exercise {
				types[graph.EventExercise] = true
			} else {
				types[graph.EventExhibition] = true
			}
		case s.Type == graph.Country && !s.Nested && s.Key != "":
			actors = append(actors, actor{tok: s.Tok, end: s.TokEnd, key: s.Key, country: s.Key, person: s.Kind == KindPerson})
		case s.Type == graph.Place && !s.Nested && s.Country != "" && d.locativeSpan(s) && !d.notVenue(s.Tok):
			// "in Abu Dhabi", "بأكادير": the event is held in that country
			actors = append(actors, actor{tok: s.Tok, end: s.TokEnd, key: s.Country, country: s.Country, place: true})
		case s.Type == graph.Organization && s.Kind == KindOrg && !s.Nested && s.Country != "":
			actors = append(actors, actor{tok: s.Tok, end: s.TokEnd, key: s.Key, country: s.Country, org: true})
		case s.Kind == KindDual && len(d.MainCountries) >= 2:
			for _, k := range d.MainCountries[:2] {
				actors = append(actors, actor{tok: s.Tok, end: s.TokEnd, key: k, country: k, dual: true})
			}
		}
	}
	// "la situation au Sahel, en Libye", "the war in Ukraine", "الوضع
	// في ليبيا": a country spoken about, not an actor
	topic := func(ac actor) bool {
		if ac.org || ac.person {
			return false
		}
		for k := ac.tok - 1; k >= a && k >= ac.tok-5; k-- {
			if d.tokIs(k, topicWords) {
				return true
			}
		}
		return false
	}
	kept := actors[:0]
	for _, ac := range actors {
		if !negated(ac.tok) && !topic(ac) {
			kept = append(kept, ac)
		}
	}
	actors = kept
	if len(actors) == 0 {
		return nil
	}
	inherit := map[graph.EventType]*cand{}
	// "the previous edition was held in India", "l'édition précédente",
	// "النسخة الماضية": an edition of the latest exercise or exhibition
	// named, the same one or, when its date differs, another
	edRef := -1
	if len(subjects) == 0 && ctx.subj != nil && si-ctx.subj.sentence <= 6 {
		for t := a; t < b; t++ {
			if d.editionWordAt(t) {
				edRef = t
				break
			}
		}
		if st := ctx.subj.ev.Type; edRef >= 0 && (len(types) == 0 || types[st] || !types[graph.EventExercise] && !types[graph.EventExhibition]) {
			types[st] = true
			inherit[st] = ctx.subj
		} else {
			edRef = -1
		}
	}
	// a clause with participation cues but no event word continues the
	// event of the sentence before
	if len(types) == 0 && ctx.any != nil && si-ctx.any.sentence <= 1 {
		for _, c := range roleCues {
			if c.Role == "part" || c.Role == "observer" || c.Role == "organizer" || c.Role == "host" || c.Role == "exhibitor" {
				types[ctx.any.ev.Type] = true
				inherit[ctx.any.ev.Type] = ctx.any
				break
			}
		}
	}
	// a later clause that lists participants, observers or exhibitors
	// ("with the participation of X, Y and Z", "observers from A and B")
	// continues the latest exercise or exhibition named
	if len(types) == 0 && ctx.subj != nil && si-ctx.subj.sentence <= 4 {
		cue := false
		for _, c := range roleCues {
			if c.Role == "part" || c.Role == "observer" || c.Role == "exhibitor" || c.Role == "organizer" {
				cue = true
				break
			}
		}
		// "tandis que la Chine faisait son retour avec plusieurs dizaines
		// d'entreprises": a country's companies right after a show are
		// its exhibitors
		if !cue && ctx.subj.ev.Type == graph.EventExhibition && si-ctx.subj.sentence <= 1 {
			for t := a; t < b && !cue; t++ {
				cue = d.tokIs(t, companyWords)
			}
		}
		if cue || d.longestList(actors) >= 3 {
			types[ctx.subj.ev.Type] = true
			inherit[ctx.subj.ev.Type] = ctx.subj
		}
	}
	// "since 2005", "منذ 2018", "depuis 2004": a history, not an occurrence;
	// so is the founding of a series ("launched in 2007", "first held in
	// 2001", "créé en 1998") when only a year is given
	for _, dt := range d.Dates {
		if dt.Tok > a && dt.Tok < b && dt.YearOnly && d.tokIs(dt.Tok-1, sinceWords) {
			return nil
		}
	}
	if d.foundingClause(a, b) {
		return nil
	}

	// "Cette livraison intervient dans un contexte…", "this deal": a
	// visit, agreement, transfer or meeting named only with a
	// demonstrative is the one already read, not a new occurrence
	for t := range types {
		if t == graph.EventExercise || t == graph.EventExhibition || !ctx.seen[t] || inherit[t] != nil {
			continue
		}
		back := true
		for _, c := range triggers {
			if c.Event == t && !d.tokIs(c.Tok-1, demonstratives) && !d.tokIs(c.Tok, demonstratives) {
				back = false
				break
			}
		}
		if back {
			delete(types, t)
		}
	}
	for _, s := range subjects {
		delete(excluded, s.Type)
	}
	if excluded[graph.Exercise] {
		delete(types, graph.EventExercise)
	}
	if excluded[graph.Exhibition] {
		delete(types, graph.EventExhibition)
	}
	if len(types) == 0 {
		return nil
	}
	// "a acquis ces dernières années des hélicoptères", "in recent
	// years", "خلال السنوات الأخيرة": a habit over years, not one
	// occurrence, unless the clause dates one
	if d.phraseIn(a, b, recentYearsPhrases) {
		dated := false
		for _, dt := range d.Dates {
			dated = dated || dt.Tok >= a && dt.TokEnd <= b
		}
		if !dated {
			return nil
		}
	}
	// a visit to an exhibition or an exercise is a role there, not a VISIT;
	// drills at an exercise are not a TRAINING.
	if types[graph.EventExhibition] || types[graph.EventExercise] {
		delete(types, graph.EventVisit)
		delete(types, graph.EventMeeting)
	}
	if types[graph.EventExercise] {
		delete(types, graph.EventTraining)
	}
	// A VISIT read only from reception words ("received", "a reçu",
	// "استقبل") is no visit when the clause also says what was received:
	// equipment ("received the first six helicopters", "a reçu ses Rafale")
	// is a delivery, talks ("a reçu le général en séance de travail") a
	// MEETING.
	if types[graph.EventVisit] && (types[graph.EventArmsTransfer] || types[graph.EventMeeting]) {
		only := true
		for _, c := range triggers {
			if c.Event == graph.EventVisit && !d.tokIs(c.Tok, receptionWords) && !(c.Tok > 0 && d.tokIs(c.TokEnd-1, receptionWords)) {
				only = false
			}
		}
		if only {
			delete(types, graph.EventVisit)
		}
	}
	// "un projet d'accord", "a draft agreement", "مشروع اتفاقية": an
	// agreement still being discussed is not one signed
	if types[graph.EventAgreement] {
		draft := true
		for _, c := range triggers {
			if c.Event != graph.EventAgreement {
				continue
			}
			k := c.Tok - 1
			for k >= a && (d.tokIs(k, gapWords) || d.Tokens[k].Norm == "d") && k >= c.Tok-2 {
				k--
			}
			// "a donné son accord de principe", "gave its approval": consent,
			// not a treaty
			consent := d.tokIs(c.Tok-1, possessives) || d.tokNorm(c.TokEnd) == "de" && d.tokNorm(c.TokEnd+1) == "principe" ||
				d.tokNorm(c.TokEnd) == "in" && d.tokNorm(c.TokEnd+1) == "principle"
			if !consent && (k < a || !d.tokIs(k, draftWords)) {
				draft = false
			}
		}
		if draft {
			delete(types, graph.EventAgreement)
		}
	}
	// "signed a memorandum … covering training, exercises and industrial
	// partnerships": what an agreement covers is not another event
	if types[graph.EventAgreement] {
		first := -1
		for _, c := range triggers {
			if c.Event == graph.EventAgreement && (first < 0 || c.Tok < first) {
				first = c.Tok
			}
		}
		for _, t := range []graph.EventType{graph.EventTraining, graph.EventIndustry, graph.EventMeeting, graph.EventExercise} {
			if !types[t] || (t == graph.EventExercise && len(subjects) > 0) {
				continue
			}
			after := true
			for _, c := range triggers {
				if c.Event == t && c.Tok < first {
					after = false
				}
			}
			if after {
				delete(types, t)
			}
		}
	}
	// "l'achat de 26 Rafale … dans le cadre d'un accord
	// intergouvernemental", "under an agreement", "في إطار اتفاقية": the
	// agreement is the frame of the event the clause reports, not another
	if types[graph.EventAgreement] && len(types) > 1 {
		// (its first trigger is framed: "accord … signé avec" is one)
		first := -1
		for _, c := range triggers {
			if c.Event == graph.EventAgreement && (first < 0 || c.Tok < first) {
				first = c.Tok
			}
		}
		framed := false
		for k := first - 1; k >= a && k >= first-4; k-- {
			framed = framed || d.tokIs(k, frameWords)
		}
		if framed {
			delete(types, graph.EventAgreement)
		}
	}
	// "signed a contract for 26 Rafale": a purchase, not an agreement
	if types[graph.EventArmsTransfer] && types[graph.EventAgreement] {
		for _, c := range triggers {
			if c.Event == graph.EventArmsTransfer && contractWords[d.Tokens[c.Tok].Norm] {
				delete(types, graph.EventAgreement)
				break
			}
		}
	}
	var out []cand
	for _, t := range graph.EventTypes {
		if !types[t] {
			continue
		}
		ev := graph.Event{Type: t}
		var subj *Span
		anchors := []int{}
		for _, s := range subjects {
			if (t == graph.EventExercise && s.Type == graph.Exercise) || (t == graph.EventExhibition && s.Type == graph.Exhibition) {
				if subj == nil {
					subj = s
				}
				anchors = append(anchors, s.Tok)
			}
		}
		for _, c := range triggers {
			if c.Event == t {
				anchors = append(anchors, c.Tok)
			}
		}
		if edRef >= 0 && inherit[t] != nil {
			anchors = append(anchors, edRef)
		}
		if subj != nil {
			ev.Subject, ev.Edition = subj.Key, subj.Year
		}
		var prev *cand
		if subj == nil {
			if p := inherit[t]; p != nil {
				prev = p
			} else if p := ctx.last[t]; p != nil {
				prev = p
			}
		}
		// date: the nearest date of the clause, else the edition year
		bestDist := 1 << 30
		for k, dt := range d.Dates {
			if !in(dt.Tok, dt.TokEnd) || d.periodEnd(k) {
				continue
			}
			dist := 1 << 20
			for _, an := range anchors {
				dist = min(dist, abs(dt.Tok-an))
			}
			if dt.YearOnly {
				dist += 2 // a full date beats a bare year at the same distance
			}
			if dist < bestDist {
				bestDist, ev.Date = dist, dt.Value
			}
		}
		// "last year's edition … in March 2023": a more precise date of the
		// clause that agrees with the one chosen refines it
		for _, dt := range d.Dates {
			if in(dt.Tok, dt.TokEnd) && len(dt.Value) > len(ev.Date) && ev.Date != "" && strings.HasPrefix(dt.Value, ev.Date) {
				ev.Date = dt.Value
			}
		}
		if prev != nil && edRef >= 0 && inherit[t] == prev {
			// an edition is always one of the series named last: the same
			// occurrence when the dates agree, another one otherwise; a
			// past edition with no date of its own is left out
			pd := prev.ev.Date
			if prev.ev.Edition > 0 {
				pd = itoa(prev.ev.Edition)
			}
			ev.Subject = prev.ev.Subject
			subj = prev.subjSpan
			if ev.Date == "" {
				if d.pastEdition(edRef) {
					continue
				}
				ev.Date = prev.ev.Date
			}
			if datesCompatible(ev.Date, pd) {
				ev.Edition = prev.ev.Edition
			}
		} else if prev != nil {
			// "the exercise" refers to the last one named, unless its date
			// says it is another occurrence ("the first exercise, in 2021");
			// "l'exercice" / "the exercise" / "التمرين" with a year of its
			// own is another edition of that series ("L'an dernier, la Côte
			// d'Ivoire avait co-organisé l'exercice avec le Ghana")
			pd := prev.ev.Date
			if prev.ev.Edition > 0 {
				pd = itoa(prev.ev.Edition)
			}
			if datesCompatible(ev.Date, pd) {
				ev.Subject, ev.Edition = prev.ev.Subject, prev.ev.Edition
				if ev.Date == "" {
					ev.Date = prev.ev.Date
				}
				subj = prev.subjSpan
			} else if (t == graph.EventExercise || t == graph.EventExhibition) && prev.ev.Subject != "" && len(ev.Date) >= 4 &&
				len(pd) >= 4 && ev.Date[:4] < pd[:4] && d.definiteTrigger(triggers, t) {
				ev.Subject, ev.Edition = prev.ev.Subject, atoiYear(ev.Date[:4])
			}
		}
		// "dans la foulée", "the same day", "en marge du lancement", "على
		// هامش": an event with no date of its own happened when the event
		// just read did
		if ev.Date == "" && ctx.any != nil && ctx.any.ev.Date != "" && si-ctx.any.sentence <= 2 && d.sameTimeClause(a, b) {
			ev.Date = ctx.any.ev.Date
			// (an exercise or exhibition is dated by its start)
			if sj := ctx.any.ev.Subject; sj != "" {
				for _, o := range ctx.all {
					if o.ev.Subject == sj && o.ev.Type == ctx.any.ev.Type && len(o.ev.Date) >= 7 &&
						o.ev.Date[:4] == ev.Date[:4] && (len(ev.Date) < 7 || o.ev.Date < ev.Date) {
						ev.Date = o.ev.Date
					}
				}
				if v := d.startDate(ctx.any.ev.Type, sj, ev.Date); v != "" {
					ev.Date = v
				}
			}
		}
		if ev.Date == "" && ev.Edition > 0 {
			ev.Date = itoa(ev.Edition)
		}
		roles, explicit := d.assignRoles(t, actors, roleCues, a, b)
		countries := map[string]bool{}
		byCountry := map[string]int{}
		for i, ac := range actors {
			r := roles[i]
			if r == "" {
				continue
			}
			cc := ac.country
			if cc == "" {
				cc = ac.key
			}
			countries[cc] = true
			p := graph.Participant{Entity: ac.key, Role: r}
			pExp := explicit[ac.key+"\x00"+string(r)]
			if j, ok := byCountry[cc]; ok {
				old := ev.Participants[j]
				oldExp := explicit[old.Entity+"\x00"+string(old.Role)]
				switch {
				case old.Role == r || !pExp:
					if ac.org && !strings.HasPrefix(old.Entity, "org:") && (pExp || !oldExp) {
						ev.Participants[j] = p
					}
				case !oldExp:
					ev.Participants[j] = p
				default:
					// two cues give one country two roles (Egypt hosts,
					// the Egyptian Armed Forces co-organize): keep both
					if old.Entity != p.Entity {
						ev.Participants = append(ev.Participants, p)
					}
				}
				continue
			}
			byCountry[cc] = len(ev.Participants)
			ev.Participants = append(ev.Participants, p)
		}
		// "…بتونس، حيث وقّع بدوره خارطة طريق مع السلطات التونسية", "where
		// he signed…": a clause opened by "where" that names only the
		// host of a stop of the tour just read is the visitor's doing
		// there, on that stop's day
		if tr := ctx.tour; tr != nil && tr.sent == si && ev.Subject == "" && len(countries) == 1 && whereWords[d.Tokens[a].Norm] {
			for c := range countries {
				if day, ok := tr.days[c]; ok {
					for _, v := range tr.visitors {
						if r := roleFor(t, "part"); r != "" && !countries[d.participantCountry(v)] {
							ev.Participants = append(ev.Participants, graph.Participant{Entity: v, Role: r})
							countries[d.participantCountry(v)] = true
						}
					}
					if ev.Date == "" {
						ev.Date = day
					}
				}
			}
		}
		// "L'Égypte avait été, en février 2015, le premier client du
		// Rafale, avec une commande…": a transfer that names one side
		// only has the other side of the article's latest transfer that
		// side took part in
		if pt := ctx.transfer; t == graph.EventArmsTransfer && pt != nil && len(countries) == 1 {
			var own graph.Role
			for _, p := range ev.Participants {
				own = p.Role
			}
			match := false
			for _, p := range pt.ev.Participants {
				if countries[d.participantCountry(p.Entity)] && p.Role == own {
					match = true
				}
			}
			if match {
				for _, p := range pt.ev.Participants {
					if !countries[d.participantCountry(p.Entity)] && p.Role != own {
						ev.Participants = append(ev.Participants, p)
						countries[d.participantCountry(p.Entity)] = true
					}
				}
			}
		}
		if len(ev.Participants) == 0 || (ev.Subject == "" && len(countries) < 2) {
			continue
		}
		// without a subject, an occurrence has a date or an actor a cue
		// binds to it; "the two armies keep training together" is not one.
		if ev.Subject == "" && prev == nil && len(inherit) == 0 {
			nexp := 0
			for _, p := range ev.Participants {
				if explicit[p.Entity+"\x00"+string(p.Role)] {
					nexp++
				}
			}
			// (two persons meeting — "Narendra Modi s'est entretenu avec
			// Emmanuel Macron" — is one occurrence)
			persons := map[string]bool{}
			for i, ac := range actors {
				if ac.person && roles[i] != "" {
					persons[ac.country] = true
				}
			}
			if t == graph.EventMeeting && len(persons) >= 2 && nexp == 0 {
				nexp = 1
			}
			if t == graph.EventTraining && nexp == 0 || ev.Date == "" && nexp == 0 {
				continue
			}
		}
		exp := map[string]bool{}
		nexp := 0
		for _, p := range ev.Participants {
			if explicit[p.Entity+"\x00"+string(p.Role)] {
				exp[p.Entity] = true
				nexp++
			}
		}
		conf := 0.5
		if ev.Subject != "" {
			conf += 0.2
		}
		if ev.Date != "" {
			conf += 0.1
		}
		if nexp > 0 {
			conf += 0.1
		}
		if len(triggers) > 0 {
			conf += 0.05
		}
		ev.Confidence = min(conf, 0.95)
		sent := d.Sentences[si]
		ev.Evidence = graph.Evidence{Text: d.text(sent.Start, sent.End), Start: sent.Start, End: sent.End}
		c := cand{ev: ev, explicit: exp, sentence: si, subjSpan: subj}
		if t == graph.EventVisit && ev.Subject == "" {
			if parts := d.splitTour(ctx, c, actors, roles, a, b); parts != nil {
				out = append(out, parts...)
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// tour is a visit to several hosts read in one sentence: its visitors and
// the day of each stop.
type tour struct {
	sent     int
	visitors []string
	days     map[string]string
}

// whereClause reports whether token t opens a relative clause about the
// place just named: ", où …", ", where …" (the accent tells "où" from
// "ou", or).
func (d *Doc) whereClause(t int) bool {
	tok := d.Tokens[t]
	if tok.Norm != "where" && d.text(tok.Start, tok.End) != "où" {
		return false
	}
	return strings.Contains(d.gapText(t-1, t), ",")
}

// whereWords open a clause about the place just named ("where", "où", "حيث").
var whereWords = map[string]bool{"where": true, "ou": true, "حيث": true}

// splitTour splits a visit with several hosts, each named apart and with
// days of its own ("arrived in Morocco from Algeria, which he visited on
// Thursday, after starting his tour on Wednesday in Tunisia"), into one
// visit per host: each day goes to the nearest host not dated yet, a host
// with no day is left undated (another sentence may date it). It returns
// nil when the visit is not such a tour.
func (d *Doc) splitTour(ctx *evContext, c cand, actors []actor, roles []graph.Role, a, b int) []cand {
	type stop struct {
		country string
		tok     int
		day     string
	}
	var stops []stop
	seen := map[string]bool{}
	for i, ac := range actors {
		if roles[i] != graph.RoleHost || seen[ac.country] {
			continue
		}
		// hosts coordinated with one another are one stop's hosts
		if p := d.prevCoordinated(actors, i); p >= 0 && roles[p] == graph.RoleHost {
			return nil
		}
		seen[ac.country] = true
		stops = append(stops, stop{country: ac.country, tok: ac.tok})
	}
	if len(stops) < 2 {
		return nil
	}
	var days []DateSpan
	for k, dt := range d.Dates {
		if dt.Tok >= a && dt.TokEnd <= b && !dt.YearOnly && !d.periodEnd(k) && !d.tokIs(dt.Tok-1, sinceWords) {
			days = append(days, dt)
		}
	}
	if len(days) < 2 {
		return nil
	}
	for _, dt := range days {
		best, bd := -1, 1<<30
		for j, st := range stops {
			if st.day != "" {
				continue
			}
			if dist := abs(dt.Tok - st.tok); dist < bd {
				best, bd = j, dist
			}
		}
		if best >= 0 {
			stops[best].day = dt.Value
		}
	}
	tr := &tour{sent: c.sentence, days: map[string]string{}}
	var visitors []graph.Participant
	for _, p := range c.ev.Participants {
		if p.Role == graph.RoleVisitor {
			visitors = append(visitors, p)
			tr.visitors = append(tr.visitors, p.Entity)
		}
	}
	if len(visitors) == 0 {
		return nil
	}
	var out []cand
	for _, st := range stops {
		n := c
		n.ev.Date = st.day
		n.ev.Participants = append([]graph.Participant{}, visitors...)
		for _, p := range c.ev.Participants {
			if p.Role == graph.RoleHost && d.participantCountry(p.Entity) == st.country {
				n.ev.Participants = append(n.ev.Participants, p)
			}
		}
		tr.days[st.country] = st.day
		out = append(out, n)
	}
	ctx.tour = tr
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// roleFor maps a cue's role to the role it gives in an event of type t, or
// "" when the cue says nothing about that type.
func roleFor(t graph.EventType, cue string) graph.Role {
	switch cue {
	case "part":
		switch t {
		case graph.EventExercise:
			return graph.RoleParticipant
		case graph.EventExhibition:
			return graph.RoleExhibitor
		case graph.EventTraining:
			return graph.RoleTrainee
		case graph.EventVisit:
			return graph.RoleVisitor
		case graph.EventArmsTransfer:
			return ""
		}
		return graph.RoleParty
	case "visit", "visitor":
		switch t {
		case graph.EventExhibition, graph.EventVisit:
			return graph.RoleVisitor
		case graph.EventExercise:
			return graph.RoleObserver
		}
	case "organizer":
		switch t {
		case graph.EventExercise:
			return graph.RoleOrganizer
		case graph.EventExhibition, graph.EventVisit:
			return graph.RoleHost
		case graph.EventTraining:
			return graph.RoleTrainer
		}
	case "host", "dest":
		switch t {
		case graph.EventExercise, graph.EventExhibition, graph.EventVisit:
			return graph.RoleHost
		case graph.EventArmsTransfer:
			if cue == "dest" {
				return graph.RoleBuyer
			}
		case graph.EventTraining:
			return graph.RoleTrainer
		}
	case "source", "sell":
		if t == graph.EventArmsTransfer {
			return graph.RoleSeller
		}
	case "buy":
		if t == graph.EventArmsTransfer {
			return graph.RoleBuyer
		}
	case "observer":
		switch t {
		case graph.EventExercise:
			return graph.RoleObserver
		case graph.EventExhibition:
			return graph.RoleVisitor
		}
	case "exhibitor":
		if t == graph.EventExhibition {
			return graph.RoleExhibitor
		}
	case "trainer":
		if t == graph.EventTraining {
			return graph.RoleTrainer
		}
	case "trainee":
		if t == graph.EventTraining {
			return graph.RoleTrainee
		}
	}
	return ""
}

var cueOrder = map[string]int{"exhibitor": 0, "dest": 1, "source": 1, "organizer": 2, "host": 3, "observer": 4,
	"trainer": 5, "trainee": 5, "buy": 6, "sell": 6, "visitor": 7, "visit": 8, "part": 9}

// assignRoles gives each actor of a clause its role in an event of type t:
// first the locative ("in Morocco", "بالمغرب" → host), then the cues in
// order of how tightly they bind (pavilion, destination, organizer, host,
// observer, …, participation verbs), each taking the nearest free actor on
// its side; then the type's default role for the rest. It returns the role
// per actor and which actor/role pairs came from a cue.
func (d *Doc) assignRoles(t graph.EventType, actors []actor, cues []Cue, a, b int) ([]graph.Role, map[string]bool) {
	roles := make([]graph.Role, len(actors))
	explicit := map[string]bool{}
	placed := map[string]bool{} // countries a cue gave a role
	var set func(i int, r graph.Role)
	set = func(i int, r graph.Role) {
		// an actor standing for several (the two countries) shares its span
		for j := range actors {
			if actors[j].tok == actors[i].tok && actors[j].end == actors[i].end && roles[j] == "" {
				roles[j] = r
				explicit[actors[j].key+"\x00"+string(r)] = true
				placed[actors[j].country] = true
			}
		}
		// and so do actors coordinated with it ("X and Y", "X وY", "X, Y et Z"),
		// on either side ("Ghana and Côte d'Ivoire co-hosted")
		// (in a visit, a transfer or a training, not one a cue or a
		// locative put on the other side already)
		oneSide := func(k int) bool {
			return (t == graph.EventVisit || t == graph.EventArmsTransfer || t == graph.EventTraining) &&
				placed[actors[k].country] && actors[k].country != actors[i].country
		}
		if n := d.nextCoordinated(actors, i); n >= 0 && roles[n] == "" && !oneSide(n) {
			set(n, r)
		}
		if p := d.prevCoordinated(actors, i); p >= 0 && roles[p] == "" && !oneSide(p) {
			set(p, r)
		}
	}
	// locative host
	for i, ac := range actors {
		if ac.place {
			if t == graph.EventExercise || t == graph.EventExhibition || t == graph.EventVisit || t == graph.EventTraining {
				set(i, roleFor(t, "host"))
			}
			continue
		}
		if ac.org || ac.dual {
			continue
		}
		sp := d.spanAt(ac.tok, ac.end)
		if sp == nil || (sp.Kind != KindName && sp.Kind != KindCapital && sp.Kind != KindKingdom) {
			continue
		}
		loc := ac.tok > a && d.locBefore(ac.tok) || sp.Clitic == "ب" || sp.Clitic == "وب"
		if !loc || d.notVenue(ac.tok) {
			continue
		}
		if r := roleFor(t, "host"); r != "" && t != graph.EventArmsTransfer {
			set(i, r)
		}
	}
	sort.SliceStable(cues, func(i, j int) bool { return cueOrder[cues[i].Role] < cueOrder[cues[j].Role] })
	arabic := d.Lang == "ar"
	const far = 1 << 20
	for _, c := range cues {
		r := roleFor(t, c.Role)
		if r == "" {
			continue
		}
		// a visit has one host: once a locative or a cue placed it, a
		// host cue ("استقبل", "received") has nothing left to say
		if t == graph.EventVisit && r == graph.RoleHost {
			hosted := false
			for i := range actors {
				hosted = hosted || roles[i] == graph.RoleHost
			}
			if hosted {
				continue
			}
		}
		// in a visit, a transfer or a training each country has one side:
		// a cue passes over a country another cue already placed
		taken := func(i int) bool {
			if t != graph.EventVisit && t != graph.EventArmsTransfer && t != graph.EventTraining {
				return false
			}
			return placed[actors[i].country]
		}
		// words of an actor already placed, and its locative, do not
		// count in the distance ("la visite au Royaume de la ministre
		// éthiopienne")
		skipped := func(from, to int) int {
			n := 0
			for j, ac := range actors {
				if roles[j] != "" && ac.tok >= from && ac.end <= to && (j == 0 || actors[j-1].tok != ac.tok) {
					n += ac.end - ac.tok
					if ac.tok > from && d.locTok[ac.tok-1] {
						n++
					}
				}
			}
			return n
		}
		after := func(limit int) int {
			best, bd := -1, 1<<30
			for i, ac := range actors {
				if roles[i] != "" || ac.tok < c.TokEnd || taken(i) {
					continue
				}
				dist := ac.tok - c.TokEnd
				if limit < far && dist > limit {
					dist -= skipped(c.TokEnd, ac.tok)
				}
				if dist <= limit && dist < bd {
					best, bd = i, dist
				}
			}
			return best
		}
		before := func(limit int) int {
			best, bd := -1, 1<<30
			for i, ac := range actors {
				if roles[i] != "" || ac.end > c.Tok || taken(i) {
					continue
				}
				if dist := c.Tok - ac.end; dist <= limit && dist < bd {
					best, bd = i, dist
				}
			}
			return best
		}
		pick := -1
		dir := c.Dir
		if dir == "before" && !arabic {
			// "organized every year by X": the agent follows
			for k := c.TokEnd; k < b && k < c.TokEnd+8; k++ {
				if n := d.Tokens[k].Norm; n == "by" || n == "par" {
					dir = "after"
					break
				}
			}
		}
		switch dir {
		case "after":
			pick = after(far)
		case "before":
			pick = before(far)
		case "after-before":
			if pick = after(far); pick < 0 {
				pick = before(far)
			}
		case "before-after":
			if pick = before(far); pick < 0 {
				pick = after(far)
			}
		case "next-before":
			if pick = after(6); pick < 0 {
				pick = before(far)
			}
		case "adj":
			if arabic || d.Lang == "fr" {
				if pick = after(2); pick < 0 {
					pick = before(1)
				}
			} else if pick = before(1); pick < 0 {
				pick = after(2)
			}
		case "adj-after":
			// "to X", "إلى X", "from the United States": the actor right
			// after the preposition, not one a few words on ("تعود إلى تسع
			// دول هي المملكة")
			if c.Role == "dest" || c.Role == "source" {
				pick = after(1)
			} else {
				pick = after(3)
			}
			// the preposition belongs to the first actor after it: when
			// that one has its role already, the cue is spent
			first, fd := -1, 1<<30
			for i, ac := range actors {
				if ac.tok >= c.TokEnd && ac.tok-c.TokEnd < fd {
					first, fd = i, ac.tok-c.TokEnd
				}
			}
			if pick >= 0 && first >= 0 && actors[first].tok < actors[pick].tok {
				pick = -1
			}
		}
		if pick >= 0 {
			set(pick, r)
		}
	}
	// defaults
	has := func(r graph.Role) bool {
		for _, x := range roles {
			if x == r {
				return true
			}
		}
		return false
	}
	first := true
	for i := range actors {
		if roles[i] != "" || actors[i].place {
			continue
		}
		// in a visit, a transfer or a training a country keeps the side
		// it was placed on ("استقبل الأمير خالد … في الرياض": the prince
		// is the host Riyadh already gave Saudi Arabia)
		if t == graph.EventVisit || t == graph.EventArmsTransfer || t == graph.EventTraining {
			var same graph.Role
			for j := range actors {
				if j != i && roles[j] != "" && actors[j].country == actors[i].country {
					same = roles[j]
					break
				}
			}
			if same != "" {
				roles[i] = same
				continue
			}
		}
		var r graph.Role
		switch t {
		case graph.EventExercise:
			r = graph.RoleParticipant
		case graph.EventExhibition:
			r = graph.RoleExhibitor
		case graph.EventVisit:
			if has(graph.RoleVisitor) || !first {
				r = graph.RoleHost
			} else {
				r = graph.RoleVisitor
			}
		case graph.EventArmsTransfer:
			switch {
			case has(graph.RoleBuyer):
				r = graph.RoleSeller
			case has(graph.RoleSeller):
				r = graph.RoleBuyer
			case first:
				r = graph.RoleBuyer
			default:
				r = graph.RoleSeller
			}
		case graph.EventTraining:
			switch {
			case has(graph.RoleTrainer):
				r = graph.RoleTrainee
			case has(graph.RoleTrainee):
				r = graph.RoleTrainer
			case first:
				r = graph.RoleTrainee
			default:
				r = graph.RoleTrainer
			}
		default:
			r = graph.RoleParty
		}
		for j := range actors {
			if actors[j].tok == actors[i].tok && actors[j].end == actors[i].end && roles[j] == "" {
				roles[j] = r
			}
		}
		first = false
	}
	return roles, explicit
}

func (d *Doc) spanAt(tok, end int) *Span {
	for i := range d.Spans {
		if d.Spans[i].Tok == tok && d.Spans[i].TokEnd == end && !d.Spans[i].Nested {
			return &d.Spans[i]
		}
	}
	return nil
}

func datesCompatible(a, b string) bool {
	return a == "" || b == "" || strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

func countrySet(d *Doc, ev graph.Event) string {
	var cs []string
	seen := map[string]bool{}
	for _, p := range ev.Participants {
		c := d.participantCountry(p.Entity)
		if !seen[c] {
			seen[c] = true
			cs = append(cs, c)
		}
	}
	sort.Strings(cs)
	return strings.Join(cs, ",")
}

func (d *Doc) participantCountry(key string) string {
	if !strings.HasPrefix(key, "org:") {
		return key
	}
	if in := d.orgInfo[key]; in != nil && in.Country != "" {
		return in.Country
	}
	if in := d.x.gaz.entities[key]; in != nil && in.Country != "" {
		return in.Country
	}
	return key
}

// mergeEvents merges the statements of one occurrence: same type and
// subject (or, without a subject, the same countries), dates compatible.
// Roles from cues win over default roles; the more precise date wins.
func mergeEvents(d *Doc, cands []cand) []graph.Event {
	var out []cand
	for _, c := range cands {
		merged := false
		for i := range out {
			o := &out[i]
			sameEdition := o.ev.Subject != "" && o.ev.Edition != 0 && o.ev.Edition == c.ev.Edition
			if o.ev.Type != c.ev.Type || (!datesCompatible(o.ev.Date, c.ev.Date) && !sameEdition) {
				continue
			}
			if o.ev.Subject != c.ev.Subject {
				continue
			}
			if o.ev.Subject == "" && countrySet(d, o.ev) != countrySet(d, c.ev) {
				continue
			}
			if o.ev.Subject != "" && o.ev.Edition != 0 && c.ev.Edition != 0 && o.ev.Edition != c.ev.Edition {
				continue
			}
			mergeInto(d, o, c)
			merged = true
			break
		}
		if !merged {
			out = append(out, c)
		}
	}
	evs := make([]graph.Event, 0, len(out))
	for _, c := range out {
		evs = append(evs, c.ev)
	}
	return evs
}

func mergeInto(d *Doc, o *cand, c cand) {
	switch {
	case !datesCompatible(o.ev.Date, c.ev.Date):
		// two days of one edition: the event starts at the earlier
		if c.ev.Date < o.ev.Date {
			o.ev.Date = c.ev.Date
		}
	case len(c.ev.Date) > len(o.ev.Date):
		o.ev.Date = c.ev.Date
	}
	if o.ev.Edition == 0 {
		o.ev.Edition = c.ev.Edition
	}
	idx := map[string]int{}
	for i, p := range o.ev.Participants {
		idx[d.participantCountry(p.Entity)] = i
	}
	for _, p := range c.ev.Participants {
		cc := d.participantCountry(p.Entity)
		i, ok := idx[cc]
		if !ok {
			idx[cc] = len(o.ev.Participants)
			o.ev.Participants = append(o.ev.Participants, p)
			if c.explicit[p.Entity] {
				o.explicit[p.Entity] = true
			}
			continue
		}
		old := o.ev.Participants[i]
		if c.explicit[p.Entity] && !o.explicit[old.Entity] {
			o.ev.Participants[i] = p
			delete(o.explicit, old.Entity)
			o.explicit[p.Entity] = true
		} else if strings.HasPrefix(p.Entity, "org:") && !strings.HasPrefix(old.Entity, "org:") && (c.explicit[p.Entity] || !o.explicit[old.Entity]) {
			o.ev.Participants[i] = graph.Participant{Entity: p.Entity, Role: old.Role}
			if o.explicit[old.Entity] {
				o.explicit[p.Entity] = true
			}
		}
	}
	if c.ev.Confidence > o.ev.Confidence {
		o.ev.Evidence = c.ev.Evidence
	}
	o.ev.Confidence = min(0.95, max(o.ev.Confidence, c.ev.Confidence)+0.05)
}

var coordWords = map[string]bool{"and": true, "et": true, "و": true, "together": true, "with": true, "along": true,
	"as": true, "well": true, "ainsi": true, "que": true, "avec": true, "conjointement": true, "مع": true,
	"رفقه": true, "بمعيه": true, "بشراكه": true, "بتعاون": true, "the": true, "les": true, "la": true, "le": true, "l": true,
	"كل": true, "من": true, "also": true, "then": true,
	// "aux côtés de", "de même que", "ainsi que des", "as well as", "alongside"
	"aux": true, "cotes": true, "meme": true, "des": true, "du": true, "alongside": true, "plus": true,
	"إلى": true, "الى": true, "جانب": true}

// titleWords are the words of a state's style that may stand between two
// coordinated names ("وجمهورية باكستان", "ودولة قطر", "والجمهورية
// الإيطالية", "the Republic of Korea", "le Royaume de…").
var titleWords = map[string]bool{"جمهوريه": true, "مملكه": true, "دوله": true, "سلطنه": true, "اماره": true,
	"republic": true, "kingdom": true, "state": true, "sultanate": true, "republique": true, "royaume": true,
	"etat": true, "sultanat": true, "of": true, "de": true, "du": true}

// prevCoordinated returns the actor that actor i is coordinated with, right
// before it, or -1.
func (d *Doc) prevCoordinated(actors []actor, i int) int {
	best := -1
	for j, ac := range actors {
		if ac.end > actors[i].tok || (best >= 0 && ac.tok <= actors[best].tok) {
			continue
		}
		best = j
	}
	if best >= 0 && d.nextCoordinated(actors, best) == i {
		return best
	}
	return -1
}

// nextCoordinated returns the actor coordinated with actor i, right after it,
// or -1.
func (d *Doc) nextCoordinated(actors []actor, i int) int {
	best := -1
	for j, ac := range actors {
		if ac.tok < actors[i].end || (best >= 0 && ac.tok >= actors[best].tok) {
			continue
		}
		best = j
	}
	if best < 0 {
		return -1
	}
	n := actors[best]
	if n.tok == actors[i].tok {
		return -1
	}
	gap := d.text(d.Tokens[actors[i].end-1].End, d.Tokens[n.tok].Start)
	if strings.ContainsAny(gap, ".;؛:!?") {
		return -1
	}
	for t := actors[i].end; t < n.tok; t++ {
		if !coordWords[d.Tokens[t].Norm] && !d.tokIs(t, titleWords) {
			return -1
		}
	}
	if n.tok == actors[i].end {
		// adjacent: needs a comma or the clitic و
		sp := d.spanAt(n.tok, n.end)
		if !strings.Contains(gap, ",") && !strings.Contains(gap, "،") && (sp == nil || !strings.HasPrefix(sp.Clitic, "و")) {
			return -1
		}
	}
	return best
}

// longestList returns the length of the longest run of coordinated actors
// ("X, Y and Z", "X وY وZ").
func (d *Doc) longestList(actors []actor) int {
	best := 0
	for i := range actors {
		n, j := 1, i
		for k := 0; k < len(actors); k++ {
			nx := d.nextCoordinated(actors, j)
			if nx < 0 {
				break
			}
			n, j = n+1, nx
		}
		best = max(best, n)
	}
	return best
}

// locativeSpan reports whether a span follows a locative preposition (in,
// في, à) or carries the clitic ب.
func (d *Doc) locativeSpan(s *Span) bool {
	if s.Clitic == "ب" || s.Clitic == "وب" || s.Clitic == "فب" {
		return true
	}
	return d.locBefore(s.Tok)
}

// determiners may stand between a locative and its place ("dans le
// Royaume", "in the Kingdom").
var determiners = map[string]bool{"the": true, "le": true, "la": true, "l": true, "les": true}

// locBefore reports whether a locative preposition stands right before
// token tok, or before a determiner right before it, in its sentence.
func (d *Doc) locBefore(tok int) bool {
	k := tok - 1
	if k > 0 && determiners[d.Tokens[k].Norm] {
		k--
	}
	return k >= 0 && d.locTok[k] && d.Tokens[k].Sent == d.Tokens[tok].Sent
}

// editionWords name an edition of an exercise or exhibition.
var editionWords = map[string]bool{"edition": true, "editions": true, "iteration": true, "نسخه": true, "دوره": true}

// pastWords mark an earlier edition.
var pastWords = map[string]bool{"previous": true, "last": true, "first": true, "past": true, "earlier": true,
	"precedente": true, "derniere": true, "premiere": true, "السابقه": true, "الماضيه": true, "الاولى": true,
	"المنصرمه": true, "الفارطه": true, "سابقه": true, "ماضيه": true, "اولى": true}

// editionWordAt reports whether token t is an edition word ("edition",
// "l'édition", "النسخة", "الدورة" but not "دورة تدريبية", a course).
func (d *Doc) editionWordAt(t int) bool {
	if !d.tokIs(t, editionWords) {
		return false
	}
	if d.Tokens[t].Arabic && (strings.HasPrefix(d.tokNorm(t+1), "تدريبي") || strings.HasPrefix(d.tokNorm(t+1), "تكويني")) {
		return false
	}
	return true
}

// pastEdition reports whether the edition word at t is qualified as an
// earlier one ("the previous edition", "last year's edition", "النسخة
// السابقة", "l'édition précédente").
func (d *Doc) pastEdition(t int) bool {
	for k := max(t-3, 0); k <= t+2 && k < len(d.Tokens); k++ {
		if k != t && d.Tokens[k].Sent == d.Tokens[t].Sent && d.tokIs(k, pastWords) {
			return true
		}
	}
	return false
}

// foundingWords tell the start of a series.
var foundingWords = map[string]bool{"launched": true, "founded": true, "created": true, "established": true,
	"inception": true, "first": true, "lance": true, "lancee": true, "cree": true, "creee": true, "fonde": true,
	"fondee": true, "premiere": true, "اطلق": true, "اطلاق": true, "تاسس": true, "تاسيس": true, "انشئ": true, "انشاء": true}

// foundingClause reports whether the clause dates the start of a series
// with a year only ("launched by the Pakistan Navy in 2007", "first held in
// 2001"): its dates are all bare years, and one follows a founding word.
func (d *Doc) foundingClause(a, b int) bool {
	found := false
	for _, dt := range d.Dates {
		if dt.Tok < a || dt.Tok >= b {
			continue
		}
		if !dt.YearOnly {
			return false
		}
		for k := dt.Tok - 1; k >= a && k >= dt.Tok-6; k-- {
			if d.tokIs(k, foundingWords) {
				found = true
			}
		}
	}
	return found
}

// speechWords introduce where something was said ("the Ministry of
// Defence said in New Delhi", "a déclaré à Paris", "قال في الرباط"), and
// alternationWords a series held in turn in several places ("alternately
// in India and France"): the place after them is not where the event is.
var speechWords = map[string]bool{"said": true, "says": true, "told": true, "announced": true, "stated": true,
	"added": true, "declared": true, "statement": true, "declare": true, "indique": true, "annonce": true,
	"affirme": true, "precise": true, "explique": true, "communique": true, "قال": true, "اعلن": true, "صرح": true,
	"اكد": true, "اوضح": true, "افاد": true, "بيان": true,
	"alternately": true, "alternatively": true, "alternativement": true, "tour": true, "بالتناوب": true, "تناوب": true}

// notVenue reports whether the locative before token tok follows a
// speech or alternation word (up to three tokens back in its sentence).
func (d *Doc) notVenue(tok int) bool {
	for k := tok - 1; k >= 0 && k >= tok-4; k-- {
		if d.Tokens[k].Sent != d.Tokens[tok].Sent {
			return false
		}
		if d.tokIs(k, speechWords) {
			return true
		}
	}
	return false
}

// negWords exclude the actor right after them ("sans les industriels
// israéliens", "without Israeli firms", "باستثناء").
var negWords = map[string]bool{"sans": true, "without": true, "except": true, "excluding": true, "sauf": true,
	"hors": true, "باستثناء": true, "بدون": true, "دون": true, "عدا": true,
	"absence": true, "absent": true, "absents": true, "غياب": true}

// definiteTrigger reports whether a trigger of type t in the clause is a
// definite reference to an event already named: "l'exercice", "the
// exercise", "cet exercice", "التمرين".
func (d *Doc) definiteTrigger(triggers []Cue, t graph.EventType) bool {
	for _, c := range triggers {
		if c.Event != t {
			continue
		}
		if d.Tokens[c.Tok].Arabic {
			for _, v := range d.Tokens[c.Tok].variants {
				if v.art {
					return true
				}
			}
			if d.tokIs(c.Tok+1, demonstratives) || d.tokIs(c.Tok-1, demonstratives) {
				return true
			}
			continue
		}
		if n := d.tokNorm(c.Tok - 1); n == "the" || n == "l" || n == "le" || n == "la" || demonstratives[n] {
			return true
		}
	}
	return false
}

// atoiYear reads a four-digit year, or 0.
func atoiYear(s string) int {
	if len(s) != 4 {
		return 0
	}
	y := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		y = y*10 + int(r-'0')
	}
	return y
}

// sameTimePhrases date an event by the one just read: "dans la foulée",
// "the same day", "in the wake of", "on the sidelines of", "en marge du",
// "على هامش", "في اليوم نفسه".
var sameTimePhrases = newPhraseSet([][]string{
	{"dans", "la", "foulee"}, {"le", "meme", "jour"}, {"ce", "meme", "jour"}, {"en", "marge", "du"},
	{"en", "marge", "de"}, {"en", "marge", "des"}, {"a", "cette", "occasion"}, {"a", "l", "occasion", "du"},
	{"the", "same", "day"}, {"that", "same", "day"}, {"in", "the", "wake", "of"}, {"on", "the", "sidelines", "of"},
	{"on", "the", "sidelines"}, {"on", "the", "occasion"},
	{"على", "هامش"}, {"في", "اليوم", "نفسه"}, {"في", "نفس", "اليوم"}, {"في", "اليوم", "ذاته"}, {"بالمناسبه"},
	{"وبالمناسبه"}, {"في", "اعقاب"}, {"عقب"},
})

// sameTimeClause reports whether a same-time phrase opens clause [a, b)
// (within its first words).
func (d *Doc) sameTimeClause(a, b int) bool {
	for t := a; t < b && t < a+4; t++ {
		if d.phraseAt(t, b, sameTimePhrases) > 0 {
			return true
		}
	}
	return false
}

// exclusionWords keep an actor out of the exercise or exhibition after
// them ("exclues d'Eurosatory", "barred from IDEX", "استبعاد … من").
var exclusionWords = map[string]bool{"exclu": true, "exclue": true, "exclus": true, "exclues": true,
	"excluded": true, "banned": true, "barred": true, "interdit": true, "interdits": true, "interdite": true,
	"interdites": true, "absent": true, "absents": true, "absente": true, "absentes": true, "absence": true,
	"boycott": true, "boycotte": true, "boycotted": true, "استبعاد": true, "استبعدت": true, "منع": true,
	"منعت": true, "غياب": true, "مقاطعه": true}

// excludedFrom reports whether an exclusion word stands right before the
// exercise or exhibition at token tok ("exclues d'Eurosatory").
func (d *Doc) excludedFrom(tok int) bool {
	k := tok - 1
	for g := 0; g < 2 && k >= 0 && (d.tokIs(k, gapWords) || d.tokNorm(k) == "from" || d.tokNorm(k) == "من"); g++ {
		k--
	}
	return k >= 0 && d.Tokens[k].Sent == d.Tokens[tok].Sent && d.tokIs(k, exclusionWords)
}

// recentYearsPhrases speak of a span of recent years, not a date.
var recentYearsPhrases = newPhraseSet([][]string{
	{"ces", "dernieres", "annees"}, {"au", "cours", "des", "dernieres", "annees"}, {"au", "fil", "des", "ans"},
	{"depuis", "des", "annees"}, {"in", "recent", "years"}, {"over", "the", "years"}, {"over", "the", "past", "years"},
	{"over", "the", "last", "years"}, {"for", "years"},
	{"السنوات", "الاخيره"}, {"السنوات", "الماضيه"}, {"الاعوام", "الاخيره"}, {"الاعوام", "الماضيه"},
})

// phraseSet is a list of phrases indexed by their first word.
type phraseSet map[string][][]string

func newPhraseSet(phrases [][]string) phraseSet {
	ps := phraseSet{}
	for _, p := range phrases {
		ps[p[0]] = append(ps[p[0]], p)
	}
	return ps
}

// phraseIn reports whether one of the phrases occurs in clause [a, b).
func (d *Doc) phraseIn(a, b int, ps phraseSet) bool {
	for t := a; t < b; t++ {
		if d.phraseAt(t, b, ps) > 0 {
			return true
		}
	}
	return false
}

// phraseAt returns the length of the phrase starting at token t and
// ending before b, or 0.
func (d *Doc) phraseAt(t, b int, ps phraseSet) int {
	tok := d.Tokens[t]
	for vi, v := range tok.variants {
		if vi > 0 && !tok.Arabic {
			break
		}
		for _, p := range ps[v.form] {
			if t+len(p) > b {
				continue
			}
			ok := true
			for k, w := range p[1:] {
				if x := d.Tokens[t+k+1]; x.Norm != w && !(x.Arabic && d.hasVariant(t+k+1, w)) || x.Sent != tok.Sent {
					ok = false
					break
				}
			}
			if ok {
				return len(p)
			}
		}
	}
	return 0
}
