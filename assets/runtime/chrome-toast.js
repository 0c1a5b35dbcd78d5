// chrome-toast.js — ui toast {title, icon success/error/loading/none, duration, mask}
// and hideToast. One toast at a time; a new one replaces the old. duration defaults
// to 1500 ms; a loading toast without a duration stays until hideToast (showLoading).

var toast = { el: null, timer: 0 };

function showToast(op) {
  hideToast();
  var icon = ["success", "error", "loading", "none"].indexOf(op.icon) >= 0 ? op.icon : "success";
  var layer = htmlEl("div", "sf-toast-layer" + (op.mask ? " sf-mask" : ""));
  var box = htmlEl("div", "sf-toast sf-toast-" + icon);
  box.setAttribute("role", "status");
  if (icon === "loading") box.appendChild(htmlEl("div", "sf-spinner"));
  else if (icon === "success") box.appendChild(iconSvg("success_no_circle", "40px", "#ffffff"));
  else if (icon === "error") box.appendChild(iconSvg("cancel", "40px", "rgba(255,255,255,0.95)"));
  box.appendChild(htmlEl("div", "sf-toast-title", toText(op.title)));
  layer.appendChild(box);
  shell.overlay.appendChild(layer);
  toast.el = layer;
  var duration = Number(op.duration) > 0 ? Number(op.duration) : (icon === "loading" && !op.duration ? 0 : 1500);
  if (duration > 0) toast.timer = setTimeout(hideToast, duration);
}

function hideToast() {
  clearTimeout(toast.timer);
  toast.timer = 0;
  if (toast.el && toast.el.parentNode) toast.el.parentNode.removeChild(toast.el);
  toast.el = null;
}
