package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
	"github.com/defgraph/defgraph/internal/eval"
	"github.com/defgraph/defgraph/internal/extract"
)

var (
	exOnce sync.Once
	exVal  *extract.Extractor
	exErr  error
)

func extractor(t testing.TB) *extract.Extractor {
	exOnce.Do(func() { exVal, exErr = extract.New(extract.Options{}) })
	if exErr != nil {
		t.Fatal(exErr)
	}
	return exVal
}

// sharedDir walks up from the package directory to the folder that holds
// shared/seeds (/work/shared for the repository /work/main).
func sharedDir(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		for _, c := range []string{filepath.Join(dir, "shared"), filepath.Join(dir, "..", "shared")} {
			if fi, err := os.Stat(filepath.Join(c, "seeds")); err == nil && fi.IsDir() {
				return c
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("shared/seeds not found above the package directory")
	}
	t.Skip("shared/seeds not found; skipping")
	return ""
}

func readArticle(t testing.TB, path string) graph.Article {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const seedName = "seeds/000_ab775e6fa1067318"

func TestSeedArticle(t *testing.T) {
	dir := sharedDir(t)
	a := readArticle(t, filepath.Join(dir, seedName+".txt"))
	g, err := eval.LoadGold(filepath.Join(dir, seedName+".gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := extractor(t).Extract(a)
	if err != nil {
		t.Fatal(err)
	}
	if x.Article.Language != "ar" {
		t.Errorf("language %q, want ar", x.Article.Language)
	}
	fs := eval.Score(x, g)
	for _, m := range fs.Misses {
		t.Errorf("missed %s", m)
	}
	for _, m := range fs.Wrong {
		t.Errorf("wrong %s", m)
	}
	if fs.Entities.FP > 2 {
		t.Errorf("%d false-positive entities (max 2): %v", fs.Entities.FP, fs.FalseHits)
	}
	if fs.Events.FP > 1 {
		t.Errorf("%d false-positive events (max 1): %v", fs.Events.FP, fs.FalseHits)
	}
	if fs.Entities.Recall() != 1 || fs.Events.Recall() != 1 {
		t.Errorf("recall entities %.2f events %.2f, want 1", fs.Entities.Recall(), fs.Events.Recall())
	}
	if fs.Dates.Value() != 1 || fs.Roles.Value() != 1 {
		t.Errorf("date accuracy %.2f role accuracy %.2f, want 1", fs.Dates.Value(), fs.Roles.Value())
	}
	checkOffsets(t, x)
}

// checkOffsets asserts that every mention and evidence slices the text to
// exactly its own text.
func checkOffsets(t testing.TB, x graph.Extraction) {
	t.Helper()
	rs := []rune(x.Article.Text)
	slice := func(s, e int) (string, bool) {
		if s < 0 || e < s || e > len(rs) {
			return "", false
		}
		return string(rs[s:e]), true
	}
	for _, e := range x.Entities {
		for _, m := range e.Mentions {
			got, ok := slice(m.Start, m.End)
			if !ok || got != m.Text {
				t.Errorf("%s: mention [%d,%d) %q slices to %q", e.Key, m.Start, m.End, m.Text, got)
			}
		}
	}
	for i, ev := range x.Events {
		got, ok := slice(ev.Evidence.Start, ev.Evidence.End)
		if !ok || got != ev.Evidence.Text {
			t.Errorf("event %d: evidence [%d,%d) slices to %q", i, ev.Evidence.Start, ev.Evidence.End, got)
		}
		if ev.Confidence < 0 || ev.Confidence > 1 {
			t.Errorf("event %d: confidence %v", i, ev.Confidence)
		}
	}
	if err := x.Validate(); err != nil {
		t.Error(err)
	}
}

var samples = []graph.Article{
	{ID: "en1", Language: "en", Published: "2024-05-21", Text: "Moroccan and US forces opened African Lion 2024 in Agadir on 20 May 2024.\nThe Royal Moroccan Armed Forces hosted the exercise, organized by AFRICOM. Pakistan Air Force officers took part as observers."},
	{ID: "fr1", Language: "fr", Published: "2022-03-20", Text: "Les Forces armées royales et l'armée française ont mené l'exercice Chergui 2022 en mars 2022 au Maroc. La Turquie a livré des drones au Maroc le mois dernier."},
	{ID: "ar1", Text: "شاركت القوات المسلحة الملكية في تمرين \"الأسد الإفريقي\" لسنة 2023 الذي نظمته القيادة الأمريكية في إفريقيا بأكادير وطانطان، بمشاركة الجيش الباكستاني بصفة ملاحظ."},
}

func TestSamplesOffsets(t *testing.T) {
	ex := extractor(t)
	for _, a := range samples {
		x, err := ex.Extract(a)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		if len(x.Events) == 0 {
			t.Errorf("%s: no event", a.ID)
		}
		checkOffsets(t, x)
	}
}

func TestEnglishExercise(t *testing.T) {
	x, err := extractor(t).Extract(samples[0])
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ev := range x.Events {
		if ev.Type == graph.EventExercise && ev.Subject == "exercise:african-lion" {
			found = true
			if ev.Date != "2024-05-20" {
				t.Errorf("date %q, want 2024-05-20", ev.Date)
			}
		}
	}
	if !found {
		t.Errorf("no African Lion event in %+v", x.Events)
	}
	keys := map[string]graph.Entity{}
	for _, e := range x.Entities {
		keys[e.Key] = e
	}
	for _, k := range []string{"MAR", "USA", "PAK", "org:PAK:air-force", "org:USA:africom", "place:MAR:agadir", "exercise:african-lion"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("missing entity %s", k)
		}
	}
	if keys["exercise:african-lion"].Year != 2024 {
		t.Errorf("African Lion year %d, want 2024", keys["exercise:african-lion"].Year)
	}
}

func TestInvalidInput(t *testing.T) {
	ex := extractor(t)
	for _, a := range []graph.Article{{ID: "empty", Text: "  \n "}, {ID: "bad", Text: "abc\xff"},
		{ID: "binary", Text: "PK\x03\x04\x00\x00binary"}, {ID: "controls", Text: "\x01\x02\x03\x04 abc"}} {
		_, err := ex.Extract(a)
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", a.ID, err)
		}
		if err != nil && !strings.Contains(err.Error(), a.ID) {
			t.Errorf("%s: error %q does not name the article", a.ID, err)
		}
	}
}

func TestConcurrent(t *testing.T) {
	ex := extractor(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a := samples[i%len(samples)]
			if _, err := ex.Extract(a); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
}

func FuzzExtract(f *testing.F) {
	for _, a := range samples {
		f.Add(a.Text, a.Language)
	}
	for _, s := range []string{"المملكة", "في أكتوبر 2023", "Indus Shield-2023", "du 4 au 8 février 2024", "œuvre Œ", "١٢ مارس ٢٠٢٢", "U.S. Army.", "بالرياض، حيث", "\u0640\u064b", "."} {
		f.Add(s, "")
	}
	ex, err := extract.New(extract.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		if len(lang) > 2 {
			lang = lang[:2]
		}
		x, err := ex.Extract(graph.Article{ID: "fuzz", Text: text, Language: lang, Published: "2024-02-07"})
		if err != nil {
			if graph.ErrorCode(err) == graph.EINVALID && (!utf8.ValidString(text) || strings.TrimSpace(text) == "" ||
				strings.Contains(err.Error(), "binary")) {
				return
			}
			t.Fatalf("Extract(%q): %v", text, err)
		}
		checkOffsets(t, x)
	})
}

func BenchmarkExtract(b *testing.B) {
	ex := extractor(b)
	var arts []graph.Article
	if dir := benchShared(); dir != "" {
		if data, err := os.ReadFile(filepath.Join(dir, seedName+".txt")); err == nil {
			if a, err := article.Parse("seed", data); err == nil {
				arts = append(arts, a)
			}
		}
	}
	arts = append(arts, samples...)
	size := 0
	for _, a := range arts {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			if _, err := ex.Extract(a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchShared() string {
	dir, _ := os.Getwd()
	for dir != "" {
		c := filepath.Join(dir, "shared")
		if fi, err := os.Stat(filepath.Join(c, "seeds")); err == nil && fi.IsDir() {
			return c
		}
		c = filepath.Join(dir, "..", "shared")
		if fi, err := os.Stat(filepath.Join(c, "seeds")); err == nil && fi.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}
