// Package eval scores extractions against gold annotations, as
// extraction-spec §4 says: entities and events matched greedily, precision,
// recall and F1 micro-averaged per language and overall, date and role
// accuracy over the matched events, and per file the misses and false hits.
package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
	"github.com/defgraph/defgraph/internal/extract"
)

// GoldEntity is one gold entity. Countries give Key; other types give
// Names (any of which may match) and, for an edition, Year.
type GoldEntity struct {
	Type     graph.EntityType `json:"type"`
	Key      string           `json:"key,omitempty"`
	Names    []string         `json:"names,omitempty"`
	Year     int              `json:"year,omitempty"`
	Country  string           `json:"country,omitempty"`
	Optional bool             `json:"optional,omitempty"`
}

// GoldEvent is one gold event: its type, the names of its subject (empty
// when it has none or gold does not say), its date and its countries with
// their roles.
type GoldEvent struct {
	Type      graph.EventType   `json:"type"`
	Subject   []string          `json:"subject,omitempty"`
	Date      string            `json:"date"`
	Countries map[string]string `json:"countries"`
	Optional  bool              `json:"optional,omitempty"`
}

// Gold is the annotation of one article (NAME.gold.json).
type Gold struct {
	Note     string       `json:"note,omitempty"`
	Entities []GoldEntity `json:"entities"`
	Events   []GoldEvent  `json:"events"`
}

// LoadGold reads a gold file.
func LoadGold(path string) (Gold, error) {
	var g Gold
	b, err := os.ReadFile(path)
	if err != nil {
		return g, graph.Wrap(graph.ENOTFOUND, err, "gold file %s", path)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, graph.Wrap(graph.EINVALID, err, "gold file %s", path)
	}
	for i, e := range g.Entities {
		if !e.Type.Valid() {
			return g, graph.Errorf(graph.EINVALID, "gold file %s: entity %d has unknown type %q", path, i, e.Type)
		}
		if e.Type == graph.Country && e.Key == "" {
			return g, graph.Errorf(graph.EINVALID, "gold file %s: country %d has no key", path, i)
		}
		if e.Type != graph.Country && e.Key == "" && len(e.Names) == 0 {
			return g, graph.Errorf(graph.EINVALID, "gold file %s: entity %d has neither key nor names", path, i)
		}
	}
	for i, e := range g.Events {
		if !e.Type.Valid() {
			return g, graph.Errorf(graph.EINVALID, "gold file %s: event %d has unknown type %q", path, i, e.Type)
		}
		if !graph.ValidDate(e.Date) {
			return g, graph.Errorf(graph.EINVALID, "gold file %s: event %d has date %q", path, i, e.Date)
		}
	}
	return g, nil
}

// Counts are true positives, false positives and false negatives.
type Counts struct {
	TP, FP, FN int
}

// Add adds o to c.
func (c *Counts) Add(o Counts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN), 1 when there was nothing to find.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Accuracy counts right answers out of N.
type Accuracy struct {
	OK, N int
}

// Add adds o to a.
func (a *Accuracy) Add(o Accuracy) { a.OK += o.OK; a.N += o.N }

// Value is OK/N, 1 when N is 0.
func (a Accuracy) Value() float64 {
	if a.N == 0 {
		return 1
	}
	return float64(a.OK) / float64(a.N)
}

// FileScore is the score of one article.
type FileScore struct {
	Name     string
	Language string
	Entities Counts
	Events   Counts
	Dates    Accuracy // over matched events
	Roles    Accuracy // per gold country of matched events
	// Misses lists the gold items not found, FalseHits the predicted items
	// that match no gold item, Wrong the matched events with a wrong date or
	// role; all as human-readable lines.
	Misses    []string
	FalseHits []string
	Wrong     []string
}

var scoredTypes = map[graph.EntityType]bool{graph.Country: true, graph.Organization: true,
	graph.Exhibition: true, graph.Exercise: true, graph.Place: true}

