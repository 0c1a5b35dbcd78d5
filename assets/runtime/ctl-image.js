// ctl-image.js — <image>: src is a bundle path (relative to the template's file, or
// "/…" from the bundle root) looked up in init.images, a data: image, or a remote
// https image, which the shell fetches through its image scheme (remoteImage). mode is styled in base.css (scaleToFill, aspectFit, aspectFill,
// widthFix, heightFix, and the crop modes). Events: load {width, height}, error {errMsg}.

// currentAppID is the id of the app this page belongs to, which remote image urls name.
function currentAppID() { return (state.init && state.init.app && state.init.app.id) || ""; }

BUILTINS.image = {
  create: function (el) {
    var img = htmlEl("img", "sf-image-img");
    img.alt = "";
    img.draggable = false;
    img.addEventListener("load", function () {
      emitComponentEvent(el, "load", { width: img.naturalWidth, height: img.naturalHeight });
    });
    img.addEventListener("error", function () {
      if (img.getAttribute("src")) emitComponentEvent(el, "error", { errMsg: "GET " + toText(el.__sfNode.attrs.src) + " failed" });
    });
    el.appendChild(img);
  },
  update: function (el, v, old) {
    var src = toText(v.attrs.src);
    if (old && toText(old.attrs.src) === src) return;
    var img = el.querySelector(".sf-image-img");
    var url = resolveImage(state.init && state.init.images, v.file, src) ||
      remoteImage(currentAppID(), src);
    if (url) { img.src = url; return; }
    img.removeAttribute("src");
    if (src) setTimeout(function () { emitComponentEvent(el, "error", { errMsg: "image " + src + " is not in the bundle" }); }, 0);
  }
};
