// profile.js — the local profile sheet: the nickname and avatar that mini-apps get
// through user:readProfile, when the user allows it.

var profileDraft = { nickName: "", avatarUrl: "" };
var profileSaving = false;

function openProfile() {
  var p = state.profile || {};
  profileDraft = { nickName: p.nickName || "", avatarUrl: p.avatarUrl || "" };
  $("profile-name").value = profileDraft.nickName;
  renderProfileSheet();
  openOverlay($("profile-sheet"), { focus: $("profile-name"), canClose: function () { return !profileSaving; } });
  $("profile-name").select();
}

function renderProfileSheet() {
  profileDraft.nickName = $("profile-name").value;
  fill($("profile-preview"), avatar(profileDraft, "avatar-xl"));
  $("profile-avatar-clear").hidden = !profileDraft.avatarUrl;
  var problem = nickNameProblem(profileDraft.nickName);
  var hint = $("profile-hint");
  // An empty box is not an error until the user has typed in it.
  hint.hidden = !problem || (!profileDraft.nickName && !$("profile-name").hasAttribute("data-touched"));
  fill(hint, problem);
  $("profile-name").setAttribute("aria-invalid", problem ? "true" : "false");
  $("profile-save").disabled = !!problem || profileSaving;
}

function saveProfile() {
  if (nickNameProblem($("profile-name").value) || profileSaving) return;
  profileSaving = true;
  renderProfileSheet();
  var done = busy($("profile-save"));
  call("profile.set", { nickName: $("profile-name").value.trim(), avatarUrl: profileDraft.avatarUrl || "" }).then(function (p) {
    state.profile = p && typeof p === "object" ? p : state.profile;
    renderHeader();
    profileSaving = false;
    closeOverlay($("profile-sheet"));
    showToast("Profile saved", "info");
  }, function (err) {
    profileSaving = false;
    failed(err);
  }).then(function () {
    done();
    if (isOpen($("profile-sheet"))) renderProfileSheet();
  });
}

// pickAvatar lets the host choose a picture. The host saves it at once and answers with
// the saved profile; a cancelled choice answers the profile unchanged, which must not
// undo a Remove the user has not saved yet.
function pickAvatar() {
  var done = busy($("profile-avatar-pick"));
  var before = state.profile && state.profile.avatarUrl || "";
  call("profile.pickAvatar", {}).then(function (p) {
    if (!p || typeof p !== "object") return;
    var chosen = p.avatarUrl || "";
    state.profile = p;
    renderHeader();
    if (chosen !== before && isDataImage(chosen)) profileDraft.avatarUrl = chosen;
    if (isOpen($("profile-sheet"))) renderProfileSheet();
  }, failed).then(done);
}

function bindProfile() {
  $("profile").addEventListener("click", openProfile);
  $("profile-name").addEventListener("input", function () {
    $("profile-name").setAttribute("data-touched", "");
    renderProfileSheet();
  });
  $("profile-name").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); saveProfile(); }
  });
  $("profile-form").addEventListener("submit", function (e) { e.preventDefault(); saveProfile(); });
  $("profile-save").addEventListener("click", saveProfile);
  $("profile-cancel").addEventListener("click", function () { if (!profileSaving) closeOverlay($("profile-sheet")); });
  $("profile-avatar-pick").addEventListener("click", pickAvatar);
  $("profile-avatar-clear").addEventListener("click", function () {
    profileDraft.avatarUrl = "";
    renderProfileSheet();
    $("profile-avatar-pick").focus();
  });
}
