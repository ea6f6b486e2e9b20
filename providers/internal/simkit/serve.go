package simkit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Serve waits for requests in progress when its
// context ends.
const ShutdownGrace = 5 * time.Second

// Serve serves h on ln until ctx is done. Once ln accepts connections it
// calls ready (if not nil) with the endpoint URL: "http://" + ln's address +
// path. When ctx ends it shuts the server down gracefully (waiting up to
// ShutdownGrace for requests in progress), calls stopped (if not nil) and
// returns nil; it returns the server's error if serving fails first.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, path string, ready func(endpoint string), stopped func()) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if ready != nil {
		ready("http://" + ln.Addr().String() + path)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err := hs.Shutdown(shutCtx)
	if stopped != nil {
		stopped()
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	<-errc
	return nil
}
