package host

import (
	"os"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/profile"
)

// user:readProfile hands out the profile the user set in the launcher, and the config's
// when they set none (or the file is gone).
func TestReadProfileUsesTheLocalProfile(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	if err := w.perms.Grant(perms.App{ID: "test.profile"}, "user:readProfile"); err != nil {
		t.Fatal(err)
	}
	w.cfg.Profile.NickName = "From config"
	avatar := "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	if err := profile.Save(w.cfg.ProfilePath(), profile.Profile{NickName: "Ada", AvatarURL: avatar}); err != nil {
		t.Fatal(err)
	}
	s, page, _ := w.run("testdata/profile")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("who")
	if got := result(t, s); got != "Ada|"+avatar {
		t.Fatalf("getUserProfile gave %q", got)
	}
	if err := os.Remove(w.cfg.ProfilePath()); err != nil {
		t.Fatal(err)
	}
	clearResult(t, s, page)
	page.tap("who")
	if got := result(t, s); got != "From config|" {
		t.Fatalf("without a local profile, getUserProfile gave %q", got)
	}
}

// Without the user's leave (the prompt declined here), getUserProfile answers WeChat's
// anonymous profile instead of failing, and the audit line still says denied.
func TestReadProfileWithoutLeaveIsAnonymous(t *testing.T) {
	w := newWorld(t, monitor.Budgets{}) // its prompter declines
	if err := profile.Save(w.cfg.ProfilePath(), profile.Profile{NickName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	s, page, _ := w.run("testdata/profile")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("who")
	if got, want := result(t, s), profile.AnonymousNickName+"|"+profile.AnonymousAvatar(); got != want {
		t.Fatalf("getUserProfile without leave gave %.80q", got)
	}
	raw, err := os.ReadFile(w.cfg.AuditPath())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"api":"getUserProfile"`) || !strings.Contains(string(raw), "answered with the fallback") {
		t.Errorf("the audit log does not record the refusal:\n%s", raw)
	}
}
