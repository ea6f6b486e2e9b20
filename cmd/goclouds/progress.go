package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressInterval is how often the progress indicator redraws.
const progressInterval = 100 * time.Millisecond

// progress shows a spinner with a label and the elapsed time on stderr while
// a long call (an async job, a wait) runs, when stderr is a terminal; it
// prints nothing otherwise, nor with --debug, whose logs share stderr. The
// returned function stops it and clears the line; it must be called exactly
// once.
func (env *cliEnv) progress(label string) (stop func()) {
	if env.flags.debug || !env.isTerminal(env.stderr) {
		return func() {}
	}
	return startSpinner(env.stderr, label, progressInterval)
}

// startSpinner draws the spinner on w until stop is called.
func startSpinner(w io.Writer, label string, every time.Duration) (stop func()) {
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r\033[K%s %s (%ds)", frames[i%len(frames)], label, int(time.Since(start).Seconds()))
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// withProgress runs f with a progress indicator labelled label.
func withProgress[T any](env *cliEnv, label string, f func() (T, error)) (T, error) {
	stop := env.progress(label)
	defer stop()
	return f()
}

// doWithProgress runs f, which returns only an error, with a progress
// indicator labelled label.
func doWithProgress(env *cliEnv, label string, f func() error) error {
	_, err := withProgress(env, label, func() (struct{}, error) { return struct{}{}, f() })
	return err
}
