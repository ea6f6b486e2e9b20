// Package realclient holds the one rule every test that drives a
// simulator or driver with a real client or server (Libcloud, cs, awscli,
// boto3, openstacksdk, nginx) follows when that client is missing: skip on
// a developer's machine, fail in CI (CI set; .ci/run sets it and installs
// the clients), so CI can never pass by skipping.
package realclient
