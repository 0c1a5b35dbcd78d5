package ui

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// callFrom runs a declaration as the gateway does, for a call made on route.
func callFrom(t *testing.T, h any, route, name, args string) (map[string]any, error) {
	t.Helper()
	d, ok := hostapi.Lookup(name)
	if !ok || !d.Implemented() {
		t.Fatalf("%s is not implemented", name)
	}
	if err := d.Check(json.RawMessage(args)); err != nil {
		return nil, err
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: "a", Page: "p1", Route: route},
		Args: json.RawMessage(args), Host: h})
	return res, err
}

func TestUIGroupRefusals(t *testing.T) {
	for _, tt := range []struct{ name, route, args, err string }{
		{"showActionSheet", "", `{}`, "parameter error: parameter.itemList should be Array instead of Undefined;"},
		{"showActionSheet", "", `{"itemList":[]}`, "parameter error: parameter.itemList should have at least 1 item;"},
		{"showActionSheet", "", `{"itemList":["1","2","3","4","5","6","7"]}`, "parameter error: parameter.itemList should not be large than 6"},
		{"showActionSheet", "", `{"itemList":["a",2]}`, "parameter error: parameter.itemList[1] should be String"},
		{"showActionSheet", "", `{"itemList":["a"],"itemColor":"red"}`, `invalid itemColor "red"`},
		{"setTabBarBadge", "pages/other", `{"index":0,"text":"1"}`, "not TabBar page"},
		{"setTabBarBadge", "pages/tab0", `{"index":2,"text":"1"}`, "tabbar item not found"},
		{"setTabBarBadge", "pages/tab0", `{"index":0.5,"text":"1"}`, "tabbar item not found"},
		{"setTabBarBadge", "pages/tab0", `{"index":0}`, "parameter error: parameter.text should be String instead of Undefined;"},
		{"setTabBarStyle", "pages/tab0", `{"borderStyle":"dotted"}`, `invalid borderStyle "dotted"`},
		{"setBackgroundTextStyle", "", `{"textStyle":"grey"}`, `invalid textStyle "grey": dark or light`},
		{"setBackgroundColor", "", `{"backgroundColorTop":"blue"}`, `invalid backgroundColorTop "blue"`},
		{"pageScrollTo", "", `{"duration":10}`, "scrollTop or selector is required"},
		{"previewImage", "", `{"urls":[]}`, "parameter error: parameter.urls should have at least 1 item;"},
		{"previewImage", "", `{"urls":["a.png",3]}`, "parameter error: parameter.urls[1] should be a String of 1 to 2048 bytes"},
		{"enableAlertBeforeUnload", "", `{}`, "parameter error: parameter.message should be String instead of Undefined;"},
	} {
		_, err := callFrom(t, &fakeHost{}, tt.route, tt.name, tt.args)
		if got := errText(err); got != tt.err {
			t.Errorf("%s(%s) on %q = %q, want %q", tt.name, tt.args, tt.route, got, tt.err)
		}
	}
}

func TestActionSheetAnswers(t *testing.T) {
	h := &fakeHost{confirm: true, tap: 1}
	res, err := callFrom(t, h, "", "showActionSheet", `{"itemList":["A","B"],"itemColor":"#333333","alertText":"Pick"}`)
	if err != nil || res["tapIndex"] != 1 {
		t.Fatalf("showActionSheet = %v, %v", res, err)
	}
	if op := h.ops[0]; op.Op != "actionSheet" || len(op.ItemList) != 2 || op.ItemColor != "#333333" || op.Title != "Pick" {
		t.Errorf("op = %+v", op)
	}
	// Cancelling (or an answer outside the list) is WeChat's "showActionSheet:fail cancel".
	for _, h := range []*fakeHost{{confirm: false}, {confirm: true, tap: 5}} {
		if _, err := callFrom(t, h, "", "showActionSheet", `{"itemList":["A","B"]}`); errText(err) != "cancel" {
			t.Errorf("answer %+v: err %v, want cancel", h, err)
		}
	}
}

