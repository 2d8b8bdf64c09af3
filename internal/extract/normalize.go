package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normRune appends the normalised form of r to out: lower case, Latin
// diacritics and Arabic short vowels dropped, alef/yaa/hamza-carrier/
// taa-marbuta variants folded, tatweel dropped, Arabic-Indic digits made
// ASCII, œ/æ spelt out. It may append zero, one or several runes.
func normRune(out []rune, r rune) []rune {
	switch {
	case r >= 0x0660 && r <= 0x0669:
		return append(out, '0'+(r-0x0660))
	case r >= 0x06F0 && r <= 0x06F9:
		return append(out, '0'+(r-0x06F0))
	}
	switch r {
	case 'ـ': // tatweel
		return out
	case 'أ', 'إ', 'آ', 'ٱ':
		return append(out, 'ا')
	case 'ى', 'ئ', 'ی':
		return append(out, 'ي')
	case 'ؤ':
		return append(out, 'و')
	case 'ة':
		return append(out, 'ه')
	case 'ک':
		return append(out, 'ك')
	case 'œ', 'Œ':
		return append(out, 'o', 'e')
	case 'æ', 'Æ':
		return append(out, 'a', 'e')
	case 'ß':
		return append(out, 's', 's')
	case '’', '‘', 'ʼ', '`', '´':
		return append(out, '\'')
	}
	if unicode.Is(unicode.Mn, r) {
		return out
	}
	if r < utf8.RuneSelf {
		return append(out, unicode.ToLower(r))
	}
	if unicode.Is(unicode.Arabic, r) {
		return append(out, r)
	}
	var buf [utf8.UTFMax * 4]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFKD.Bytes(buf[:n])
	for len(d) > 0 {
		c, size := utf8.DecodeRune(d)
		d = d[size:]
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		out = append(out, unicode.ToLower(c))
	}
	return out
}

