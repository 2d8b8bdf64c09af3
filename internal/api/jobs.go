package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/importer"
)

// maxJobErrors bounds the failures a job keeps for its report.
const maxJobErrors = 1000

// Job is a background import of an uploaded JSON Lines file.
type Job struct {
	ID        string             `json:"id"`
	Status    string             `json:"status"` // queued, running, done, failed
	Created   time.Time          `json:"created"`
	Started   *time.Time         `json:"started,omitempty"`
	Finished  *time.Time         `json:"finished,omitempty"`
	Bytes     int64              `json:"bytes"`
	Read      int                `json:"read"`
	Imported  int                `json:"imported"`
	Unchanged int                `json:"unchanged"`
	Failed    int                `json:"failed"`
	Entities  int                `json:"entities"`
	Events    int                `json:"events"`
	Errors    []importer.Failure `json:"errors"`
	Error     string             `json:"error,omitempty"` // why the whole job failed
}

// jobs holds the import jobs of this process (they are not persisted).
type jobs struct {
	mu   sync.Mutex
	byID map[string]*Job
	wg   sync.WaitGroup
	ctx  context.Context
	stop context.CancelFunc
}

func newJobs() *jobs {
	ctx, stop := context.WithCancel(context.Background())
	return &jobs{byID: map[string]*Job{}, ctx: ctx, stop: stop}
}

func (j *jobs) get(id string) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.byID[id]
	if !ok {
		return Job{}, false
	}
	cp := *job
	cp.Errors = append([]importer.Failure{}, job.Errors...)
	return cp, true
}

func (j *jobs) update(id string, f func(*Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f(j.byID[id])
}

// Close cancels the running import jobs and waits for them to stop.
func (s *Server) Close() {
	s.jobs.stop()
	s.jobs.wg.Wait()
}

// postImport stores the uploaded JSON Lines (the raw body, or the form
// field "file" of a multipart upload) and imports it in the background:
// 202 with the job, whose progress GET /imports/{id} reports.
func (s *Server) postImport(c *gin.Context) {
	if s.opts.Extractor == nil {
		s.fail(c, graph.Errorf(graph.EUNAVAILABLE, "this server has no extractor: imports are disabled"))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxUploadBytes)
	var src io.Reader = c.Request.Body
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt == "multipart/form-data" {
		fh, err := c.FormFile("file")
		if err != nil {
			s.failUpload(c, err, "a multipart upload needs its JSON Lines in the field \"file\"")
			return
		}
		f, err := fh.Open()
		if err != nil {
			s.fail(c, invalid("reading the upload: %v", err))
			return
		}
		defer f.Close()
		src = f
	}
	tmp, err := os.CreateTemp(s.opts.UploadDir, "defgraph-import-*.jsonl")
	if err != nil {
		s.fail(c, graph.Wrap(graph.EINTERNAL, err, "storing the upload"))
		return
	}
	n, err := io.Copy(tmp, src)
	tmp.Close()
	if err != nil {
		os.Remove(tmp.Name())
		s.failUpload(c, err, "reading the upload")
		return
	}
	if n == 0 {
		os.Remove(tmp.Name())
		s.fail(c, invalid("empty upload: send JSON Lines, one article per line {url, title, published, language, text}"))
		return
	}
	var b [8]byte
	rand.Read(b[:])
	job := &Job{ID: hex.EncodeToString(b[:]), Status: "queued", Created: time.Now().UTC(), Bytes: n, Errors: []importer.Failure{}}
	s.jobs.mu.Lock()
	s.jobs.byID[job.ID] = job
	s.jobs.mu.Unlock()
	s.jobs.wg.Add(1)
	go s.runJob(job.ID, tmp.Name())
	c.Header("Location", "/api/v1/imports/"+job.ID)
	cp, _ := s.jobs.get(job.ID)
	c.JSON(http.StatusAccepted, cp)
}

func (s *Server) failUpload(c *gin.Context, err error, what string) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.fail(c, errTooLarge(s.opts.MaxUploadBytes))
		return
	}
	s.fail(c, invalid("%s: %v", what, err))
}

func (s *Server) runJob(id, path string) {
	defer s.jobs.wg.Done()
	defer os.Remove(path)
	now := time.Now().UTC()
	s.jobs.update(id, func(j *Job) { j.Status, j.Started = "running", &now })
	opts := s.opts.Import
	opts.OnProgress = func(sum importer.Summary) {
		s.jobs.update(id, func(j *Job) { setCounts(j, sum, path) })
	}
	sum, err := importer.Import(s.jobs.ctx, s.store, s.opts.Extractor, []string{path}, opts)
	end := time.Now().UTC()
	s.jobs.update(id, func(j *Job) {
		setCounts(j, sum, path)
		j.Finished = &end
		j.Status = "done"
		if err != nil {
			j.Status, j.Error = "failed", graph.ErrorMessage(err)
		}
	})
}

// setCounts copies the running totals of an import into its job; the
// upload's temporary file is called "upload" in the reasons.
func setCounts(j *Job, sum importer.Summary, path string) {
	j.Read, j.Imported, j.Unchanged, j.Failed = sum.Read, sum.Imported, sum.Unchanged, len(sum.Failed)
	j.Entities, j.Events = sum.Entities, sum.Events
	errs := sum.Failed
	if len(errs) > maxJobErrors {
		errs = errs[:maxJobErrors]
	}
	j.Errors = append(j.Errors[:0], errs...)
	for i := range j.Errors {
		j.Errors[i].Source = "upload" // the temporary file's name means nothing to the client
		j.Errors[i].Reason = strings.ReplaceAll(j.Errors[i].Reason, path, "upload")
	}
}

func (s *Server) getImport(c *gin.Context) {
	job, ok := s.jobs.get(c.Param("id"))
	if !ok {
		s.fail(c, graph.Errorf(graph.ENOTFOUND, "import job %q not found (jobs are kept until the server restarts)", c.Param("id")))
		return
	}
	c.JSON(http.StatusOK, job)
}

func (s *Server) listImports(c *gin.Context) {
	s.jobs.mu.Lock()
	list := make([]Job, 0, len(s.jobs.byID))
	for _, j := range s.jobs.byID {
		cp := *j
		cp.Errors = nil
		list = append(list, cp)
	}
	s.jobs.mu.Unlock()
	sort.Slice(list, func(a, b int) bool { return list[a].Created.After(list[b].Created) })
	c.JSON(http.StatusOK, gin.H{"imports": list})
}
