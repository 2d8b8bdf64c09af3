package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"
	dpsdate "github.com/markusmobius/go-dateparser/date"
)

// months maps the normalised (canonical) spelling of a month name to its
// number: Arabic (Gulf/Egyptian, Maghreb, Algerian-Tunisian, Levantine),
// English and French.
var months = map[string]int{}

// levantine2 holds the two-word Levantine months: first word → second word
// → month.
var levantine2 = map[string]map[string]int{}

func init() {
	add := func(m int, names ...string) {
		for _, n := range names {
			w := canonPhrase(n)
			if len(w) == 1 {
				months[w[0]] = m
			} else if len(w) == 2 {
				if levantine2[w[0]] == nil {
					levantine2[w[0]] = map[string]int{}
				}
				levantine2[w[0]][w[1]] = m
				// the second word may come without its article
				levantine2[w[0]][canon(w[1])] = m
			}
		}
	}
	add(1, "يناير", "جانفي", "كانون الثاني", "January", "Jan", "janvier", "janv")
	add(2, "فبراير", "فيفري", "شباط", "February", "Feb", "février", "fév", "fevr")
	add(3, "مارس", "آذار", "March", "Mar", "mars")
	add(4, "أبريل", "إبريل", "ابريل", "أفريل", "نيسان", "April", "Apr", "avril")
	add(5, "ماي", "مايو", "أيار", "May", "mai")
	add(6, "يونيو", "يونيه", "جوان", "حزيران", "June", "Jun", "juin")
	add(7, "يوليوز", "يوليو", "يوليه", "جويلية", "تموز", "July", "Jul", "juillet")
	add(8, "غشت", "أغسطس", "اغسطس", "أوت", "آب", "August", "Aug", "août")
	add(9, "شتنبر", "سبتمبر", "أيلول", "September", "Sept", "Sep", "septembre")
	add(10, "أكتوبر", "اكتوبر", "تشرين الأول", "October", "Oct", "octobre")
	add(11, "نونبر", "نوفمبر", "تشرين الثاني", "November", "Nov", "novembre")
	add(12, "دجنبر", "ديسمبر", "كانون الأول", "December", "Dec", "décembre", "déc")
}

// ambiguousMonth are month names that are also common words; they need a
// day or a year beside them.
var ambiguousMonth = map[string]bool{"may": true, "mar": true, "jan": true, "sep": true, "dec": true, "oct": true,
	"nov": true, "aug": true, "apr": true, "jun": true, "jul": true, "feb": true, "mars": true, "ماي": true, "اب": true}

var monthPreps = map[string]bool{"في": true, "خلال": true, "شهر": true, "بشهر": true, "منذ": true, "in": true, "during": true,
	"since": true, "en": true, "mois": true, "depuis": true, "durant": true, "pendant": true, "last": true, "next": true,
	"between": true, "entre": true, "بين": true, "early": true, "late": true, "mid": true, "debut": true, "fin": true}

// untilWords open the end of a period ("until 14 May", "jusqu'au 14 mai").
var untilWords = map[string]bool{"until": true, "till": true, "through": true, "jusqu": true, "jusqu'au": true,
	"حتى": true, "غايه": true, "to": true, "au": true}

// futureWords mark what is still to come in the sentence.
var futureWords = map[string]bool{"will": true, "next": true, "upcoming": true, "prochain": true, "prochaine": true,
	"سوف": true, "المقبل": true, "القادم": true, "مقبل": true, "قادم": true, "المقبله": true}

// futureNear reports whether the sentence of token i speaks of the future.
func (d *Doc) futureNear(i int) bool {
	sent := d.Sentences[d.Tokens[i].Sent]
	for t := sent.Tok; t < sent.TokEnd; t++ {
		if d.tokIs(t, futureWords) {
			return true
		}
		if n := d.Tokens[t].Norm; d.Lang == "fr" && (strings.HasSuffix(n, "era") || strings.HasSuffix(n, "eront") || strings.HasSuffix(n, "ira") || strings.HasSuffix(n, "iront")) && len(n) > 5 {
			return true
		}
	}
	return false
}

var rangeWords = map[string]bool{"au": true, "a": true, "to": true, "and": true, "et": true, "و": true, "الى": true,
	"حتى": true, "until": true, "through": true}

