package isolate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestAutomateCrossesTheProcess: the automator's requests reach the logic in the child
// and come back, answers and errors alike.
func TestAutomateCrossesTheProcess(t *testing.T) {
	c := startChild(t, todoApp)
	c.launch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := c.rt.Automate(ctx, "callFunction", json.RawMessage(`{"functionDeclaration":"(a) => getCurrentPages()[0].data.todos.length + a","args":[40]}`))
	if err != nil || string(got) != "42" {
		t.Fatalf("callFunction = %s, %v; want 42", got, err)
	}
	got, err = c.rt.Automate(ctx, "getData", json.RawMessage(`{"id":"p1"}`))
	if err != nil || !strings.Contains(string(got), `"Buy milk"`) {
		t.Fatalf("getData = %s, %v", got, err)
	}
	if _, err := c.rt.Automate(ctx, "callMethod", json.RawMessage(`{"id":"p1","method":"noSuchMethod"}`)); err == nil || !strings.Contains(err.Error(), "has no method noSuchMethod") {
		t.Fatalf("callMethod of a missing method: %v", err)
	}
}
