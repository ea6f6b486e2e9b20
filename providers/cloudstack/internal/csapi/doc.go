// Package csapi is the CloudStack API client under the goclouds CloudStack
// driver: request signing (sign.go), the HTTP client with its retry policy
// (client.go), an HTTP/1.1 transport that works in the calling goroutine
// (transport.go), answer decoding (envelope.go, compress.go), async job
// polling (job.go) and paging (page.go). It knows CloudStack's protocol, not
// the compute API; package cloudstack maps its errors to compute errors.
//
// # Signing
//
// Every request carries apikey, response=json, signatureversion=3 and
// expires (UTC, "+0000" form, 10 minutes ahead) unless the signer is in
// legacy mode, and signature: the Base64 HMAC-SHA1 of the parameters sorted
// by name, each value encoded as Java's URLEncoder does (keeping *, encoding
// ~ and +, spaces as %20), the whole string lower-cased.
//
// # Retries
//
// Commands that only read (list*, get*, query*, find*) are sent with GET and
// retried with capped exponential backoff on connection errors, truncated or
// non-JSON 2xx answers and 5xx answers other than CloudStack's API errors
// 530-537 (534 excepted). Each retry is signed again. Every other command is
// POSTed and sent once: it is retried only when the connection could not be
// made at all, so a command that may have run is never sent twice; if its
// answer is lost the error is a *TransportError with Sent set.
//
// The exception is a refusal for rate (HTTP 429, errorcode 429): the server
// did not run the command, so every command is sent again after the wait it
// asks for, and every attempt of the Client goes through a governor (a gate
// closed by a 429, an adaptive pace, a slow-start window and the user's
// RateLimit). throttle.go describes it.
//
// # Decoding
//
// The response object is the top-level member whose name ends in
// "response"; an errorcode inside it is an error even with HTTP 200. Lists
// decode in one pass straight into typed rows (see package csjson); a
// missing array is an empty list.
package csapi
