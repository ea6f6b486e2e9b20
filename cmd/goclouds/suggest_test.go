package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	names := []string{"Ubuntu 22.04 LTS", "Ubuntu 20.04 LTS", "CentOS 7", "Small Instance", "Medium Instance"}
	assert.Equal(t, []string{"Ubuntu 22.04 LTS"}, closest("Ubuntu 22.04", names, 3), "contained in a name")
	assert.Equal(t, []string{"Ubuntu 22.04 LTS"}, closest("ubuntu 22.04 lts", names, 3), "case only")
	assert.Equal(t, []string{"CentOS 7"}, closest("Centos7", names, 3))
	assert.Empty(t, closest("Windows", names, 3))
	assert.Equal(t, []string{"Medium Instance", "Small Instance"}, closest("Instance", names, 3), "ties in name order")
	assert.Len(t, closest("Instance", names, 1), 1)
	assert.Equal(t, `; did you mean "a" or "b"?`, didYouMean([]string{"a", "b"}))
	assert.Empty(t, didYouMean(nil))
	assert.Equal(t, 3, editDistance("kitten", "sitting"))
	assert.Equal(t, 0, editDistance("", ""))
	assert.Equal(t, 2, editDistance("héllo", "hallo!"))
}
