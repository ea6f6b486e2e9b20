package csapi

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"sync"
)

// Paging defaults.
const (
	// MaxPageSize is CloudStack's default.page.size: a larger pagesize is
	// refused with 431.
	MaxPageSize = 500
	// DefaultPageConcurrency bounds the pages fetched at once.
	DefaultPageConcurrency = 4
)

// Paging tunes List and Seq.
type Paging struct {
	// PageSize is the rows per page; default and maximum 500.
	PageSize int
	// Concurrency bounds the pages List fetches at once once the first page
	// has given the total count; default 4, 1 fetches serially.
	Concurrency int
}

func (p Paging) size() int {
	if p.PageSize <= 0 || p.PageSize > MaxPageSize {
		return MaxPageSize
	}
	return p.PageSize
}

func (p Paging) concurrency() int {
	if p.Concurrency <= 0 {
		return DefaultPageConcurrency
	}
	return p.Concurrency
}

// fetchPage sends one page request (page 0: params as they are) and decodes
// it.
func fetchPage[T any](ctx context.Context, c *Client, command string, params url.Values, itemsKey string, page, size int) (*Page[T], error) {
	var extra []param
	if page > 0 {
		extra = []param{{"page", strconv.Itoa(page)}, {"pagesize", strconv.Itoa(size)}}
	}
	var out *Page[T]
	err := c.read(ctx, command, params, extra, func(resp *Response) error {
		var err error
		out, err = decodePage[T](resp, itemsKey, page, size)
		return err
	})
	return out, err
}

// more reports whether a page may be followed by another: it was full. A
// page with more rows than asked means the command ignores paging.
func more(n, size int) bool { return n == size }

// List returns every row of a list command, as ListPages does, in one
// slice.
func List[T any](ctx context.Context, c *Client, command string, params url.Values, itemsKey string, pg Paging) ([]T, error) {
	pages, err := ListPages[T](ctx, c, command, params, itemsKey, pg)
	if err != nil {
		return nil, err
	}
	if len(pages) == 1 {
		return nonNil(pages[0]), nil
	}
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	out := make([]T, 0, n)
	for _, p := range pages {
		out = append(out, p...)
	}
	return out, nil
}

// ListPages returns every row of a list command, page after page, until a
// page comes back short or empty (count is only a hint: rows may come and go
// while paging). Once the first page gives count, the remaining pages are
// fetched concurrently (bounded by Concurrency) and then paging continues
// one page at a time for as long as the last page was full. A caller's page
// or pagesize parameter means "this page only". The rows come back in page
// order, one slice per page.
func ListPages[T any](ctx context.Context, c *Client, command string, params url.Values, itemsKey string, pg Paging) ([][]T, error) {
	if !Pages(command) || params.Has("page") || params.Has("pagesize") {
		page, err := fetchPage[T](ctx, c, command, params, itemsKey, 0, 0)
		if err != nil {
			return nil, err
		}
		return [][]T{page.Items}, nil
	}
	size := pg.size()
	first, err := fetchPage[T](ctx, c, command, params, itemsKey, 1, size)
	if err != nil {
		return nil, err
	}
	out := [][]T{first.Items}
	if !more(len(first.Items), size) {
		return out, nil
	}
	next := 2
	if first.HasCount && first.Count > size {
		last := (first.Count + size - 1) / size
		pages, err := fetchPages[T](ctx, c, command, params, itemsKey, 2, last, size, pg.concurrency())
		if err != nil {
			return nil, err
		}
		out = append(out, pages...)
		if !more(len(pages[len(pages)-1]), size) {
			return out, nil
		}
		next = last + 1
	}
	for page := next; ; page++ {
		p, err := fetchPage[T](ctx, c, command, params, itemsKey, page, size)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items)
		if !more(len(p.Items), size) {
			return out, nil
		}
	}
}

// fetchPages fetches pages from..to with at most n requests in flight and
// returns their rows in page order; the first error cancels the rest.
func fetchPages[T any](ctx context.Context, c *Client, command string, params url.Values, itemsKey string, from, to, size, n int) ([][]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([][]T, to-from+1)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, n)
	for page := from; page <= to; page++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p, err := fetchPage[T](ctx, c, command, params, itemsKey, page, size)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				return
			}
			out[page-from] = p.Items
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Seq streams the rows of a list command page by page, fetching the next
// page while the caller consumes the current one, so only about two pages
// are in memory at a time. It stops after the first error, which it yields
// with a zero row.
func Seq[T any](ctx context.Context, c *Client, command string, params url.Values, itemsKey string, pg Paging) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if !Pages(command) || params.Has("page") || params.Has("pagesize") {
			rows, err := List[T](ctx, c, command, params, itemsKey, pg)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, r := range rows {
				if !yield(r, nil) {
					return
				}
			}
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		size := pg.size()
		type result struct {
			page *Page[T]
			err  error
		}
		start := func(page int) <-chan result {
			ch := make(chan result, 1)
			go func() {
				p, err := fetchPage[T](ctx, c, command, params, itemsKey, page, size)
				ch <- result{p, err}
			}()
			return ch
		}
		pending := start(1)
		for page := 1; ; page++ {
			r := <-pending
			if r.err != nil {
				yield(zero, r.err)
				return
			}
			full := more(len(r.page.Items), size)
			if full {
				pending = start(page + 1)
			}
			for i := range r.page.Items {
				if !yield(r.page.Items[i], nil) {
					return
				}
				var z T
				r.page.Items[i] = z // let the row go once yielded
			}
			if !full {
				return
			}
		}
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
