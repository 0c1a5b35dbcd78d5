package bridge

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"
)

// auditTableTime is the time column's layout: milliseconds and the zone, so a line is
// unambiguous whatever location the caller converted the times to.
const auditTableTime = "2006-01-02T15:04:05.000Z07:00"

// maxTableCell bounds a cell (reasons can be long); the JSON file keeps the full text.
const maxTableCell = 200

// FormatAuditTable prints entries as an aligned table with the columns TIME, APP,
// KIND/API, CAPABILITY, DECISION, DURATION, REASON/ERROR. Times are printed in their
// own location (ReadAudit returns UTC; convert with Time.Local() first for local time).
// Text that came from a mini-app is escaped, so it cannot move the cursor or fake a line.
func FormatAuditTable(w io.Writer, entries []AuditEntry) error {
	t := NewAuditTable(w)
	for _, e := range entries {
		t.Add(e)
	}
	return t.Close()
}

// auditTableBlock is how many rows AuditTable aligns together before writing them out.
const auditTableBlock = 512

// AuditTable prints entries as FormatAuditTable does, one at a time, holding at most
// auditTableBlock rows: columns are aligned within each block of rows.
type AuditTable struct {
	tw   *tabwriter.Writer
	rows int
	err  error
}

// NewAuditTable starts a table on w with its header.
func NewAuditTable(w io.Writer) *AuditTable {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tAPP\tKIND/API\tCAPABILITY\tDECISION\tDURATION\tREASON/ERROR")
	return &AuditTable{tw: tw}
}

// Add prints one entry (an error is kept for Close).
func (t *AuditTable) Add(e AuditEntry) {
	what := e.Kind
	if e.API != "" {
		what = e.Kind + "/" + e.API
	}
	dur := "-"
	if e.DurationMS != nil {
		dur = time.Duration(*e.DurationMS * float64(time.Millisecond)).Round(time.Microsecond).String()
	}
	why := e.Reason
	if e.Error != "" {
		if why != "" {
			why += "; "
		}
		why += e.Error
	}
	fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.Format(auditTableTime),
		cell(e.App), cell(what), cell(e.Capability), cell(e.Decision), dur, cell(why))
	if t.rows++; t.rows%auditTableBlock == 0 && t.err == nil {
		t.err = t.tw.Flush()
	}
}

// Close writes the rows still held and returns the first write error.
func (t *AuditTable) Close() error {
	if err := t.tw.Flush(); t.err == nil {
		t.err = err
	}
	if t.err != nil {
		return fmt.Errorf("audit table: %w", t.err)
	}
	return nil
}

// cell makes s safe and short for one table cell: "-" when empty, control and other
// non-printing characters escaped (\n, \x1b, \u202e), at most maxTableCell runes.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n == maxTableCell {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == utf8.RuneError && isBadByte(s[i:]):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == ' ' || (unicode.IsPrint(r) && !unicode.Is(unicode.Bidi_Control, r)):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// isBadByte reports whether s starts with an invalid UTF-8 byte (not a literal U+FFFD).
func isBadByte(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 1
}
