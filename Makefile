GO ?= go

.PHONY: test vet bench cover fmt fuzz

## test: vet, then every test under the race detector (what CI runs)
test: vet
	$(GO) test -race -timeout 20m ./...

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

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