var trailingYear = regexp.MustCompile(`\s+(19|20)\d\d$`)

// foldName folds a name as the spec compares names: case, diacritics,
// hyphens and punctuation, and a trailing year.
func foldName(s string) string {
	return trailingYear.ReplaceAllString(graph.Fold(s), "")
}

func entityMatches(p graph.Entity, g GoldEntity) bool {
	if p.Type != g.Type {
		return false
	}
	if g.Type == graph.Country {
		return p.Key == g.Key
	}
	if g.Year != 0 && p.Year != g.Year {
		return false
	}
	if g.Key != "" && p.Key == g.Key {
		return true
	}
	return namesMatch(p, g.Names)
}

func namesMatch(p graph.Entity, names []string) bool {
	want := map[string]bool{}
	for _, n := range names {
		if f := foldName(n); f != "" {
			want[f] = true
		}
	}
	for _, n := range p.AllNames() {
		if want[foldName(n)] {
			return true
		}
	}
	return false
}

func describeGold(g GoldEntity) string {
	s := string(g.Type) + " "
	if g.Key != "" {
		s += g.Key
	} else {
		s += strings.Join(g.Names, "|")
	}
	if g.Year != 0 {
		s += fmt.Sprintf(" (%d)", g.Year)
	}
	return s
}

func describePred(p graph.Entity) string {
	s := fmt.Sprintf("%s %s %q", p.Type, p.Key, p.Name)
	if p.Year != 0 {
		s += fmt.Sprintf(" (%d)", p.Year)
	}
	if len(p.Mentions) > 0 {
		s += fmt.Sprintf(" at %q", p.Mentions[0].Text)
	}
	return s
}

// Score scores one extraction against its gold annotation.
func Score(pred graph.Extraction, gold Gold) FileScore {
	fs := FileScore{Language: pred.Article.Language, Name: pred.Article.Source}
	// entities: non-optional gold first, then optional, each taking the
	// first unmatched prediction that matches.
	var preds []graph.Entity
	for _, e := range pred.Entities {
		if scoredTypes[e.Type] {
			preds = append(preds, e)
		}
	}
	used := make([]bool, len(preds))
	order := make([]int, 0, len(gold.Entities))
	for i, g := range gold.Entities {
		if !g.Optional {
			order = append(order, i)
		}
	}
	for i, g := range gold.Entities {
		if g.Optional {
			order = append(order, i)
		}
	}
	for _, gi := range order {
		g := gold.Entities[gi]
		if !scoredTypes[g.Type] {
			continue
		}
		found := false
		for pi, p := range preds {
			if !used[pi] && entityMatches(p, g) {
				used[pi], found = true, true
				break
			}
		}
		if g.Optional {
			continue
		}
		if found {
			fs.Entities.TP++
		} else {
			fs.Entities.FN++
			fs.Misses = append(fs.Misses, "entity "+describeGold(g))
		}
	}
	for pi, p := range preds {
		if !used[pi] {
			fs.Entities.FP++
			fs.FalseHits = append(fs.FalseHits, "entity "+describePred(p))
		}
	}
	scoreEvents(pred, gold, &fs)
	return fs
}

type predEvent struct {
	ev        graph.Event
	countries map[string][]graph.Role
	subject   *graph.Entity
}

