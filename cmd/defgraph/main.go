// Command defgraph builds and serves the defense-cooperation knowledge
// graph: `defgraph extract`, `import`, `serve`, `migrate`, `version`.
// Settings come from config.yaml, DEFGRAPH_* environment variables and
// flags, in rising order of precedence.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// exitError carries an exit status: 1 for a run in which some items failed,
// 2 for bad usage.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	cmd := newRootCmd()
	// DEFGRAPH_CPUPROFILE=FILE writes a CPU profile of the run (go tool
	// pprof), for tuning the import.
	if p := os.Getenv("DEFGRAPH_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "defgraph:", err)
		pprof.StopCPUProfile()
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for bad usage, the code an exitError carries, else 1.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case isUsageError(err):
		return 2
	}
	return 1
}
