package logic

import "testing"

// TestGBKModuleIsReadAsGB18030: older projects save scripts in GBK; the loader decodes
// them (internal/textenc) so their strings arrive intact instead of as U+FFFD.
func TestGBKModuleIsReadAsGB18030(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": "Page({})",
		// `Component({data: {label: "开始"}})` with the string in GBK.
		"components/c/c.js": "// \xd2\xb3\xc3\xe6\nComponent({data: {label: \"\xbf\xaa\xca\xbc\"}})",
	}))
	defer a.rt.Stop()
	def, ok := a.rt.Definitions()["components/c/c"]
	if !ok {
		t.Fatal("the GBK component is not registered")
	}
	if got := string(def.Data); got != `{"label":"开始"}` {
		t.Errorf("data = %s, want the GBK text decoded", got)
	}
}
