package graph

import (
	"sync"
	"testing"
)

// Fold is used by concurrent readers and writers of every store.
func TestFoldConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				if got := Fold("Générated Ârmy"); got != "generated army" {
					t.Errorf("Fold = %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
