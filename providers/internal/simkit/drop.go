package simkit

import (
	"fmt"
	"net/http"
)

// DropConnection closes the client connection without an answer (the
// client sees EOF or a reset). It must be the last thing a handler does.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// WriteTruncated announces body's full length, sends only its first half,
// then drops the connection: an answer cut in transit.
func WriteTruncated(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	DropConnection(w)
}
