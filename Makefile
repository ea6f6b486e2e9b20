GO ?= go

.PHONY: test vet lint bench cover fmt fuzz

# STATICCHECK is the pinned staticcheck (2026.2.2, the first line that knows
# Go 1.26), built and run by `go run` from the module proxy: nothing to
# install by hand.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

## test: vet, then every test under the race detector (what CI runs, after lint)
test: vet
	$(GO) test -race -timeout 20m ./...

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## lint: vet and gofmt, then staticcheck (pinned, through go run)
lint: vet
	$(GO) run $(STATICCHECK) ./...

## bench: goclouds vs raw net/http, Libcloud and cs against `goclouds sim` (writes bench/results.md; ARGS=-quick for a smoke run)
bench:
	GO=$(GO) bash bench/run.sh $(ARGS)

## cover: coverage report in cover.out / cover.html
cover:
	$(GO) test -coverprofile=cover.out ./...
	$(GO) tool cover -html=cover.out -o cover.html

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')

## fuzz: every fuzz target for FUZZTIME each (default 60s); seed corpora live in testdata/fuzz and run in `make test`
FUZZTIME ?= 60s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		dir=$$(dirname $$f); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== $$name ($$dir)"; \
			$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$dir; \
		done; \
	done
