package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/defgraph/defgraph/internal/extract"
)

// repoFile walks up from the package directory to the repository root (the
// folder with go.mod) and returns rel inside it.
func repoFile(t *testing.T, rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// evalCorpus scores the extractor on a folder of the repository and
// returns the report and its text (printed with EVAL_REPORT=1).
func evalCorpus(t *testing.T, rel string) (Report, *bytes.Buffer) {
	t.Helper()
	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := EvalDir(repoFile(t, rel), ex)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.WriteText(&b)
	if os.Getenv("EVAL_REPORT") != "" {
		os.Stdout.Write(b.Bytes())
	}
	return rep, &b
}

// TestExamplesCorpus scores the extractor on examples/articles. The target
// is entity F1 >= 0.9 and event F1 >= 0.8 overall; both are met (0.965 and
// 0.839 with this version); the event floor is a regression guard just
// under the level reached. EVAL_REPORT=1 prints the report.
func TestExamplesCorpus(t *testing.T) {
	rep, b := evalCorpus(t, "examples/articles")
	if f := rep.Overall.Entities.F1(); f < 0.95 {
		t.Errorf("entity F1 %.3f < 0.95\n%s", f, b.String())
	}
	if f := rep.Overall.Events.F1(); f < eventFloor {
		t.Errorf("event F1 %.3f < %.2f\n%s", f, eventFloor, b.String())
	} else if f < eventTarget {
		t.Logf("event F1 %.3f: above the floor %.2f, below the target %.2f", f, eventFloor, eventTarget)
	}
}

const (
	eventTarget = 0.8
	eventFloor  = 0.83
)