func TestEditableModal(t *testing.T) {
	h := &fakeHost{confirm: true, content: "typed"}
	res, err := callFrom(t, h, "", "showModal", `{"title":"Name","editable":true,"placeholderText":"your name"}`)
	if err != nil || res["content"] != "typed" || res["confirm"] != true {
		t.Fatalf("showModal = %v, %v", res, err)
	}
	if op := h.ops[0]; !op.Editable || op.PlaceholderText != "your name" {
		t.Errorf("op = %+v", op)
	}
	res, _ = callFrom(t, h, "", "showModal", `{"title":"Plain"}`)
	if _, has := res["content"]; has {
		t.Errorf("a modal that is not editable answered content: %v", res)
	}
	d, _ := hostapi.Lookup("showModal")
	listed := false
	for _, f := range d.Args {
		listed = listed || f.Name == "editable"
	}
	if !listed {
		t.Error("showModal does not list editable: wx.canIUse('showModal.object.editable') would be false")
	}
}

func TestUIGroupOps(t *testing.T) {
	h := &fakeHost{}
	for _, c := range []struct{ name, route, args string }{
		{"setTabBarBadge", "pages/tab1", `{"index":1,"text":"12345"}`},
		{"setTabBarItem", "pages/tab0", `{"index":0,"text":"","iconPath":"a.png"}`},
		{"hideTabBar", "pages/tab0", `{"animation":true}`},
		{"pageScrollTo", "", `{"scrollTop":-5}`},
		{"pageScrollTo", "", `{"selector":"#end","duration":0}`},
		{"startPullDownRefresh", "", `{}`},
		{"stopPullDownRefresh", "", `{}`},
		{"showNavigationBarLoading", "", `{}`},
		{"setBackgroundColor", "", `{"backgroundColor":"#eeeeee","backgroundColorTop":"#fff"}`},
		{"enableAlertBeforeUnload", "", `{"message":"Leave?"}`},
		{"previewImage", "", `{"urls":["https://x.test/a.png","/images/b.png"],"current":1}`},
	} {
		if _, err := callFrom(t, h, c.route, c.name, c.args); err != nil {
			t.Fatalf("%s(%s): %v", c.name, c.args, err)
		}
	}
	ops := h.ops
	if ops[0].Op != "tabBar" || ops[0].Action != "badge" || *ops[0].Index != 1 || ops[0].Text != "12…" {
		t.Errorf("badge op %+v", ops[0])
	}
	if ops[1].Action != "item" || *ops[1].Index != 0 || ops[1].Text != " " || ops[1].IconPath != "a.png" {
		t.Errorf("item op %+v", ops[1])
	}
	if ops[2].Action != "hide" || !ops[2].Animation || ops[2].Index != nil {
		t.Errorf("hide op %+v", ops[2])
	}
	if ops[3].Op != "pageScrollTo" || *ops[3].ScrollTop != 0 || ops[3].Duration != 300 || ops[3].Page != "p1" {
		t.Errorf("scroll op %+v", ops[3])
	}
	if ops[4].Selector != "#end" || ops[4].ScrollTop != nil || ops[4].Duration != 0 {
		t.Errorf("selector scroll op %+v", ops[4])
	}
	if ops[5].Op != "pullDown" || ops[5].Action != "start" || ops[6].Action != "stop" || ops[7].Op != "navLoading" {
		t.Errorf("pull-down / loading ops %+v %+v %+v", ops[5], ops[6], ops[7])
	}
	if ops[8].BackgroundColor != "#eeeeee" || ops[8].BackgroundColorTop != "#fff" {
		t.Errorf("background op %+v", ops[8])
	}
	if ops[9].Action != "enable" || ops[9].Content != "Leave?" {
		t.Errorf("alert op %+v", ops[9])
	}
	if p := ops[10]; p.Op != "previewImage" || len(p.URLs) != 2 || p.Current != "/images/b.png" {
		t.Errorf("preview op %+v", p)
	}
}
