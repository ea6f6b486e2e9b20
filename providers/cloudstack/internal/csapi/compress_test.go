package csapi

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gzipBytes(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// gzipAnswer answers body gzip-compressed, and 406 to a request that does
// not accept it.
func gzipAnswer(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		w.Write(gzipBytes(body))
	}
}

// Compressed answers are asked for and decompressed (net/http's transport
// leaves them alone since the client sets Accept-Encoding); a 429's wait is read from the compressed
// text; a corrupt compressed body is retried like any broken read.
func TestClient_GzipAnswers(t *testing.T) {
	big := `{"listzonesresponse":{"count":1,"zone":[{"id":"z1","name":"` + strings.Repeat("n", 200<<10) + `"}]}}`
	for name, tr := range map[string]http.RoundTripper{"net/http": NewTransport(TransportConfig{}), "default": http.DefaultTransport.(*http.Transport).Clone()} {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(http.ResponseWriter, *http.Request){
				gzipAnswer(200, zones),
				gzipAnswer(200, big),
				gzipAnswer(431, `{"listzonesresponse":{"errorcode":431,"errortext":"bad zone"}}`),
				gzipAnswer(429, `{"listzonesresponse":{"errorcode":429,"errortext":"please retry after [1] ms."}}`),
				func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Encoding", "gzip")
					w.Write([]byte("not gzip at all"))
				},
				gzipAnswer(200, zones),
			}}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			u, _ := url.Parse(srv.URL + "/client/api")
			c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "key", SecretKey: "topsecret"},
				HTTPClient: &http.Client{Transport: tr}, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			for _, want := range []string{zones, big} {
				resp, err := c.Do(t.Context(), "listZones", nil)
				require.NoError(t, err)
				assert.Equal(t, want, string(resp.Body))
				resp.release()
			}
			err := c.Read(t.Context(), "listZones", nil, func(resp *Response) error { return Decode(resp, nil) })
			var ae *Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "bad zone", ae.ErrorText)
			// 429 (waits as asked), then a corrupt body (retried), then the answer.
			resp, err := c.Do(t.Context(), "listZones", nil)
			require.NoError(t, err)
			assert.Equal(t, zones, string(resp.Body))
			assert.Equal(t, 3, resp.Attempts)
			assert.Equal(t, 6, s.count())
		})
	}
}
