package article

import (
	"strings"
	"testing"

	"github.com/defgraph/defgraph/graph"
)

func TestParseHeader(t *testing.T) {
	a, err := Parse("a.txt", []byte("\xef\xbb\xbfURL: https://example.org/x\r\nTITLE: Un titre\r\nDATE: 2024-02-07T10:00:00Z\r\nLANG: FR\r\n---\r\nLe corps.\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "https://example.org/x" || a.Title != "Un titre" || a.Published != "2024-02-07" || a.Language != "fr" || a.Text != "Le corps.\n" {
		t.Fatalf("%+v", a)
	}
	if a.ID != graph.ArticleID(a.URL, "") || a.Source != "a.txt" {
		t.Fatalf("id %s source %s", a.ID, a.Source)
	}
}

func TestParseWithoutHeader(t *testing.T) {
	body := "عنوان المقال\n\nURL: this line is part of the body\n---\n"
	a, err := Parse("b.txt", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != body || a.Title != "عنوان المقال" || a.URL != "" {
		t.Fatalf("%+v", a)
	}
	if a.ID != graph.ArticleID("", body) {
		t.Fatal("id is not the hash of the text")
	}
	// Same text with other whitespace: same id.
	b, _ := Parse("c.txt", []byte("عنوان  المقال\n\nURL: this line is part of the body ---"))
	if b.ID != a.ID {
		t.Fatal("whitespace changed the id")
	}
}

func TestParseBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		says string
	}{
		"empty":     {"", "empty"},
		"blank":     {" \n\t\n", "empty"},
		"only hdr":  {"TITLE: x\n---\n", "empty"},
		"binary":    {"ab\x00cd", "binary"},
		"latin1":    {"caf\xe9", "UTF-8"},
		"bad date":  {"DATE: yesterday\n---\ntext", "yesterday"},
		"too large": {strings.Repeat("a", MaxSize+1), "limit"},
	} {
		_, err := Parse(name+".txt", []byte(c.data))
		if graph.ErrorCode(err) != graph.EINVALID || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), name+".txt") {
			t.Errorf("%s: %v (want EINVALID naming the file and saying %q)", name, err, c.says)
		}
	}
}