// relative expressions resolved against the publication date
type relExpr struct {
	words []string
	unit  string // year, month, day
	delta int
}

var relExprs []relExpr

// relByFirst indexes relExprs by their first word.
var relByFirst map[string][]relExpr

func init() {
	add := func(unit string, delta int, phrases ...string) {
		for _, p := range phrases {
			relExprs = append(relExprs, relExpr{words: canonPhrase(p), unit: unit, delta: delta})
		}
	}
	add("year", -1, "العام الماضي", "السنة الماضية", "العام المنصرم", "السنة المنصرمة", "last year", "l'an dernier", "l'année dernière", "l'an passé", "l'année passée")
	add("year", 0, "هذا العام", "العام الجاري", "السنة الجارية", "هذه السنة", "this year", "cette année", "l'année en cours")
	add("year", 1, "العام المقبل", "السنة المقبلة", "العام القادم", "السنة القادمة", "next year", "l'année prochaine", "l'an prochain")
	add("month", -1, "الشهر الماضي", "الشهر المنصرم", "last month", "le mois dernier", "le mois passé")
	add("month", 0, "هذا الشهر", "الشهر الجاري", "this month", "ce mois-ci", "ce mois")
	add("month", 1, "الشهر المقبل", "الشهر القادم", "next month", "le mois prochain")
	add("week", -1, "الأسبوع الماضي", "الأسبوع المنصرم", "last week", "la semaine dernière", "la semaine passée")
	add("week", 0, "هذا الأسبوع", "الأسبوع الجاري", "this week", "cette semaine")
	add("week", 1, "الأسبوع المقبل", "الأسبوع القادم", "next week", "la semaine prochaine")
	add("day", -1, "أمس", "يوم أمس", "البارحة", "yesterday", "hier")
	add("day", 0, "today", "aujourd'hui")
	add("day", 1, "غدا", "tomorrow", "demain")
	relByFirst = map[string][]relExpr{}
	for _, r := range relExprs {
		if len(r.words) > 0 {
			relByFirst[r.words[0]] = append(relByFirst[r.words[0]], r)
		}
	}
}

// agoWords start or end an expression go-dateparser reads best ("3 days
// ago", "il y a deux semaines", "منذ ثلاثة أيام", "la semaine dernière",
// "الأسبوع الماضي").
var agoWords = map[string]bool{"ago": true, "weeks": true, "semaines": true, "اسابيع": true}

func (d *Doc) tokNorm(i int) string {
	if i < 0 || i >= len(d.Tokens) {
		return ""
	}
	return d.Tokens[i].Norm
}

// tokForms returns the canonical forms of token i (the token and its forms
// without clitics).
func (d *Doc) tokIs(i int, set map[string]bool) bool {
	if i < 0 || i >= len(d.Tokens) {
		return false
	}
	for _, v := range d.Tokens[i].variants {
		if set[v.form] {
			return true
		}
	}
	return false
}

func (d *Doc) monthAt(i int) (m, n int) {
	if i < 0 || i >= len(d.Tokens) {
		return 0, 0
	}
	for _, v := range d.Tokens[i].variants {
		if sec, ok := levantine2[v.form]; ok && i+1 < len(d.Tokens) {
			for _, v2 := range d.Tokens[i+1].variants {
				if m, ok := sec[v2.form]; ok {
					return m, 2
				}
			}
		}
	}
	for _, v := range d.Tokens[i].variants {
		if m, ok := months[v.form]; ok {
			return m, 1
		}
	}
	return 0, 0
}

