package main

import (
	"slices"
	"strings"
)

// closest returns up to n of the candidates nearest to name, in name
// order: those that differ only in case, then those a few edits away (about
// a third of the name's length; containing name or being contained in it
// counts as two edits), keeping only the nearest tier. Names too far away
// are left out, so the list may be empty.
func closest(name string, candidates []string, n int) []string {
	type scored struct {
		s    string
		dist int
	}
	low := strings.ToLower(name)
	limit := max(2, len([]rune(low))/3)
	var hits []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(low, lc)
		switch {
		case lc == low:
			d = 0
		case len(low) >= 3 && (strings.Contains(lc, low) || strings.Contains(low, lc)):
			d = min(d, 2)
		}
		if d <= limit {
			hits = append(hits, scored{c, d})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return strings.Compare(a.s, b.s)
	})
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits {
		if len(out) == n || h.dist > hits[0].dist {
			break // only the nearest tier
		}
		if !slices.Contains(out, h.s) {
			out = append(out, h.s)
		}
	}
	return out
}

// didYouMean renders suggestions as `; did you mean "a" or "b"?`, or "".
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	q := make([]string, len(suggestions))
	for i, s := range suggestions {
		q[i] = `"` + s + `"`
	}
	return "; did you mean " + strings.Join(q, " or ") + "?"
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
