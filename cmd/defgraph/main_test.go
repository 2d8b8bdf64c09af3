package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

// run runs the command in-process, in dir, and returns stdout, stderr and
// the exit code main would give.
func run(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), exitCode(err)
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := "store:\n  driver: sqlite\nsqlite:\n  path: from-file.db\n"
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	if _, e, code := run(t, dir, "migrate"); code != 0 || !exists("from-file.db") {
		t.Fatalf("config file: code %d, %s", code, e)
	}
	t.Setenv("DEFGRAPH_SQLITE_PATH", "from-env.db")
	if _, e, code := run(t, dir, "migrate"); code != 0 || !exists("from-env.db") {
		t.Fatalf("environment: code %d, %s", code, e)
	}
	if _, e, code := run(t, dir, "migrate", "--sqlite-path", "from-flag.db"); code != 0 || !exists("from-flag.db") {
		t.Fatalf("flag: code %d, %s", code, e)
	}
	t.Setenv("DEFGRAPH_STORE_DRIVER", "mysql")
	if _, e, code := run(t, dir, "migrate"); code != 2 || !strings.Contains(e, "mysql") {
		t.Fatalf("bad driver: code %d, %s", code, e)
	}
}

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	art := "TITLE: test\nLANG: fr\n---\nLes Forces Armées Royales marocaines ont pris part en octobre 2023 à l'exercice Indus Shield 2023, organisé par l'armée de l'air pakistanaise.\n"
	f := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(f, []byte(art), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)

	out, e, code := run(t, dir, "extract", "--published", "2023-11-02", f)
	if code != 0 {
		t.Fatalf("extract: code %d, %s", code, e)
	}
	var x graph.Extraction
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("extract output %q: %v", out, err)
	}
	keys := map[string]bool{}
	for _, en := range x.Entities {
		keys[en.Key] = true
	}
	if !keys["MAR"] || !keys["PAK"] || x.Article.Published != "2023-11-02" || x.Article.Language != "fr" {
		t.Fatalf("extract: %+v", x)
	}
	if len(x.Events) == 0 || x.Events[0].Type != graph.EventExercise {
		t.Fatalf("extract events: %+v", x.Events)
	}

	out, e, code = run(t, dir, "extract", f, empty)
	if code != 1 || !strings.Contains(e, "empty.txt") || strings.Count(out, "\n") != 1 {
		t.Fatalf("one bad file of two: code %d, stdout %d lines, stderr %s", code, strings.Count(out, "\n"), e)
	}
	if _, e, code = run(t, dir, "extract", "--published", "yesterday", f); code != 2 {
		t.Fatalf("bad --published: code %d, %s", code, e)
	}
	if _, _, code = run(t, dir, "extract"); code != 2 {
		t.Fatalf("no file: code %d", code)
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	os.WriteFile(filepath.Join(in, "ok.txt"), []byte("Pakistan and Morocco held their first joint military exercise in 2021."), 0o644)
	os.WriteFile(filepath.Join(in, "bad.txt"), []byte{0xff, 0xfe, 0}, 0o644)
	db := "--sqlite-path=" + filepath.Join(dir, "g.db")

	report := filepath.Join(dir, "report.jsonl")
	out, e, code := run(t, dir, "import", db, "--report", report, in)
	if code != 1 || !strings.Contains(out, "imported 1") || !strings.Contains(e, "bad.txt") {
		t.Fatalf("import with one bad file: code %d, %s / %s", code, out, e)
	}
	rep, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var item struct{ Source, Reason string }
	if err := json.Unmarshal(rep, &item); err != nil || !strings.HasSuffix(item.Source, "bad.txt") || item.Reason == "" ||
		strings.Count(string(rep), "\n") != 1 {
		t.Fatalf("report: %q (%v)", rep, err)
	}
	out, _, code = run(t, dir, "import", db, filepath.Join(in, "ok.txt"))
	if code != 0 || !strings.Contains(out, "unchanged 1") {
		t.Fatalf("import again: code %d, %s", code, out)
	}
	if _, e, code = run(t, dir, "import", db, filepath.Join(in, "missing")); code != 2 || !strings.Contains(e, "missing") {
		t.Fatalf("missing path: code %d, %s", code, e)
	}
	if out, _, code = run(t, dir, "version"); code != 0 || !strings.HasPrefix(out, "defgraph ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	examples, _ := filepath.Abs("../../examples/articles")
	out, e, code := run(t, dir, "eval", examples)
	if code != 0 || !strings.Contains(out, "all") || !strings.Contains(out, "ent F1") {
		t.Fatalf("eval: code %d, %s %s", code, out, e)
	}
	if _, e, code = run(t, dir, "eval", dir); code != 2 || !strings.Contains(e, "gold") {
		t.Fatalf("eval of a folder without gold files: code %d, %s", code, e)
	}
}