func countriesKey(m map[string][]graph.Role) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func goldCountriesKey(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func dateOK(pred, gold string) bool {
	if gold == "" {
		return pred == ""
	}
	return len(pred) >= len(gold) && pred[:len(gold)] == gold
}

func scoreEvents(pred graph.Extraction, gold Gold, fs *FileScore) {
	ents := map[string]graph.Entity{}
	for _, e := range pred.Entities {
		ents[e.Key] = e
	}
	var pes []predEvent
	for _, ev := range pred.Events {
		pe := predEvent{ev: ev, countries: map[string][]graph.Role{}}
		for _, p := range ev.Participants {
			c := p.Entity
			if e, ok := ents[p.Entity]; ok && e.Type == graph.Organization && e.Country != "" {
				c = e.Country
			}
			pe.countries[c] = append(pe.countries[c], p.Role)
		}
		if ev.Subject != "" {
			if e, ok := ents[ev.Subject]; ok {
				pe.subject = &e
			} else {
				pe.subject = &graph.Entity{Key: ev.Subject, Name: ev.Subject}
			}
		}
		pes = append(pes, pe)
	}
	type pair struct{ p, g, score int }
	var pairs []pair
	for gi, g := range gold.Events {
		gk := goldCountriesKey(g.Countries)
		for pi, pe := range pes {
			if pe.ev.Type != g.Type || countriesKey(pe.countries) != gk {
				continue
			}
			if len(g.Subject) > 0 && (pe.subject == nil || !namesMatch(*pe.subject, g.Subject)) {
				continue
			}
			score := 0
			if dateOK(pe.ev.Date, g.Date) {
				score += 100
			}
			for c, r := range g.Countries {
				if hasRole(pe.countries[c], graph.Role(r)) {
					score += 10
				}
			}
			if len(g.Subject) > 0 {
				score++
			}
			pairs = append(pairs, pair{pi, gi, score})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].score > pairs[j].score })
	pUsed := make([]bool, len(pes))
	gUsed := make([]bool, len(gold.Events))
	for _, pr := range pairs {
		if pUsed[pr.p] || gUsed[pr.g] {
			continue
		}
		pUsed[pr.p], gUsed[pr.g] = true, true
		g, pe := gold.Events[pr.g], pes[pr.p]
		if !g.Optional {
			fs.Events.TP++
		}
		fs.Dates.N++
		if dateOK(pe.ev.Date, g.Date) {
			fs.Dates.OK++
		} else {
			fs.Wrong = append(fs.Wrong, fmt.Sprintf("event %s: date %q, gold %q", describeGoldEvent(g), pe.ev.Date, g.Date))
		}
		for c, r := range g.Countries {
			fs.Roles.N++
			if hasRole(pe.countries[c], graph.Role(r)) {
				fs.Roles.OK++
			} else {
				fs.Wrong = append(fs.Wrong, fmt.Sprintf("event %s: %s is %v, gold %s", describeGoldEvent(g), c, pe.countries[c], r))
			}
		}
	}
	for gi, g := range gold.Events {
		if !gUsed[gi] && !g.Optional {
			fs.Events.FN++
			fs.Misses = append(fs.Misses, "event "+describeGoldEvent(g))
		}
	}
	for pi, pe := range pes {
		if !pUsed[pi] {
			fs.Events.FP++
			fs.FalseHits = append(fs.FalseHits, "event "+describePredEvent(pe))
		}
	}
}

