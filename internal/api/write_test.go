package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/internal/api"
	"github.com/defgraph/defgraph/internal/extract"
)

const token = "s3cret-token"

func writeServer(t *testing.T, opts api.Options) (string, graph.Store) {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Extractor = ex
	opts.UploadDir = t.TempDir()
	s := api.New(store, opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv.URL, store
}

func do(t *testing.T, method, url, tok, ctype string, body io.Reader, want int, v any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, body)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, url, res.StatusCode, want, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, data)
		}
	}
}

var posted = map[string]string{
	"url": "https://example.org/post/1", "title": "Indus Shield", "published": "2023-11-02", "language": "en",
	"text": "The Royal Moroccan Armed Forces took part in the multinational exercise Indus Shield 2023, organized by the Pakistan Air Force in October 2023.",
}

func TestPostArticles(t *testing.T) {
	base, store := writeServer(t, api.Options{Tokens: []string{"other", token}, MaxBodyBytes: 64 << 10})
	one, _ := json.Marshal(posted)

	var e apiError
	do(t, "POST", base+"/api/v1/articles", "", "application/json", bytes.NewReader(one), 401, &e)
	if !strings.Contains(e.Error.Message, "Bearer") {
		t.Errorf("no token: %+v", e)
	}
	do(t, "POST", base+"/api/v1/articles", "wrong", "application/json", bytes.NewReader(one), 401, &e)

	var res api.PostResult
	do(t, "POST", base+"/api/v1/articles", token, "application/json", bytes.NewReader(one), 200, &res)
	if res.Imported != 1 || len(res.Articles) != 1 || len(res.Articles[0].Events) == 0 {
		t.Fatalf("post one: %+v", res)
	}
	if ev := res.Articles[0].Events[0]; ev.Type != graph.EventExercise || ev.Subject != "exercise:indus-shield" {
		t.Errorf("extracted event: %+v", ev)
	}
	tl, err := store.Timeline(t.Context(), graph.TimelineQuery{Entity: "MAR", With: "PAK"})
	if err != nil || len(tl) != 1 {
		t.Fatalf("the posted article is not in the graph: %v %v", tl, err)
	}

	// An array: the same article again (unchanged), an empty one and a bad date.
	arr, _ := json.Marshal([]map[string]string{posted, {"text": "  "}, {"text": "Morocco and France signed an agreement.", "published": "yesterday"}})
	res = api.PostResult{}
	do(t, "POST", base+"/api/v1/articles", token, "application/json", bytes.NewReader(arr), 200, &res)
	if res.Unchanged != 1 || len(res.Failed) != 2 || res.Failed[0].Index != 1 || res.Failed[1].Index != 2 ||
		!strings.Contains(res.Failed[0].Reason, "empty") || !strings.Contains(res.Failed[1].Reason, "yesterday") {
		t.Fatalf("post array: %+v", res)
	}

	do(t, "POST", base+"/api/v1/articles", token, "application/json", strings.NewReader(`{"text": `), 400, &e)
	if !strings.Contains(e.Error.Message, "malformed JSON") {
		t.Errorf("malformed: %+v", e)
	}
	big, _ := json.Marshal(map[string]string{"text": strings.Repeat("Morocco. ", 10000)})
	do(t, "POST", base+"/api/v1/articles", token, "application/json", bytes.NewReader(big), 413, &e)
	if !strings.Contains(e.Error.Message, "limit") {
		t.Errorf("too large: %+v", e)
	}
	// Reads stay open.
	do(t, "GET", base+"/api/v1/stats", "", "", nil, 200, nil)
}

func TestWritesNeedConfiguredTokens(t *testing.T) {
	base, _ := writeServer(t, api.Options{})
	one, _ := json.Marshal(posted)
	var e apiError
	do(t, "POST", base+"/api/v1/articles", "anything", "application/json", bytes.NewReader(one), 403, &e)
	if !strings.Contains(e.Error.Message, "api.tokens") {
		t.Errorf("no tokens configured: %+v", e)
	}
}

func TestProtectedReads(t *testing.T) {
	base, _ := writeServer(t, api.Options{Tokens: []string{token}, ProtectReads: true})
	do(t, "GET", base+"/api/v1/stats", "", "", nil, 401, nil)
	do(t, "GET", base+"/api/v1/stats", token, "", nil, 200, nil)
	do(t, "GET", base+"/healthz", "", "", nil, 200, nil)
}

func TestImportJobs(t *testing.T) {
	base, store := writeServer(t, api.Options{Tokens: []string{token}, MaxUploadBytes: 1 << 20})
	var lines bytes.Buffer
	l1, _ := json.Marshal(posted)
	l2, _ := json.Marshal(map[string]string{"url": "https://example.org/post/2", "published": "2021-11-25", "language": "fr",
		"text": "Le Maroc et Israël ont signé mercredi 24 novembre 2021 à Rabat un protocole d'accord de coopération sécuritaire."})
	lines.Write(l1)
	lines.WriteString("\n{broken\n")
	lines.Write(l2)
	lines.WriteString("\n")

	var e apiError
	do(t, "POST", base+"/api/v1/imports", "", "application/x-ndjson", bytes.NewReader(lines.Bytes()), 401, &e)
	var job api.Job
	do(t, "POST", base+"/api/v1/imports", token, "application/x-ndjson", bytes.NewReader(lines.Bytes()), 202, &job)
	if job.ID == "" || (job.Status != "queued" && job.Status != "running" && job.Status != "done") {
		t.Fatalf("job: %+v", job)
	}
	deadline := time.Now().Add(30 * time.Second)
	for job.Status != "done" && job.Status != "failed" {
		if time.Now().After(deadline) {
			t.Fatalf("job still %s after 30 s", job.Status)
		}
		time.Sleep(50 * time.Millisecond)
		do(t, "GET", base+"/api/v1/imports/"+job.ID, token, "", nil, 200, &job)
	}
	if job.Status != "done" || job.Read != 3 || job.Imported != 2 || job.Failed != 1 ||
		len(job.Errors) != 1 || job.Errors[0].Line != 2 || !strings.Contains(job.Errors[0].Reason, "malformed JSON") {
		t.Fatalf("finished job: %+v", job)
	}
	st, _ := store.Stats(t.Context())
	if st.Articles != 2 {
		t.Fatalf("%d articles after the job", st.Articles)
	}
	var list struct{ Imports []api.Job }
	do(t, "GET", base+"/api/v1/imports", token, "", nil, 200, &list)
	if len(list.Imports) != 1 || list.Imports[0].ID != job.ID {
		t.Fatalf("list: %+v", list)
	}
	do(t, "GET", base+"/api/v1/imports/nope", token, "", nil, 404, &e)

	// Multipart upload of the same file: nothing changes.
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	fw, _ := w.CreateFormFile("file", "articles.jsonl")
	fw.Write(lines.Bytes())
	w.Close()
	do(t, "POST", base+"/api/v1/imports", token, w.FormDataContentType(), &mp, 202, &job)
	for job.Status != "done" && job.Status != "failed" {
		time.Sleep(50 * time.Millisecond)
		do(t, "GET", base+"/api/v1/imports/"+job.ID, token, "", nil, 200, &job)
	}
	if job.Unchanged != 2 || job.Imported != 0 {
		t.Fatalf("second upload: %+v", job)
	}

	do(t, "POST", base+"/api/v1/imports", token, "application/x-ndjson", strings.NewReader(""), 400, &e)
	do(t, "POST", base+"/api/v1/imports", token, "application/x-ndjson", bytes.NewReader(make([]byte, 2<<20)), 413, &e)
}
