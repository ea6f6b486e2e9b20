package vsphere

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
)

// sessionJar is the SOAP client's cookie jar (which holds the session
// cookie), emptied before a re-login so that the login is not sent with the
// dead session's cookie.
type sessionJar struct {
	mu  sync.Mutex
	jar *cookiejar.Jar
}

func newSessionJar() *sessionJar {
	j, _ := cookiejar.New(nil) // nil options: cannot fail
	return &sessionJar{jar: j}
}

// SetCookies implements http.CookieJar.
func (s *sessionJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jar.SetCookies(u, cookies)
}

// Cookies implements http.CookieJar.
func (s *sessionJar) Cookies(u *url.URL) []*http.Cookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jar.Cookies(u)
}

// reset forgets every cookie.
func (s *sessionJar) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jar, _ = cookiejar.New(nil)
}
