package main

import (
	"fmt"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

const (
	// wlCreateThrottled is n CreateNode calls at once against a simulator
	// throttled at throttleRate requests/s, as the normal account "user".
	wlCreateThrottled = "create-throttled"
	throttleRate      = 25
)

// throttledClients are the clients of the throttled create workload:
// goclouds, Libcloud and cs (the raw baseline has no answer to 429).
func (b *bench) throttledClients() []clientSpec {
	var out []clientSpec
	for _, c := range b.clients {
		if c.key != "raw" {
			out = append(out, c)
		}
	}
	return out
}

// throttledRounds runs the throttled create workload: cfg.createN creates at
// once per client against its own `goclouds sim --throttle 25`, as the
// normal account "user" (the root admin is exempt, as on a real server),
// cfg.createRounds rounds, counting every request and 429 at the
// simulator's door.
func (b *bench) throttledRounds(clients []clientSpec, sims []*simProc) error {
	if !b.cfg.want(wlCreateThrottled) {
		return nil
	}
	proxies := map[string]*countingProxy{}
	for i, s := range sims {
		p, err := newCountingProxy(s.endpoint)
		if err != nil {
			return err
		}
		defer p.close()
		proxies[clients[i].key] = p
	}
	for r := range b.cfg.createRounds {
		b.logf("throttled creates round %d/%d (%d at once per client, %d requests/s)", r+1, b.cfg.createRounds, b.cfg.createN, throttleRate)
		for _, c := range rotate(clients, r) {
			p := proxies[c.key]
			a := &clientArgs{endpoint: p.endpoint, n: b.cfg.createN, tag: fmt.Sprintf("thr-%s-%d", c.key, r),
				key: cloudstacksim.DefaultUserAPIKey, secret: cloudstacksim.DefaultUserSecretKey}
			if err := b.record(c, wlCreateThrottled, a, p); err != nil {
				return err
			}
		}
	}
	return nil
}
