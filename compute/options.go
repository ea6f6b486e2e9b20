package compute

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// DecodeOptions decodes Config.Options (or any key/value settings from a CLI
// or a configuration file) into out, a pointer to a struct whose fields
// carry mapstructure tags. It is what providers use, so that every provider
// reads its options the same way:
//
//   - keys match tags ignoring case, '-' and '_' ("job-timeout",
//     "JobTimeout" and "job_timeout" are one key);
//   - values may be typed or strings: "true", "200", "30s";
//   - a duration given as a plain number is in seconds;
//   - a []string may be given as "a,b,c", a map[string]string as
//     "k=v,k2=v2".
//
// An unknown key or a bad value gives a one-line error matching
// ErrInvalidArgument that names the known keys.
func DecodeOptions(m map[string]any, out any) error {
	if len(m) == 0 {
		return nil
	}
	var md mapstructure.Metadata
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           out,
		Metadata:         &md,
		WeaklyTypedInput: true,
		MatchName:        func(key, field string) bool { return normalizeOptionKey(key) == normalizeOptionKey(field) },
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			secondsToDuration,
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
			stringToStringMap,
		),
	})
	if err != nil {
		return optionsError{err.Error()}
	}
	if err := dec.Decode(m); err != nil {
		// mapstructure's message spans lines under a header; keep one line.
		msg := strings.TrimPrefix(err.Error(), "decoding failed due to the following error(s):")
		return optionsError{strings.Join(strings.Fields(msg), " ")}
	}
	if len(md.Unused) > 0 {
		slices.Sort(md.Unused)
		return optionsError{fmt.Sprintf("unknown options %s (known: %s)",
			strings.Join(md.Unused, ", "), strings.Join(optionKeys(reflect.TypeOf(out)), ", "))}
	}
	return nil
}

// optionsError is DecodeOptions' error: it matches ErrInvalidArgument
// without repeating it in its text, since providers wrap it in a *Error of
// that kind.
type optionsError struct{ msg string }

// Error returns the message, prefixed with "options: ".
func (e optionsError) Error() string { return "options: " + e.msg }

// Is reports whether target is ErrInvalidArgument.
func (e optionsError) Is(target error) bool { return target == ErrInvalidArgument }

func normalizeOptionKey(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// optionKeys lists the mapstructure keys of the struct t points to,
// embedded structs included.
func optionKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for f := range t.Fields() {
		tag, opts, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		switch {
		case tag == "-":
		case f.Anonymous && (tag == "" || strings.Contains(opts, "squash")):
			keys = append(keys, optionKeys(f.Type)...)
		case !f.IsExported():
		case tag != "":
			keys = append(keys, tag)
		default:
			keys = append(keys, f.Name)
		}
	}
	return keys
}

// secondsToDuration reads a plain number (or a string holding one) given
// for a duration as seconds.
func secondsToDuration(_, to reflect.Type, data any) (any, error) {
	if to != reflect.TypeFor[time.Duration]() {
		return data, nil
	}
	switch v := data.(type) {
	case int:
		return time.Duration(v) * time.Second, nil
	case int64:
		return time.Duration(v) * time.Second, nil
	case float64:
		return time.Duration(v * float64(time.Second)), nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return time.Duration(f * float64(time.Second)), nil
		}
	}
	return data, nil
}

// stringToStringMap reads "k=v,k2=v2" given for a map[string]string.
func stringToStringMap(_, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok || to != reflect.TypeFor[map[string]string]() {
		return data, nil
	}
	out := map[string]string{}
	for pair := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want key=value", pair)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}
