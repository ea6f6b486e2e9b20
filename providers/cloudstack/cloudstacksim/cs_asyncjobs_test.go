package cloudstacksim_test

import (
	"context"
	"encoding/json"
	"github.com/goclouds/goclouds/providers/internal/realclient"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// csPython returns a Python interpreter that can import the cs client, or "".
func csPython() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import cs").Run() == nil {
			return path
		}
	}
	return ""
}

// TestCSClientListAsyncJobs checks listAsyncJobs with a real client, the
// cs package (testdata/cs_asyncjobs.py): the account's pending jobs with the
// 4.18 fields, paging, account scoping, startdate and keyword. It skips when
// cs is missing, except in CI (CI set), where that is a failure.
func TestCSClientListAsyncJobs(t *testing.T) {
	py := csPython()
	if py == "" {
		realclient.Missing(t, "python3 with cs", "python3-cs")
	}
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: time.Hour})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	defer sim.Close()
	a, u := sim.AdminCredentials(), sim.UserCredentials()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, filepath.Join("testdata", "cs_asyncjobs.py"),
		srv.URL+sim.Path(), a.APIKey, a.SecretKey, u.APIKey, u.SecretKey).CombinedOutput()
	if err != nil {
		t.Fatalf("cs_asyncjobs.py: %v\n%s", err, out)
	}
	type listing struct {
		Count     int              `json:"count"`
		AsyncJobs []map[string]any `json:"asyncjobs"`
	}
	var got struct {
		Admin, User, Listall, Today, Tomorrow, Keyword, Nokeyword listing
		Paged                                                     []map[string]any
		Jobs                                                      []string
		Ujob                                                      string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ids := func(rows []map[string]any) []string {
		var s []string
		for _, r := range rows {
			s = append(s, r["jobid"].(string))
		}
		return s
	}
	same := func(name string, rows []map[string]any, want ...string) {
		t.Helper()
		if g := ids(rows); len(g) != len(want) || (len(g) > 0 && !equal(g, want)) {
			t.Errorf("%s: jobs %v, want %v", name, g, want)
		}
	}
	same("admin (own account, oldest first)", got.Admin.AsyncJobs, got.Jobs...)
	same("paged by 2", got.Paged, got.Jobs...)
	same("user", got.User.AsyncJobs, got.Ujob)
	same("admin listall", got.Listall.AsyncJobs, append(append([]string{}, got.Jobs...), got.Ujob)...)
	same("startdate today (its time ignored)", got.Today.AsyncJobs, got.Jobs...)
	same("startdate tomorrow", got.Tomorrow.AsyncJobs)
	same("keyword", got.Keyword.AsyncJobs, got.Jobs...)
	same("other keyword", got.Nokeyword.AsyncJobs)
	if got.Admin.Count != 3 {
		t.Errorf("count %d", got.Admin.Count)
	}
	// The fields of the 4.18 spec, and no jobresult while pending.
	for _, row := range got.Admin.AsyncJobs {
		for _, f := range []string{"accountid", "userid", "cmd", "jobstatus", "jobprocstatus", "jobresultcode", "jobinstancetype", "jobinstanceid", "created", "jobid"} {
			if _, ok := row[f]; !ok {
				t.Errorf("field %s missing: %v", f, row)
			}
		}
		for _, f := range []string{"jobresult", "account", "domainid", "domainpath"} {
			if _, ok := row[f]; ok {
				t.Errorf("field %s present: %v", f, row)
			}
		}
	}
	if sim.RequestCount("listAsyncJobs") < 8 {
		t.Errorf("cs sent %d listAsyncJobs", sim.RequestCount("listAsyncJobs"))
	}
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
