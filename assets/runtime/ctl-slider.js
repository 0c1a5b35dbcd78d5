// ctl-slider.js — <slider>: min (0), max (100), step (1), value, disabled, show-value,
// activeColor (#1aad19), backgroundColor (#e9e9e9), block-size (28, 12 to 28),
// block-color (#ffffff). Dragging the track (touch, mouse or pen) sends changing
// {value} while the value moves and change {value} when let go; arrow keys, Home and
// End send change. The value shown is also the element's value attribute.

function sliderAttr(a, name, kebab, fallback) {
  var v = a[name] !== undefined ? a[name] : a[kebab] !== undefined ? a[kebab] : a[name.toLowerCase()];
  return v === undefined || v === null || v === "" ? fallback : toText(v);
}

function sliderRange(a) {
  var min = numberAttr(a.min, 0), max = numberAttr(a.max, 100), step = numberAttr(a.step, 1);
  if (max < min) max = min;
  if (!(step > 0)) step = 1;
  return { min: min, max: max, step: step };
}

// sliderSnap rounds value to the step grid inside [min, max].
function sliderSnap(r, value) {
  var v = Math.round((value - r.min) / r.step) * r.step + r.min;
  v = Math.min(r.max, Math.max(r.min, v));
  return Number(v.toFixed(10));
}

function sliderShow(el, value) {
  var s = el.__sfSlider, r = sliderRange(el.__sfNode.attrs);
  s.value = value;
  var pct = r.max > r.min ? (value - r.min) / (r.max - r.min) * 100 : 0;
  s.fill.style.width = pct + "%";
  s.thumb.style.left = pct + "%";
  s.label.textContent = String(value);
  el.setAttribute("value", String(value));
  el.setAttribute("aria-valuenow", String(value));
}

function sliderSet(el, value, type) {
  var s = el.__sfSlider;
  if (value === s.value && type === "changing") return;
  sliderShow(el, value);
  if (type === "change") modelWrite(el, "value", value);
  emitComponentEvent(el, type, { value: value });
}

BUILTINS.slider = {
  own: { value: true, min: true, max: true, step: true },
  create: function (el) {
    el.setAttribute("role", "slider");
    el.tabIndex = 0;
    var box = htmlEl("div", "sf-slider-box"), track = htmlEl("div", "sf-slider-track");
    var s = el.__sfSlider = { value: 0, drag: null, track: track, fill: htmlEl("div", "sf-slider-fill"), thumb: htmlEl("div", "sf-slider-thumb"), label: htmlEl("span", "sf-slider-value") };
    track.appendChild(s.fill);
    track.appendChild(s.thumb);
    box.appendChild(track);
    el.appendChild(box);
    el.appendChild(s.label);
    function at(e) {
      var r = track.getBoundingClientRect(), range = sliderRange(el.__sfNode.attrs);
      var f = r.width > 0 ? (e.clientX - r.left) / r.width : 0;
      return sliderSnap(range, range.min + Math.min(1, Math.max(0, f)) * (range.max - range.min));
    }
    box.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || !e.isPrimary || el.hasAttribute("disabled")) return;
      s.drag = { id: e.pointerId, start: s.value };
      try { box.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
      sliderSet(el, at(e), "changing");
    });
    box.addEventListener("pointermove", function (e) {
      if (s.drag && e.pointerId === s.drag.id) sliderSet(el, at(e), "changing");
    });
    function end(e) {
      if (!s.drag || e.pointerId !== s.drag.id) return;
      s.drag = null;
      sliderSet(el, at(e), "change");
    }
    box.addEventListener("pointerup", end);
    box.addEventListener("pointercancel", function (e) {
      if (s.drag && e.pointerId === s.drag.id) { sliderShow(el, s.drag.start); s.drag = null; }
    });
    el.addEventListener("keydown", function (e) {
      if (e.target !== el || el.hasAttribute("disabled")) return;
      var r = sliderRange(el.__sfNode.attrs), v = s.value;
      if (e.key === "ArrowRight" || e.key === "ArrowUp") v += r.step;
      else if (e.key === "ArrowLeft" || e.key === "ArrowDown") v -= r.step;
      else if (e.key === "Home") v = r.min;
      else if (e.key === "End") v = r.max;
      else return;
      e.preventDefault();
      v = sliderSnap(r, v);
      if (v !== s.value) sliderSet(el, v, "change");
    });
  },
  update: function (el, v, old) {
    var a = v.attrs, p = old ? old.attrs : {}, s = el.__sfSlider, r = sliderRange(a);
    flagAttr(el, "disabled", a.disabled ? "" : null);
    el.setAttribute("aria-valuemin", String(r.min));
    el.setAttribute("aria-valuemax", String(r.max));
    var set = !old || v.fresh.value || a.value !== p.value || a.min !== p.min || a.max !== p.max || a.step !== p.step;
    if (set && !s.drag && !(old && modelEcho(el, a.value))) sliderShow(el, sliderSnap(r, numberAttr(a.value, r.min)));
    flagAttr(el, "show-value", a["show-value"] ? "" : null);
    var size = Math.min(28, Math.max(12, numberAttr(sliderAttr(a, "blockSize", "block-size", 28), 28)));
    el.style.setProperty("--sf-slider-block", size + "px");
    el.style.setProperty("--sf-slider-active", sliderAttr(a, "activeColor", "active-color", sliderAttr(a, "selectedColor", "selected-color", "#1aad19")));
    el.style.setProperty("--sf-slider-back", sliderAttr(a, "backgroundColor", "background-color", sliderAttr(a, "color", "color", "#e9e9e9")));
    el.style.setProperty("--sf-slider-thumb", sliderAttr(a, "blockColor", "block-color", "#ffffff"));
  }
};
