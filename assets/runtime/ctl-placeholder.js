// ctl-placeholder.js — WeChat components a desktop shell cannot offer (a map, the
// camera, live streams, a web page, ads, official-account cards, the rich-text editor) render as a labelled
// box with the component's name, so the page's layout holds and the app goes on; their
// children (cover-view…) still render inside. <open-data> shows WeChat's anonymous
// profile (nickname 微信用户 and a plain avatar), which is what WeChat itself shows
// apps since 2022; the other types are empty.

function placeholderControl(tag) {
  return {
    create: function (el) {
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", tag + " is not available");
      el.insertBefore(htmlEl("span", "sf-placeholder-label", "<" + tag + "> is not available in Sandframe"), el.firstChild);
    }
  };
}

// Not listed as BUILTINS.x literals: doctor and wx.canIUse read those as supported
// components, and a placeholder is not one.
var PLACEHOLDER_TAGS = ["map", "camera", "live-player", "live-pusher", "web-view", "ad", "ad-custom", "official-account", "editor"];
PLACEHOLDER_TAGS.forEach(function (tag) { BUILTINS[tag] = placeholderControl(tag); });

var OPEN_DATA_NICKNAME = "\u5fae\u4fe1\u7528\u6237"; // 微信用户, WeChat's anonymous nickname

BUILTINS["open-data"] = {
  update: function (el, v, old) {
    var type = toText(v.attrs.type);
    if (old && toText(old.attrs.type) === type && el.__sfOpen) return;
    if (el.__sfOpen && el.__sfOpen.parentNode === el) el.removeChild(el.__sfOpen);
    var box = type === "userAvatarUrl" ? htmlEl("span", "sf-open-data-avatar") :
      htmlEl("span", "sf-open-data-text", type === "userNickName" ? OPEN_DATA_NICKNAME : "");
    el.__sfOpen = box;
    el.insertBefore(box, el.firstChild);
  }
};
