package cloudstacksim

// Firewall rules that port forwarding and static NAT (IP forwarding) rules
// open with openfirewall=true (the default), as FirewallManager's
// createRuleForAllCidrs does: they carry the creating rule's id and are
// revoked with it (revokeRelatedFirewallRule).

// openRelated adds the firewall rule opening ports start-end of ip for the
// rule with id relatedID, unless an existing rule already covers them; it
// returns the new rule (state Add) or nil.
func (st *state) openRelated(relatedID string, ip *publicIP, proto string, start, end int, cidrs []string) *firewallRule {
	s, e := start, end
	fw := &firewallRule{owned: owned{acct: ip.acct}, ip: ip, network: ip.network, protocol: proto,
		startPort: &s, endPort: &e, cidrs: cidrs, state: "Add", related: relatedID}
	if st.conflicting(fw) != nil {
		return nil
	}
	fw.base = st.newBase()
	st.firewallRules.insert(fw)
	return fw
}

// removeRelated removes the firewall rules opened for the rule with id
// relatedID.
func (st *state) removeRelated(relatedID string) {
	dropWhere(st, &st.firewallRules, func(r *firewallRule) bool { return r.related == relatedID })
}

// ipfConflict refuses a static NAT rule whose ports overlap another's on the
// same address and protocol (NetworkRuleConflictException).
func (st *state) ipfConflict(r *ipForwardingRule) error {
	for _, x := range st.ipfRules.list {
		if x.ip == r.ip && x.protocol == r.protocol && x.startPort <= r.endPort && r.startPort <= x.endPort {
			return ruleConflict("The range specified, %d-%d, conflicts with rule %s which has %d-%d",
				r.startPort, r.endPort, x.id, x.startPort, x.endPort)
		}
	}
	return nil
}

// or2 returns v, or def when v is empty.
func or2[T any](v, def []T) []T {
	if len(v) == 0 {
		return def
	}
	return v
}
