package graph

import (
	"math"
	"slices"
	"strconv"
)

// appendExtractionJSON appends x as encoding/json writes it, byte for byte
// (ContentHash's input, which stores keep: it must never change), without
// reflection; hashing leaves out the article's Source and the events' IDs.
// ok is false for what encoding/json refuses (a confidence that is NaN or
// infinite).
func appendExtractionJSON(b []byte, x *Extraction, hashing bool) (_ []byte, ok bool) {
	a := x.Article
	if hashing {
		a.Source = ""
	}
	b = append(b, `{"article":{"id":`...)
	b = appendJSONString(b, a.ID)
	b = appendOptString(b, `,"url":`, a.URL)
	b = appendOptString(b, `,"title":`, a.Title)
	b = appendOptString(b, `,"language":`, a.Language)
	b = appendOptString(b, `,"published":`, a.Published)
	b = appendOptString(b, `,"source":`, a.Source)
	b = appendOptString(b, `,"text":`, a.Text)
	b = append(b, `},"entities":`...)
	b = appendArray(b, x.Entities, x.Entities == nil, func(b []byte, e *Entity) []byte { return appendEntityJSON(b, e) })
	b = append(b, `,"events":`...)
	// Hashing has always written no events as null, empty or not.
	ok = true
	b = appendArray(b, x.Events, x.Events == nil || hashing && len(x.Events) == 0, func(b []byte, e *Event) []byte {
		var fine bool
		b, fine = appendEventJSON(b, e, hashing)
		ok = ok && fine
		return b
	})
	if !ok {
		return b, false
	}
	return append(b, '}'), true
}

// appendArray appends l as a JSON array of the elements elem writes, or
// null.
func appendArray[T any](b []byte, l []T, null bool, elem func([]byte, *T) []byte) []byte {
	if null {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &l[i])
	}
	return append(b, ']')
}

// appendEventJSON appends e; ok is false for a confidence encoding/json
// refuses.
func appendEventJSON(b []byte, e *Event, hashing bool) (_ []byte, ok bool) {
	b = append(b, '{')
	if e.ID != "" && !hashing {
		b = append(b, `"id":`...)
		b = appendJSONString(b, e.ID)
		b = append(b, ',')
	}
	b = append(b, `"type":`...)
	b = appendJSONString(b, string(e.Type))
	b = appendOptString(b, `,"subject":`, e.Subject)
	if e.Edition != 0 {
		b = append(b, `,"edition":`...)
		b = strconv.AppendInt(b, int64(e.Edition), 10)
	}
	b = appendOptString(b, `,"place":`, e.Place)
	b = append(b, `,"date":`...)
	b = appendJSONString(b, e.Date)
	b = append(b, `,"participants":`...)
	b = appendArray(b, e.Participants, e.Participants == nil, func(b []byte, p *Participant) []byte {
		b = append(b, `{"entity":`...)
		b = appendJSONString(b, p.Entity)
		b = append(b, `,"role":`...)
		b = appendJSONString(b, string(p.Role))
		return append(b, '}')
	})
	b = append(b, `,"evidence":`...)
	b = appendSpanJSON(b, e.Evidence.Text, e.Evidence.Start, e.Evidence.End)
	b = append(b, `,"confidence":`...)
	if b, ok = appendJSONFloat(b, e.Confidence); !ok {
		return b, false
	}
	return append(b, '}'), true
}

func appendEntityJSON(b []byte, e *Entity) []byte {
	b = append(b, `{"key":`...)
	b = appendJSONString(b, e.Key)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(e.Type))
	b = append(b, `,"name":`...)
	b = appendJSONString(b, e.Name)
	if len(e.Names) > 0 {
		b = append(b, `,"names":{`...)
		langs := make([]string, 0, len(e.Names))
		for l := range e.Names {
			langs = append(langs, l)
		}
		slices.Sort(langs)
		for i, l := range langs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, l)
			b = append(b, ':')
			b = appendJSONString(b, e.Names[l])
		}
		b = append(b, '}')
	}
	if len(e.Aliases) > 0 {
		b = append(b, `,"aliases":`...)
		b = appendArray(b, e.Aliases, false, func(b []byte, a *string) []byte { return appendJSONString(b, *a) })
	}
	b = appendOptString(b, `,"country":`, e.Country)
	if e.Year != 0 {
		b = append(b, `,"year":`...)
		b = strconv.AppendInt(b, int64(e.Year), 10)
	}
	if len(e.Mentions) > 0 {
		b = append(b, `,"mentions":`...)
		b = appendArray(b, e.Mentions, false, func(b []byte, m *Mention) []byte { return appendSpanJSON(b, m.Text, m.Start, m.End) })
	}
	return append(b, '}')
}

// appendSpanJSON appends a Mention or an Evidence: {"text", "start", "end"}.
func appendSpanJSON(b []byte, text string, start, end int) []byte {
	b = append(b, `{"text":`...)
	b = appendJSONString(b, text)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(end), 10)
	return append(b, '}')
}

// appendOptString appends key and s unless s is empty (omitempty).
func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, key...)
	return appendJSONString(b, s)
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}
