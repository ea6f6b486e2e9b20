package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// The output formats of -o/--output.
const (
	outputTable = "table"
	outputJSON  = "json"
	outputYAML  = "yaml"
	outputCSV   = "csv"
)

// outputFormats lists the accepted -o values.
var outputFormats = []string{outputTable, outputJSON, outputYAML, outputCSV}

// checkOutput validates -o before any command runs, so an invalid format
// fails before anything is changed.
func checkOutput(format string) error {
	if !slices.Contains(outputFormats, format) {
		return usageErrorf("invalid output format %q: want one of %s", format, strings.Join(outputFormats, ", "))
	}
	return nil
}

// column is one column of a table or CSV rendering of T: its header and how
// to print a value.
type column[T any] struct {
	header string
	value  func(T) string
}

// col is a short constructor for a column.
func col[T any](header string, value func(T) string) column[T] {
	return column[T]{header: header, value: value}
}

// renderList prints items in the selected format: a JSON or YAML array
// (empty: []), or a table or CSV with one row per item.
func renderList[T any](env *cliEnv, items []T, cols []column[T]) error {
	if items == nil {
		items = []T{}
	}
	return render(env.stdout, env.flags.output, items, items, cols)
}

// renderOne prints a single item: a JSON or YAML object, or a one-row table
// or CSV.
func renderOne[T any](env *cliEnv, item T, cols []column[T]) error {
	return render(env.stdout, env.flags.output, item, []T{item}, cols)
}

// render prints data (encoded as is for JSON and YAML) or rows.
func render[T any](w io.Writer, format string, data any, rows []T, cols []column[T]) error {
	switch format {
	case outputJSON:
		return writeJSON(w, data)
	case outputYAML:
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		return writeYAML(w, b)
	case outputCSV:
		cw := csv.NewWriter(w)
		header := make([]string, len(cols))
		for i, c := range cols {
			header[i] = strings.ToLower(c.header)
		}
		_ = cw.Write(header)
		for _, r := range rows {
			_ = cw.Write(cellsOf(r, cols))
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		header := make([]string, len(cols))
		for i, c := range cols {
			header[i] = c.header
		}
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		for _, r := range rows {
			cells := cellsOf(r, cols)
			for i, c := range cells {
				cells[i] = tableCell(c)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	}
}

func cellsOf[T any](r T, cols []column[T]) []string {
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = c.value(r)
	}
	return cells
}

// tableCell keeps a table cell on one line and never empty, so columns
// stay aligned.
func tableCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	return s
}

// writeJSON prints v as indented JSON, HTML characters unescaped.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
