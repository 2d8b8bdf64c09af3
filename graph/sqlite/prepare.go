package sqlite

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/defgraph/defgraph/graph"
)

// prepared is what Write computes of an extraction before its transaction,
// on every core: all that needs nothing stored (validation, content hash,
// merged entities, encoded mentions, folded texts, event keys and encoded
// reports), so that the one writer holding the transaction only runs
// statements.
type prepared struct {
	x        *graph.Extraction
	invalid  error // Validate's error: the item is skipped
	hash     string
	byKey    map[string]graph.Entity
	order    []string
	entities []preparedEntity // in order
	reports  []preparedReport // one per event
	events   int              // distinct report ids (WriteResult.Events)
}

type preparedEntity struct {
	spans string       // encodeSpans of its mentions in text order
	texts []foldedText // its distinct mention texts that fold to something
}

type foldedText struct{ text, folded string }

type preparedReport struct {
	key, id, rid        string // graph.EventKey, graph.ConsolidatedID, graph.EventID
	participants, links string // as stored
	linkList            []graph.ActorLink
}

// prepare fills p from p.x.
func (p *prepared) prepare() {
	x := p.x
	if p.invalid = x.Validate(); p.invalid != nil {
		return
	}
	p.hash = graph.ContentHash(x)
	p.byKey, p.order = x.MergedEntities()
	p.entities = make([]preparedEntity, len(p.order))
	for i, k := range p.order {
		e := p.byKey[k]
		ms := slices.Clone(e.Mentions)
		slices.SortStableFunc(ms, func(a, b graph.Mention) int {
			if a.Start != b.Start {
				return a.Start - b.Start
			}
			return a.End - b.End
		})
		pe := &p.entities[i]
		pe.spans = encodeSpans(ms)
		for _, m := range e.Mentions {
			if slices.ContainsFunc(pe.texts, func(t foldedText) bool { return t.text == m.Text }) {
				continue
			}
			if f := graph.Fold(m.Text); f != "" {
				pe.texts = append(pe.texts, foldedText{m.Text, f})
			}
		}
	}
	p.reports = make([]preparedReport, len(x.Events))
	for i, e := range x.Events {
		r := &p.reports[i]
		r.key = graph.EventKey(e, p.byKey)
		r.id = graph.ConsolidatedID(r.key)
		r.rid = graph.EventID(x.Article.ID, e)
		// A derived country is an organization's country: listed, or given
		// a stub by the writer.
		r.linkList = graph.ActorLinks(e, p.byKey)
		r.links = graph.EncodeLinks(r.linkList)
		r.participants = encodeParticipants(e.Participants)
	}
	p.events = distinctIDs(x.Article.ID, x.Events)
}

// prepareAll prepares items on up to GOMAXPROCS goroutines.
func prepareAll(items []graph.Extraction) []prepared {
	out := make([]prepared, len(items))
	for i := range items {
		out[i].x = &items[i]
	}
	workers := min(runtime.GOMAXPROCS(0), (len(items)+63)/64)
	if workers <= 1 {
		for i := range out {
			out[i].prepare()
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(out) {
					return
				}
				out[i].prepare()
			}
		}()
	}
	wg.Wait()
	return out
}
