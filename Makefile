GO ?= go

.PHONY: test vet bench cover fmt fuzz

## test: vet, then every test under the race detector (what CI runs)
test: vet
	$(GO) test -race -timeout 20m ./...

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## bench: Go benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## cover: coverage report in cover.out / cover.html
cover:
	$(GO) test -coverprofile=cover.out ./...
	$(GO) tool cover -html=cover.out -o cover.html

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')
