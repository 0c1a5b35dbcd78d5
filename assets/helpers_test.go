package assets

import (
	"encoding/json"
	"strings"
	"testing"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// decodeString decodes a JSON string result from the JS side.
func decodeString(t *testing.T, raw string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("result %s is not a JSON string: %v", raw, err)
	}
	return s
}
