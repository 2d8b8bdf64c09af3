package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph/neo4j"
	"github.com/defgraph/defgraph/graph/storetest"
	"github.com/defgraph/defgraph/internal/api"
)

// TestNeo4jOutage starts a Neo4j of its own (tools/neo4j), serves the API
// over it, kills the server with SIGKILL and checks that the API answers
// 503 with a clear message, then starts Neo4j again on the same data and
// checks that the API recovers by itself.
func TestNeo4jOutage(t *testing.T) {
	if os.Getenv("DEFGRAPH_TEST_NEO4J_URI") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but DEFGRAPH_TEST_NEO4J_URI is not set: run the tests through make test")
		}
		t.Skip("no Neo4j for tests (DEFGRAPH_TEST_NEO4J_URI unset); make test starts one")
	}
	root := repoRoot(t)
	data := t.TempDir()
	port := strconv.Itoa(17700 + os.Getpid()%200)
	env := append(os.Environ(), "NEO4J_DATA="+data, "NEO4J_BOLT_PORT="+port, "NEO4J_PIDFILE="+filepath.Join(data, "pid"))
	script := func(name string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(root, "tools", "neo4j", name))
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	script("start-bg.sh")
	t.Cleanup(func() { script("stop.sh") })

	ctx := context.Background()
	store, err := neo4j.Open(ctx, neo4j.Config{URI: "bolt://127.0.0.1:" + port, ConnectTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Write(ctx, storetest.Corpus()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(store, api.Options{}).Handler())
	defer srv.Close()

	status := func(path string) (int, string) {
		c := http.Client{Timeout: 40 * time.Second}
		res, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		json.NewDecoder(res.Body).Decode(&body)
		return res.StatusCode, body.Error.Message
	}
	if code, msg := status("/api/v1/search?q=morocco"); code != 200 {
		t.Fatalf("before the outage: %d %s", code, msg)
	}

	pid, err := os.ReadFile(filepath.Join(data, "pid"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(pid)))
	if err := syscall.Kill(n, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if syscall.Kill(n, 0) != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, path := range []string{"/api/v1/search?q=morocco", "/api/v1/entities/MAR", "/healthz"} {
		code, msg := status(path)
		if code != http.StatusServiceUnavailable {
			t.Fatalf("during the outage GET %s: %d %q, want 503", path, code, msg)
		}
		if path != "/healthz" && !strings.Contains(strings.ToLower(msg), "neo4j") {
			t.Errorf("during the outage GET %s: message %q does not say Neo4j is unreachable", path, msg)
		}
	}

	os.Remove(filepath.Join(data, "pid"))
	script("start-bg.sh")
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, msg := status("/api/v1/entities/MAR")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the API did not recover within 60 s after Neo4j came back: %d %s", code, msg)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code, _ := status("/healthz"); code != 200 {
		t.Fatalf("healthz after recovery: %d", code)
	}
}
