package backoffice

import (
	"context"
	"net/http"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/staff"
)

const jobsPath = Prefix + "/jobs"

// Jobs: the background jobs that failed for good (jobs.read), each waiting for staff to try it once more, once its
// cause is fixed, or to discard it, dealt with otherwise (jobs.manage) — what `kumbara admin jobs` does.
func (s *Server) jobRoutes() []Route {
	return []Route{
		{Method: "GET", Path: jobsPath, Policy: Staffed(""), Permission: staff.JobsRead, Handler: s.jobsPage},
		{Method: "POST", Path: jobsPath + "/{id}/retry", Policy: Staffed(""), Permission: staff.JobsManage,
			Handler: s.jobAction("retried", (*jobs.Jobs).Retry)},
		{Method: "POST", Path: jobsPath + "/{id}/discard", Policy: Staffed(""), Permission: staff.JobsManage,
			Handler: s.jobAction("discarded", (*jobs.Jobs).Discard)},
	}
}

// JobsShown is how many failed jobs the page lists, the latest first.
const JobsShown = 50

// jobsNotices are the jobs page's notices by its m parameter: what was just done.
var jobsNotices = map[string]string{"retried": "web_bo_jobs_retried", "discarded": "web_bo_jobs_discarded"}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "web_bo_jobs_title"}
	if key, ok := jobsNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.showJobs(w, r, http.StatusOK, v)
}

// showJobs renders the failed jobs with v's notice or problem.
func (s *Server) showJobs(w http.ResponseWriter, r *http.Request, status int, v View) {
	failed, err := s.Jobs.Failed(r.Context(), JobsShown)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Data = failed
	s.render(w, r, status, "jobs", v)
}

// jobAction retries or discards the job its path names and goes back to the list, which says it is done; a job
// that is not there (job_not_found) or has not failed (job_not_failed) is said on the list, which shows the jobs
// as they are now.
func (s *Server) jobAction(done string, act func(*jobs.Jobs, context.Context, int64) error) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err == nil {
			err = act(s.Jobs, r.Context(), id)
		} else {
			err = jobs.ErrJobNotFound
		}
		if err != nil {
			status := httpx.StatusOf(kumbara.KindOf(err))
			s.showJobs(w, r, status, View{Title: "web_bo_jobs_title", Error: s.site.ProblemText(r, err)})
			return
		}
		http.Redirect(w, r, jobsPath+"?m="+done, http.StatusSeeOther)
	}
}
