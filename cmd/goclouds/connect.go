package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
)

// connect resolves the configuration, builds the driver it names and returns
// it with the command's context, bounded by --timeout when set. Construction
// does no network I/O.
func (env *cliEnv) connect(cmd *cobra.Command) (context.Context, compute.Driver, error) {
	s, err := env.resolveSettings()
	if err != nil {
		return nil, nil, err
	}
	env.scrubber = newScrubber(s.secretKey)
	logger := env.logger(s)
	if logger != nil {
		logger.Debug("goclouds: configuration", "provider", s.provider, "url", s.url,
			"api_key", s.apiKey, "secret_key", redacted(s.secretKey), "region", s.region,
			"insecure", s.insecure, "timeout", s.timeout, "profile", s.profile,
			"config_file", s.configFile, "sources", s.sources)
	}
	factory, err := providers.GetDriver(s.provider)
	if err != nil {
		return nil, nil, asUsage(err)
	}
	if err := s.checkMissing(); err != nil {
		return nil, nil, err
	}
	d, err := factory(compute.Config{
		URL:      s.url,
		Key:      s.apiKey,
		Secret:   s.secretKey,
		Insecure: s.insecure,
		Region:   s.region,
		Timeout:  s.timeout,
		Logger:   logger,
		Options:  s.options,
	})
	if err != nil {
		if errors.Is(err, compute.ErrInvalidArgument) {
			err = asUsage(err)
		}
		return nil, nil, err
	}
	if c, ok := d.(io.Closer); ok {
		// Drivers that hold a session (vSphere) log out when done.
		env.onCleanup(func() { _ = c.Close() })
	}
	ctx := cmd.Context()
	if s.timeout > 0 {
		env.timeout, env.timeoutSource = s.timeout, s.sources["timeout"]
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		env.onCleanup(cancel)
	}
	return ctx, d, nil
}

// logger returns the debug logger: request and response logs on stderr with
// secrets redacted, or nil (no logging) without --debug.
func (env *cliEnv) logger(s *settings) *slog.Logger {
	if !env.flags.debug {
		return nil
	}
	h := slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(newRedactingHandler(h, s.secretKey))
}

// redacted hides a secret, telling only whether it is set.
func redacted(secret string) string {
	if secret == "" {
		return ""
	}
	return "(redacted)"
}
