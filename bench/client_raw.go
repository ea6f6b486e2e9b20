package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// rawClient is the floor that transport plus parsing allow: net/http sending
// the same requests as goclouds (same commands and parameters, keep-alive
// connections), with signatures computed before the measurement starts, and
// answers decoded with encoding/json into map[string]any. Lists are fetched
// page after page. Creates poll the way cloudstack-go's async client does
// (sleep 1 s, 2 s, 3 s, ... before each poll, reference §3), signing each
// poll when it is sent (its job id is unknown before).
type rawClient struct {
	hc                *http.Client
	a                 *clientArgs
	urls              []string // pre-signed requests
	zone, tmpl, offer string
}

func (c *rawClient) name() string { return "raw" }

// signed returns the request URL for params with the signature (version 3,
// expiring in an hour) computed now.
func (c *rawClient) signed(params url.Values) string {
	v := url.Values{}
	for k, vs := range params {
		v[k] = vs
	}
	v.Set("signatureversion", "3")
	v.Set("expires", cloudstacksim.FormatExpires(time.Now().Add(time.Hour)))
	return c.a.endpoint + "?" + cloudstacksim.SignValues(v, c.a.key, c.a.secret).Encode()
}

func (c *rawClient) prepare(w string, a *clientArgs) error {
	c.a = a
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 128
	c.hc = &http.Client{Transport: tr, Timeout: time.Minute}
	switch w {
	case wlZones:
		for range a.n {
			c.urls = append(c.urls, c.signed(url.Values{"command": {"listZones"}, "available": {"true"},
				"page": {"1"}, "pagesize": {"500"}}))
		}
	case wlList:
		for page := 1; page <= a.n/500+2; page++ {
			c.urls = append(c.urls, c.signed(c.listParams(page)))
		}
	case wlCreateSeq, wlCreatePar:
		find := func(command, key, name string, extra url.Values) (string, error) {
			p := url.Values{"command": {command}}
			for k, v := range extra {
				p[k] = v
			}
			m, err := c.get(c.signed(p))
			if err != nil {
				return "", err
			}
			for _, row := range rows(m, key) {
				if obj, ok := row.(map[string]any); ok && obj["name"] == name {
					return fmt.Sprint(obj["id"]), nil
				}
			}
			return "", fmt.Errorf("%s: no %s named %q", command, key, name)
		}
		var err error
		if c.zone, err = find("listZones", "zone", simZone, nil); err != nil {
			return err
		}
		if c.tmpl, err = find("listTemplates", "template", simTemplate, url.Values{"templatefilter": {"executable"}, "zoneid": {c.zone}}); err != nil {
			return err
		}
		if c.offer, err = find("listServiceOfferings", "serviceoffering", simOffering, nil); err != nil {
			return err
		}
	default:
		return fmt.Errorf("the raw client has no workload %q", w)
	}
	return nil
}

func (c *rawClient) listParams(page int) url.Values {
	return url.Values{"command": {"listVirtualMachines"}, "page": {strconv.Itoa(page)}, "pagesize": {"500"}}
}

// get sends a GET and decodes the answer's "...response" object.
func (c *rawClient) get(u string) (map[string]any, error) {
	resp, err := c.hc.Get(u)
	if err != nil {
		return nil, err
	}
	return decodeRaw(resp)
}

func decodeRaw(resp *http.Response) (map[string]any, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	for k, v := range env {
		m, _ := v.(map[string]any)
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d: %s: %v", resp.StatusCode, k, m["errortext"])
		}
		return m, nil
	}
	return nil, fmt.Errorf("HTTP %d: empty answer", resp.StatusCode)
}

func rows(m map[string]any, key string) []any {
	r, _ := m[key].([]any)
	return r
}

func (c *rawClient) run(w string, a *clientArgs, r *result) {
	var errs errorCounter
	defer errs.fill(r)
	switch w {
	case wlZones:
		measure(r, func() {
			for _, u := range c.urls {
				m, err := c.get(u)
				errs.add(err)
				r.Rows = len(rows(m, "zone"))
			}
		})
	case wlList:
		measure(r, func() {
			var all []any
			for page := 1; ; page++ {
				u := ""
				if page <= len(c.urls) {
					u = c.urls[page-1]
				} else {
					u = c.signed(c.listParams(page))
				}
				m, err := c.get(u)
				if err != nil {
					errs.add(err)
					break
				}
				got := rows(m, "virtualmachine")
				all = append(all, got...)
				count, _ := m["count"].(float64)
				if len(got) == 0 || len(all) >= int(count) {
					break
				}
			}
			r.Rows = len(all)
		})
	case wlCreateSeq, wlCreatePar:
		runCreates(w, a.n, r, &errs, func(i int) (bool, error) {
			state, err := c.create(fmt.Sprintf("%s-%d", a.tag, i))
			return state == "Running", err
		})
	}
}

// create deploys a VM (POST) and polls its job as cloudstack-go does; it
// returns the VM's state from the job result.
func (c *rawClient) create(name string) (string, error) {
	p := url.Values{"command": {"deployVirtualMachine"}, "zoneid": {c.zone}, "templateid": {c.tmpl},
		"serviceofferingid": {c.offer}, "name": {name}}
	u := c.signed(p)
	endpoint, query, _ := strings.Cut(u, "?")
	resp, err := c.hc.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(query))
	if err != nil {
		return "", err
	}
	m, err := decodeRaw(resp)
	if err != nil {
		return "", err
	}
	jobID := fmt.Sprint(m["jobid"])
	for wait := time.Second; ; wait = min(wait+time.Second, 15*time.Second) {
		time.Sleep(wait)
		j, err := c.get(c.signed(url.Values{"command": {"queryAsyncJobResult"}, "jobid": {jobID}}))
		if err != nil {
			return "", err
		}
		switch j["jobstatus"] {
		case 0.0:
			continue
		case 1.0:
			res, _ := j["jobresult"].(map[string]any)
			vm, _ := res["virtualmachine"].(map[string]any)
			return fmt.Sprint(vm["state"]), nil
		default:
			return "", fmt.Errorf("job %s failed: %v", jobID, j["jobresult"])
		}
	}
}