func (d *Doc) dayAt(i int) int {
	if i < 0 || i >= len(d.Tokens) {
		return 0
	}
	t := d.Tokens[i].Norm
	if len(t) > 2 {
		return 0
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 31 {
		return 0
	}
	return n
}

func (d *Doc) same(a, b int) bool {
	return a >= 0 && b >= 0 && a < len(d.Tokens) && b < len(d.Tokens) && d.Tokens[a].Sent == d.Tokens[b].Sent
}

func validDay(y, m, day int) bool {
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	return t.Month() == time.Month(m) && t.Day() == day
}

// dates is the component that finds dates with our own patterns — day
// month year, ranges ("du 4 au 8 février 2024" keeps the 4th), month year,
// month day, year, ISO and d/m/y numbers, "في سنة 2021", a month alone
// after a preposition, relative expressions — and resolves partial and
// relative ones against the publication date. go-dateparser reads the
// "N days ago" / "last week" kind of expression only.
func dates(d *Doc) {
	pub, hasPub := d.pubTime()
	inEntity := make([]bool, len(d.Tokens))
	for _, s := range d.Spans {
		if s.Type == "" || s.Nested {
			continue
		}
		for t := s.Tok; t < s.TokEnd && t < len(inEntity); t++ {
			inEntity[t] = true
		}
	}
	lastDay := "" // the latest day-precise date read, for "la veille", "the next day"
	emit := func(a, b int, v string, yearOnly, rel bool) {
		d.Dates = append(d.Dates, DateSpan{Start: d.Tokens[a].Start, End: d.Tokens[b-1].End, Tok: a, TokEnd: b,
			Value: v, YearOnly: yearOnly, Relative: rel})
		if len(v) == 10 {
			lastDay = v
		}
	}
	// contextYear is the year a partial date takes: the nearest year
	// written in the sentence, else the publication year.
	contextYear := func(i, m int) (int, bool) {
		sent := d.Sentences[d.Tokens[i].Sent]
		best, dist := 0, 1<<30
		for t := sent.Tok; t < sent.TokEnd; t++ {
			if y := yearOf(d.Tokens[t]); y > 0 {
				if dd := abs(t - i); dd < dist {
					best, dist = y, dd
				}
			}
		}
		if best > 0 {
			return best, true
		}
		if hasPub {
			y := pub.Year()
			// a month well after publication is last year's; the next two
			// months, or a month after "until", are still to come
			if pm := int(pub.Month()); m > pm {
				until := d.tokIs(i-1, untilWords) || d.tokIs(i-2, untilWords) || d.tokIs(i-3, untilWords)
				if m > pm+2 || !until && !d.futureNear(i) {
					y--
				}
			}
			return y, true
		}
		return 0, false
	}
	n := len(d.Tokens)
	for i := 0; i < n; i++ {
		if inEntity[i] {
			continue
		}
		// ISO 2023-10-12 / 2023-10
		if y := yearOf(d.Tokens[i]); y > 0 && d.same(i, i+1) && d.gapText(i, i+1) == "-" {
			if m := d.num(i + 1); m >= 1 && m <= 12 && len(d.tokNorm(i+1)) == 2 {
				if d.same(i, i+2) && d.gapText(i+1, i+2) == "-" {
					if day := d.num(i + 2); validDay(y, m, day) {
						emit(i, i+3, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, false)
						i += 2
						continue
					}
				}
			}
		}
		// d/m/y
		if day := d.dayAt(i); day > 0 && d.same(i, i+2) && (d.gapText(i, i+1) == "/" || d.gapText(i, i+1) == ".") && d.gapText(i, i+1) == d.gapText(i+1, i+2) {
			m, y := d.num(i+1), yearOf(d.Tokens[min(i+2, n-1)])
			if m >= 1 && m <= 12 && y > 0 && validDay(y, m, day) {
				emit(i, i+3, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, false)
				i += 2
				continue
			}
		}
		// day [er] [connector day] month [year]
		if day := d.dayAt(i); day > 0 {
			j := i + 1
			if d.tokNorm(j) == "er" || d.tokNorm(j) == "st" || d.tokNorm(j) == "nd" || d.tokNorm(j) == "rd" || d.tokNorm(j) == "th" {
				j++
			}
			if d.tokIs(j, rangeWords) && d.dayAt(j+1) > 0 {
				j += 2
			} else if d.dayAt(j) > 0 && strings.ContainsAny(d.gapText(j-1, j), "-–") {
				j++
			}
			if d.tokNorm(j) == "de" || d.tokNorm(j) == "of" {
				j++
			}
			if m, w := d.monthAt(j); m > 0 && d.same(i, j+w-1) {
				end := j + w
				if d.tokNorm(end) == "de" || d.tokNorm(end) == "سنه" || d.tokNorm(end) == "عام" {
					end++
				}
				if y := yearOf(d.Tokens[min(end, n-1)]); end < n && y > 0 && d.same(i, end) && validDay(y, m, day) {
					emit(i, end+1, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, false)
					i = end
					continue
				}
				if y, ok := contextYear(i, m); ok && validDay(y, m, day) {
					emit(i, j+w, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, !d.hasYearNear(i))
					i = j + w - 1
					continue
				}
			}
		}
		// month [day[, ]] year | month year | month alone after a preposition
		if m, w := d.monthAt(i); m > 0 {
			j := i + w
			day := 0
			if dd := d.dayAt(j); dd > 0 && d.same(i, j) && !d.Tokens[i].Arabic {
				day = dd
				j++
				if d.tokIs(j, rangeWords) && d.dayAt(j+1) > 0 || d.dayAt(j) > 0 && strings.ContainsAny(d.gapText(j-1, j), "-–") {
					if d.dayAt(j) > 0 {
						j++
					} else {
						j += 2
					}
				}
			}
			if d.tokNorm(j) == "سنه" || d.tokNorm(j) == "عام" || d.tokNorm(j) == "de" {
				j++
			}
			if j < n && d.same(i, j) {
				if y := yearOf(d.Tokens[j]); y > 0 {
					if day > 0 && validDay(y, m, day) {
						emit(i, j+1, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, false)
					} else {
						emit(i, j+1, fmt.Sprintf("%04d-%02d", y, m), false, false)
					}
					i = j
					continue
				}
			}
			amb := d.tokIs(i, ambiguousMonth) && w == 1
			// "en mars", "in May": a month preposition lifts the doubt
			// (not for a lower-case English "may", a modal verb)
			if amb && i > 0 && d.same(i-1, i) && d.tokIs(i-1, monthPreps) && d.tokNorm(i-1) != "last" && d.tokNorm(i-1) != "next" &&
				(d.Lang != "en" || unicode.IsUpper(d.Runes[d.Tokens[i].Start])) && utf8.RuneCountInString(d.Tokens[i].Norm) > 3 {
				amb = false
			}
			// "May 13", "Oct 24": a capitalised month name before a day
			capDay := day > 0 && !d.Tokens[i].Arabic && unicode.IsUpper(d.Runes[d.Tokens[i].Start])
			if day > 0 && (!amb || capDay) {
				if y, ok := contextYear(i, m); ok && validDay(y, m, day) {
					emit(i, i+w+1, fmt.Sprintf("%04d-%02d-%02d", y, m, day), false, true)
					i = i + w
					continue
				}
			}
			if hasPub && !amb && day == 0 {
				k := i + w
				if d.tokNorm(k) == "of" || d.tokNorm(k) == "de" {
					k++
				}
				// "in February last year", "en mars de l'an dernier", "في مارس من العام الماضي"
				if d.tokNorm(k) == "من" {
					k++
				}
				if kk, v := d.relativeAt(k, pub); kk > 0 && len(v) == 4 {
					emit(i, k+kk, v+fmt.Sprintf("-%02d", m), false, true)
					i = k + kk - 1
					continue
				}
				// "في شهر ماي المقبل", "en mai prochain", "mars dernier": the
				// next or the last such month
				if k := i + w; d.same(i, k) && (d.tokIs(k, futureWords) || d.tokIs(k, lastWords)) {
					y, pm := pub.Year(), int(pub.Month())
					if d.tokIs(k, futureWords) && m <= pm {
						y++
					} else if d.tokIs(k, lastWords) && m >= pm {
						y--
					}
					emit(i, k+1, fmt.Sprintf("%04d-%02d", y, m), false, true)
					i = k
					continue
				}
			}
			if !amb && i > 0 && d.same(i-1, i) && d.tokIs(i-1, monthPreps) {
				y, ok := 0, false
				switch d.tokNorm(i - 1) {
				case "last":
					if hasPub {
						y, ok = pub.Year(), true
						if m >= int(pub.Month()) {
							y--
						}
					}
				case "next":
					if hasPub {
						y, ok = pub.Year(), true
						if m <= int(pub.Month()) {
							y++
						}
					}
				default:
					y, ok = contextYear(i, m)
				}
				if ok {
					emit(i, i+w, fmt.Sprintf("%04d-%02d", y, m), false, true)
					i = i + w - 1
					continue
				}
			}
		}
		// year after a year word: "في سنة 2021", "in 2021", "en 2021"
		if y := yearOf(d.Tokens[i]); y > 0 && !d.modelNumber(i) {
			emit(i, i+1, strconv.Itoa(y), true, false)
			continue
		}
		// "la veille", "the next day", "في اليوم التالي": a day from the
		// latest day named before
		if lastDay != "" {
			if k, delta := d.adjacentDayAt(i); k > 0 {
				if t, err := time.Parse("2006-01-02", lastDay); err == nil {
					emit(i, i+k, t.AddDate(0, 0, delta).Format("2006-01-02"), false, true)
					i += k - 1
					continue
				}
			}
		}
		// relative expressions
		if hasPub {
			if wd, ok := d.weekdayAt(i); ok && d.dayAt(i+1) == 0 {
				// "on Friday", "يوم الخميس الماضي", "vendredi": the last such
				// day on or before publication
				back := (int(pub.Weekday()) - wd + 7) % 7
				end := i + 1
				if d.tokIs(end, lastWords) {
					end++
					if back == 0 {
						back = 7
					}
				}
				emit(i, end, pub.AddDate(0, 0, -back).Format("2006-01-02"), false, true)
				i = end - 1
				continue
			}
			if k, v := d.relativeAt(i, pub); k > 0 {
				emit(i, i+k, v, false, true)
				i += k - 1
				continue
			}
			if d.tokIs(i, agoWords) && d.agoMarked(i) {
				if a, b, v := d.parseAgo(i, pub); v != "" {
					d.Dates = append(d.Dates, DateSpan{Start: d.Tokens[a].Start, End: d.Tokens[b-1].End, Tok: a, TokEnd: b, Value: v, Relative: true})
				}
			}
		}
	}
}

func (d *Doc) num(i int) int {
	if i < 0 || i >= len(d.Tokens) {
		return 0
	}
	v, err := strconv.Atoi(d.Tokens[i].Norm)
	if err != nil {
		return 0
	}
	return v
}

func (d *Doc) hasYearNear(i int) bool {
	sent := d.Sentences[d.Tokens[i].Sent]
	for t := sent.Tok; t < sent.TokEnd; t++ {
		if yearOf(d.Tokens[t]) > 0 {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (d *Doc) pubTime() (time.Time, bool) {
	if d.Published == "" {
		return time.Time{}, false
	}
	for _, l := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(l, d.Published); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// relativeAt matches a relative expression at token i and resolves it.
func (d *Doc) relativeAt(i int, pub time.Time) (int, string) {
	if i < 0 || i >= len(d.Tokens) {
		return 0, ""
	}
	var cands []relExpr
	for _, v := range d.Tokens[i].variants {
		cands = append(cands, relByFirst[v.form]...)
	}
	for _, r := range cands {
		if i+len(r.words) > len(d.Tokens) {
			continue
		}
		ok := true
		for k, w := range r.words {
			found := false
			for _, v := range d.Tokens[i+k].variants {
				if v.form == w || canon(v.form) == w {
					found = true
					break
				}
			}
			if !found || !d.same(i, i+k) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		switch r.unit {
		case "year":
			return len(r.words), strconv.Itoa(pub.Year() + r.delta)
		case "month":
			t := time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, r.delta, 0)
			return len(r.words), t.Format("2006-01")
		case "week":
			// a week gives its month: the text names no day
			return len(r.words), pub.AddDate(0, 0, 7*r.delta).Format("2006-01")
		case "day":
			return len(r.words), pub.AddDate(0, 0, r.delta).Format("2006-01-02")
		}
	}
	return 0, ""
}

// adjacentDays are the day before and the day after a day already named.
var adjacentDays = map[string][][]string{}

func init() {
	for _, p := range []struct {
		delta int
		forms []string
	}{
		{-1, []string{"la veille", "the day before", "the previous day", "a day earlier", "اليوم السابق", "قبل يوم"}},
		{1, []string{"le lendemain", "the next day", "the following day", "a day later", "اليوم التالي", "اليوم الموالي", "غداة"}},
	} {
		for _, f := range p.forms {
			w := canonPhrase(f)
			w = append(w, itoa(p.delta))
			adjacentDays[w[0]] = append(adjacentDays[w[0]], w[1:])
		}
	}
}

// adjacentDayAt matches "la veille" / "the next day" at token i and returns
// its length and the shift in days.
func (d *Doc) adjacentDayAt(i int) (int, int) {
	for _, v := range d.Tokens[i].variants {
		for _, rest := range adjacentDays[v.form] {
			words, delta := rest[:len(rest)-1], rest[len(rest)-1]
			ok := true
			for k, w := range words {
				if !d.same(i, i+1+k) || !d.tokIs(i+1+k, map[string]bool{w: true}) {
					ok = false
					break
				}
			}
			if ok {
				n, _ := strconv.Atoi(delta)
				return 1 + len(words), n
			}
		}
	}
	return 0, 0
}

var dateParser = &dps.Parser{}

// agoMarked reports whether a word near token i makes it a past count of
// time ("three weeks ago", "il y a deux semaines", "منذ أسبوعين", "قبل"),
// not a duration ("will run for two weeks").
func (d *Doc) agoMarked(i int) bool {
	for k := max(i-4, 0); k <= i+1 && k < len(d.Tokens); k++ {
		if !d.same(k, i) {
			continue
		}
		switch d.Tokens[k].Norm {
		case "ago", "منذ", "قبل", "y":
			return true
		}
	}
	return false
}

// parseAgo hands go-dateparser a short window around an "ago" / "week"
// word and keeps what it reads, at the precision it reports.
func (d *Doc) parseAgo(i int, pub time.Time) (int, int, string) {
	lang := d.Lang
	if lang != "ar" && lang != "en" && lang != "fr" {
		return 0, 0, ""
	}
	for _, w := range [][2]int{{i - 3, i + 1}, {i - 2, i + 1}, {i - 1, i + 2}, {i, i + 2}, {i - 1, i + 1}} {
		a, b := max(w[0], 0), min(w[1], len(d.Tokens))
		if a >= b || !d.same(a, b-1) || !d.same(a, i) {
			continue
		}
		s := d.text(d.Tokens[a].Start, d.Tokens[b-1].End)
		cfg := &dps.Configuration{Languages: []string{lang}, CurrentTime: pub, StrictParsing: false}
		dt, err := dateParser.Parse(cfg, s)
		if err != nil || dt.IsZero() {
			continue
		}
		switch dt.Period {
		case dpsdate.Year:
			return a, b, dt.Time.Format("2006")
		case dpsdate.Month:
			return a, b, dt.Time.Format("2006-01")
		default:
			return a, b, dt.Time.Format("2006-01-02")
		}
	}
	return 0, 0, ""
}

var weekdays = map[string]int{}

var lastWords = map[string]bool{"ماضي": true, "الماضي": true, "last": true, "dernier": true}

func init() {
	for i, names := range [][]string{
		{"الأحد", "Sunday", "dimanche"}, {"الإثنين", "الاثنين", "Monday", "lundi"}, {"الثلاثاء", "Tuesday", "mardi"},
		{"الأربعاء", "Wednesday", "mercredi"}, {"الخميس", "Thursday", "jeudi"}, {"الجمعة", "Friday", "vendredi"},
		{"السبت", "Saturday", "samedi"},
	} {
		for _, n := range names {
			for _, w := range canonPhrase(n) {
				weekdays[w] = i
			}
		}
	}
}

func (d *Doc) weekdayAt(i int) (int, bool) {
	if i < 0 || i >= len(d.Tokens) {
		return 0, false
	}
	for _, v := range d.Tokens[i].variants {
		if wd, ok := weekdays[v.form]; ok {
			return wd, true
		}
	}
	return 0, false
}

// modelNumber reports whether the number at token i belongs to the name
// before it ("Mirage 2000", "Vision 2030"): a capitalised Latin word, not
// the first of its sentence nor an exercise or exhibition (whose year is
// an edition), right before it.
func (d *Doc) modelNumber(i int) bool {
	p := i - 1
	if p < 0 || d.Tokens[p].Arabic || d.Tokens[p].Sent != d.Tokens[i].Sent || p == d.Sentences[d.Tokens[p].Sent].Tok {
		return false
	}
	if g := d.gapText(p, i); g != " " && g != "-" {
		return false
	}
	if !unicode.IsUpper(d.Runes[d.Tokens[p].Start]) {
		return false
	}
	if d.spanTok == nil {
		d.spanTok = make([]bool, len(d.Tokens))
		for _, s := range d.Spans {
			for t := s.Tok; t < s.TokEnd && t < len(d.Tokens); t++ {
				d.spanTok[t] = true
			}
		}
	}
	return !d.spanTok[p] && !d.spanTok[i]
}