// normalise fills Norm and NormMap.
func normalise(d *Doc) {
	d.Norm = make([]rune, 0, len(d.Runes))
	d.NormMap = make([]int, 0, len(d.Runes))
	for i, r := range d.Runes {
		n := len(d.Norm)
		d.Norm = normRune(d.Norm, r)
		for j := n; j < len(d.Norm); j++ {
			d.NormMap = append(d.NormMap, i)
		}
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenize splits Norm into tokens: runs of letters or of digits (a digit
// next to a letter ends the token, so "2023" stands alone in "لسنة2023").
func tokenize(d *Doc) {
	n := len(d.Norm)
	if cap(d.Tokens) == 0 {
		d.Tokens = make([]Token, 0, n/5+8)
	}
	d.Tokens = d.Tokens[:0]
	// The tokens' Norm are substrings of one string of the whole normalised
	// text: b is the byte offset in it of the rune at index at.
	norm := string(d.Norm)
	b, at := 0, 0
	byteAt := func(i int) int {
		for ; at < i; at++ {
			b += utf8.RuneLen(d.Norm[at])
		}
		return b
	}
	for i := 0; i < n; {
		r := d.Norm[i]
		if !isWordRune(r) {
			i++
			continue
		}
		digit := unicode.IsDigit(r)
		j := i + 1
		for j < n && isWordRune(d.Norm[j]) && unicode.IsDigit(d.Norm[j]) == digit {
			j++
		}
		start := d.NormMap[i]
		end := d.NormMap[j-1] + 1
		// a run may start or end in the middle of an original rune that was
		// expanded (œ → oe); keep whole original runes.
		t := Token{Start: start, End: end}
		bi := byteAt(i)
		t.Norm = norm[bi:byteAt(j)]
		t.Arabic = unicode.Is(unicode.Arabic, r)
		if len(d.Tokens) > 0 && d.Tokens[len(d.Tokens)-1].End > t.Start {
			// two tokens out of one original rune: merge them
			last := &d.Tokens[len(d.Tokens)-1]
			last.End = max(last.End, t.End)
			last.Norm += t.Norm
		} else {
			d.Tokens = append(d.Tokens, t)
		}
		i = j
	}
	// The variants of all tokens share one array.
	arena := make([]variant, 0, len(d.Tokens)*2)
	ends := make([]int, len(d.Tokens))
	for i := range d.Tokens {
		arena = appendVariants(arena, d.Tokens[i].Norm, d.Tokens[i].Arabic)
		ends[i] = len(arena)
	}
	start := 0
	for i := range d.Tokens {
		d.Tokens[i].variants = arena[start:ends[i]:ends[i]]
		start = ends[i]
	}
}

// canon returns the form an Arabic word is stored and matched under: the
// definite article stripped when a word of at least two letters remains.
func canon(w string) string {
	if strings.HasPrefix(w, "ال") && utf8.RuneCountInString(w) >= 4 {
		return w[len("ال"):]
	}
	return w
}

// clitics are the proclitics stripped from Arabic words at match time; "لل"
// is the preposition li- fused with the article.
var clitics = []string{"وب", "ول", "فب", "فل", "وك", "فك", "و", "ف", "ب", "ل", "ك"}

// tokenVariants returns the forms under which a token may match a gazetteer
// word: the token itself and its form without the article, and for Arabic
// the same after stripping one proclitic or a pair of them (و ف ب ل ك, وب,
// ول…), so that "وبالرياض" finds "الرياض" and "للمملكة" finds "المملكة";
// and an indefinite accusative without its final alef ("تدريبا").
func tokenVariants(w string, arabic bool) []variant {
	return appendVariants(nil, w, arabic)
}

// appendVariants appends the tokenVariants of w to out.
func appendVariants(out []variant, w string, arabic bool) []variant {
	first := len(out)
	out = append(out, variant{form: w})
	if !arabic {
		return out
	}
	add := func(f, clitic string, art bool) {
		for i := first; i < len(out); i++ {
			if out[i].form == f {
				out[i].art = out[i].art || art
				return
			}
		}
		out = append(out, variant{form: f, clitic: clitic, art: art})
	}
	if c := canon(w); c != w {
		add(c, "", true)
	}
	for _, c := range clitics {
		if strings.HasPrefix(w, c) && utf8.RuneCountInString(w)-utf8.RuneCountInString(c) >= 2 {
			rest := w[len(c):]
			add(rest, c, false)
			if cr := canon(rest); cr != rest {
				add(cr, c, true)
			}
			if strings.HasSuffix(c, "ل") && strings.HasPrefix(rest, "ل") && utf8.RuneCountInString(rest) >= 3 {
				add(rest[len("ل"):], c, true) // لل = li- + al-
			}
		}
	}
	// the indefinite accusative (tanween, dropped by normalise, leaves a
	// final alef): "تدريبا" is "تدريب", "اتفاقا" "اتفاق", "دعما" "دعم"
	for i, n := first, len(out); i < n; i++ {
		if v := out[i]; !v.art && strings.HasSuffix(v.form, "ا") && utf8.RuneCountInString(v.form) >= 4 {
			add(strings.TrimSuffix(v.form, "ا"), v.clitic, false)
		}
	}
	return out
}

// canonPhrase returns the token forms a gazetteer phrase is stored under.
func canonPhrase(s string) []string {
	var rs []rune
	for _, r := range s {
		rs = normRune(rs, r)
	}
	var out []string
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		digit := unicode.IsDigit(rs[i])
		j := i + 1
		for j < len(rs) && isWordRune(rs[j]) && unicode.IsDigit(rs[j]) == digit {
			j++
		}
		w := string(rs[i:j])
		if unicode.Is(unicode.Arabic, rs[i]) {
			w = canon(w)
		}
		out = append(out, w)
		i = j
	}
	return out
}

// sentences splits the text into sentences at . ! ? ؟ … and line breaks
// (not at the Arabic comma), and records each token's sentence. A period
// inside a number or after a single capital letter (U.S.) does not end a
// sentence.
func sentences(d *Doc) {
	d.Sentences = d.Sentences[:0]
	rs := d.Runes
	start := 0
	flush := func(end int) {
		s, e := start, end
		for s < e && unicode.IsSpace(rs[s]) {
			s++
		}
		for e > s && unicode.IsSpace(rs[e-1]) {
			e--
		}
		if e > s {
			d.Sentences = append(d.Sentences, Sentence{Start: s, End: e})
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\n', '\r', '\u2029':
			flush(i + 1)
		case '!', '?', '؟', '…':
			j := i + 1
			for j < len(rs) && (rs[j] == '!' || rs[j] == '?' || rs[j] == '؟' || rs[j] == '…' || rs[j] == '.' || isCloseQuote(rs[j])) {
				j++
			}
			flush(j)
			i = j - 1
		case '.':
			if i+1 < len(rs) && unicode.IsDigit(rs[i+1]) {
				continue
			}
			if i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && !isCloseQuote(rs[i+1]) && rs[i+1] != '.' {
				continue // U.S.A, 3.5, a.m.
			}
			if i >= 1 && unicode.IsUpper(rs[i-1]) && (i == 1 || !unicode.IsLetter(rs[i-2])) {
				continue // initials: U.S. , J. Smith
			}
			if abbrevBefore(rs, i) {
				continue
			}
			j := i + 1
			for j < len(rs) && (rs[j] == '.' || isCloseQuote(rs[j])) {
				j++
			}
			flush(j)
			i = j - 1
		}
	}
	flush(len(rs))
	s := 0
	for i := range d.Tokens {
		for s < len(d.Sentences)-1 && d.Tokens[i].Start >= d.Sentences[s].End {
			s++
		}
		d.Tokens[i].Sent = s
	}
	for i := range d.Sentences {
		d.Sentences[i].Tok, d.Sentences[i].TokEnd = -1, -1
	}
	for i, t := range d.Tokens {
		sn := &d.Sentences[t.Sent]
		if sn.Tok < 0 {
			sn.Tok = i
		}
		sn.TokEnd = i + 1
	}
	for i := range d.Sentences {
		if d.Sentences[i].Tok < 0 {
			d.Sentences[i].Tok, d.Sentences[i].TokEnd = 0, 0
		}
	}
}

func isCloseQuote(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '″', ')', ']':
		return true
	}
	return false
}

var abbreviations = map[string]bool{"mr": true, "mrs": true, "dr": true, "gen": true, "lt": true, "col": true,
	"maj": true, "capt": true, "cdr": true, "adm": true, "brig": true, "sgt": true, "st": true, "no": true,
	"vs": true, "etc": false, "m": true, "mme": true, "gén": true, "jan": true, "feb": true, "aug": true,
	"sept": true, "sep": true, "oct": true, "nov": true, "dec": true, "inc": true, "ltd": true, "co": true}

func abbrevBefore(rs []rune, i int) bool {
	j := i
	for j > 0 && unicode.IsLetter(rs[j-1]) {
		j--
	}
	if j == i || i-j > 5 {
		return false
	}
	return abbreviations[strings.ToLower(string(rs[j:i]))]
}