func hasRole(rs []graph.Role, r graph.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func describeGoldEvent(g GoldEvent) string {
	var parts []string
	for _, c := range strings.Split(goldCountriesKey(g.Countries), ",") {
		if c != "" {
			parts = append(parts, c+"="+g.Countries[c])
		}
	}
	s := string(g.Type)
	if len(g.Subject) > 0 {
		s += " " + g.Subject[0]
	}
	if g.Date != "" {
		s += " " + g.Date
	}
	return s + " {" + strings.Join(parts, " ") + "}"
}

func describePredEvent(pe predEvent) string {
	var parts []string
	for _, p := range pe.ev.Participants {
		parts = append(parts, p.Entity+"="+string(p.Role))
	}
	s := string(pe.ev.Type)
	if pe.ev.Subject != "" {
		s += " " + pe.ev.Subject
	}
	if pe.ev.Date != "" {
		s += " " + pe.ev.Date
	}
	ev := pe.ev.Evidence.Text
	if r := []rune(ev); len(r) > 80 {
		ev = string(r[:80]) + "…"
	}
	return s + " {" + strings.Join(parts, " ") + "} in " + fmt.Sprintf("%q", ev)
}

// Summary aggregates file scores (micro-averaged).
type Summary struct {
	Files    int
	Entities Counts
	Events   Counts
	Dates    Accuracy
	Roles    Accuracy
}

// Add adds a file score to s.
func (s *Summary) Add(f FileScore) {
	s.Files++
	s.Entities.Add(f.Entities)
	s.Events.Add(f.Events)
	s.Dates.Add(f.Dates)
	s.Roles.Add(f.Roles)
}

// Report is the score of a corpus: per file, per language and overall.
type Report struct {
	Files      []FileScore
	ByLanguage map[string]*Summary
	Overall    Summary
}

// Add adds one file's score to the report.
func (r *Report) Add(f FileScore) {
	r.Files = append(r.Files, f)
	if r.ByLanguage == nil {
		r.ByLanguage = map[string]*Summary{}
	}
	l := f.Language
	if l == "" {
		l = "?"
	}
	if r.ByLanguage[l] == nil {
		r.ByLanguage[l] = &Summary{}
	}
	r.ByLanguage[l].Add(f)
	r.Overall.Add(f)
}

// EvalDir extracts every NAME.txt of dir that has a NAME.gold.json beside
// it and scores it. Files are taken in name order.
func EvalDir(dir string, ex *extract.Extractor) (Report, error) {
	var rep Report
	golds, err := filepath.Glob(filepath.Join(dir, "*.gold.json"))
	if err != nil {
		return rep, graph.Wrap(graph.EINVALID, err, "eval %s", dir)
	}
	if len(golds) == 0 {
		return rep, graph.Errorf(graph.ENOTFOUND, "eval %s: no *.gold.json files", dir)
	}
	sort.Strings(golds)
	for _, gp := range golds {
		tp := strings.TrimSuffix(gp, ".gold.json") + ".txt"
		data, err := os.ReadFile(tp)
		if err != nil {
			return rep, graph.Wrap(graph.ENOTFOUND, err, "eval: article for %s", gp)
		}
		a, err := article.Parse(tp, data)
		if err != nil {
			return rep, err
		}
		g, err := LoadGold(gp)
		if err != nil {
			return rep, err
		}
		x, err := ex.Extract(a)
		if err != nil {
			return rep, err
		}
		fs := Score(x, g)
		fs.Name = filepath.Base(strings.TrimSuffix(tp, ".txt"))
		rep.Add(fs)
	}
	return rep, nil
}

// WriteText prints the report: a table of P/R/F1 per language and overall,
// then per file its misses, false hits and wrong dates or roles.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scope\tfiles\tent P\tent R\tent F1\tev P\tev R\tev F1\tdate acc\trole acc\t")
	row := func(name string, s Summary) {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", name, s.Files,
			s.Entities.Precision(), s.Entities.Recall(), s.Entities.F1(),
			s.Events.Precision(), s.Events.Recall(), s.Events.F1(), s.Dates.Value(), s.Roles.Value())
	}
	langs := make([]string, 0, len(r.ByLanguage))
	for l := range r.ByLanguage {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		row(l, *r.ByLanguage[l])
	}
	row("all", r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range r.Files {
		if len(f.Misses)+len(f.FalseHits)+len(f.Wrong) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s): entities %d/%d/%d events %d/%d/%d (tp/fp/fn)\n", f.Name, f.Language,
			f.Entities.TP, f.Entities.FP, f.Entities.FN, f.Events.TP, f.Events.FP, f.Events.FN)
		for _, m := range f.Misses {
			fmt.Fprintf(w, "  miss  %s\n", m)
		}
		for _, m := range f.FalseHits {
			fmt.Fprintf(w, "  false %s\n", m)
		}
		for _, m := range f.Wrong {
			fmt.Fprintf(w, "  wrong %s\n", m)
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}
