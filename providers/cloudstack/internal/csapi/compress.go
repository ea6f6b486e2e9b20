package csapi

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Answers are asked for gzip-compressed (Accept-Encoding: gzip, as
// net/http's transport does on its own) and decompressed here, whatever
// the transport: a large listing shrinks about tenfold on the wire.

// gzipped reports whether resp's body is gzip-compressed and was not
// decompressed by the transport.
func gzipped(resp *http.Response) bool {
	return !resp.Uncompressed && strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip")
}

var gzipReaders sync.Pool // of *gzip.Reader

// gunzip returns a reader of r decompressed, and a function to call once it
// is no longer used.
func gunzip(r io.Reader) (io.Reader, func(), error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(r)
	} else {
		err = zr.Reset(r)
	}
	if err != nil {
		return nil, nil, err
	}
	return zr, func() { gzipReaders.Put(zr) }, nil
}
