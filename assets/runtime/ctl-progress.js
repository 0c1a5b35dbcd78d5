// ctl-progress.js — <progress>: percent (0 to 100), show-info, border-radius,
// font-size, stroke-width (6), activeColor/color (#09BB07), backgroundColor (#EBEBEB),
// active (the bar grows from 0, or from where it was with active-mode="forwards", at
// duration ms per percent, 30 by default) and activeend {curPercent} when it has grown.

function progressAttr(a, name, kebab, fallback) { return sliderAttr(a, name, kebab, fallback); }

BUILTINS.progress = {
  create: function (el) {
    el.setAttribute("role", "progressbar");
    var bar = htmlEl("div", "sf-progress-bar"), inner = htmlEl("div", "sf-progress-inner");
    bar.appendChild(inner);
    el.appendChild(bar);
    el.appendChild(htmlEl("span", "sf-progress-info"));
    inner.addEventListener("transitionend", function () {
      if (el.__sfProgressActive) { el.__sfProgressActive = false; emitComponentEvent(el, "activeend", { curPercent: el.__sfProgress }); }
    });
  },
  update: function (el, v, old) {
    var a = v.attrs, bar = el.firstChild, inner = bar.firstChild, info = el.lastChild;
    var pct = Math.min(100, Math.max(0, numberAttr(a.percent, 0)));
    var before = el.__sfProgress === undefined ? 0 : el.__sfProgress;
    el.__sfProgress = pct;
    el.setAttribute("aria-valuenow", String(pct));
    var stroke = cssLength(progressAttr(a, "strokeWidth", "stroke-width", "6"), state.rpx, "6px");
    bar.style.height = stroke;
    bar.style.background = progressAttr(a, "backgroundColor", "background-color", "#EBEBEB");
    var radius = cssLength(progressAttr(a, "borderRadius", "border-radius", "0"), state.rpx, "0px");
    bar.style.borderRadius = radius;
    inner.style.borderRadius = radius;
    inner.style.background = progressAttr(a, "activeColor", "active-color", progressAttr(a, "color", "color", "#09BB07"));
    info.hidden = !a["show-info"] && !a.showInfo;
    info.textContent = pct + "%";
    info.style.fontSize = cssLength(progressAttr(a, "fontSize", "font-size", "16"), state.rpx, "16px");
    if (old && numberAttr(old.attrs.percent, 0) === pct && inner.style.width) return;
    if (!a.active) { inner.style.transition = "none"; inner.style.width = pct + "%"; return; }
    var from = toText(a["active-mode"]) === "forwards" ? before : 0;
    var ms = Math.abs(pct - from) * Math.max(0, numberAttr(a.duration, 30));
    inner.style.transition = "none";
    inner.style.width = from + "%";
    el.__sfProgressActive = ms > 0;
    if (ms === 0) { inner.style.width = pct + "%"; emitComponentEvent(el, "activeend", { curPercent: pct }); return; }
    whenPatched(function () { // in the document, so the transition starts from `from`
      void inner.offsetWidth;
      inner.style.transition = "width " + ms + "ms linear";
      inner.style.width = pct + "%";
    });
  }
};
