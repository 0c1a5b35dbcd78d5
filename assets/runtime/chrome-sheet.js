// chrome-sheet.js — ui actionSheet {id, itemList, itemColor, title (alertText)}: a
// sheet at the bottom of the window, in the chrome. Choosing item i answers the host
// as handler "modal" {id, confirm: true, tapIndex: i}; Cancel, a click on the mask or
// Escape answer {id, confirm: false} (showActionSheet:fail cancel). A new sheet cancels
// one still open.

var sheet = null; // {op, el}

function showActionSheet(op) {
  if (sheet) answerSheet(sheet.op, -1);
  var layer = htmlEl("div", "sf-sheet-layer");
  var box = htmlEl("div", "sf-sheet");
  box.setAttribute("role", "menu");
  if (op.title) box.appendChild(htmlEl("div", "sf-sheet-title", toText(op.title)));
  var first = null;
  (Array.isArray(op.itemList) ? op.itemList : []).forEach(function (text, i) {
    var b = htmlEl("button", "sf-sheet-item", toText(text));
    b.type = "button";
    b.setAttribute("role", "menuitem");
    b.setAttribute("data-index", String(i));
    if (op.itemColor) b.style.setProperty("color", toText(op.itemColor));
    b.addEventListener("click", function () { answerSheet(op, i); });
    box.appendChild(b);
    if (!first) first = b;
  });
  var cancel = htmlEl("button", "sf-sheet-cancel", "Cancel");
  cancel.type = "button";
  cancel.addEventListener("click", function () { answerSheet(op, -1); });
  box.appendChild(cancel);
  layer.appendChild(box);
  layer.addEventListener("click", function (e) { if (e.target === layer) answerSheet(op, -1); });
  layer.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); answerSheet(op, -1); } });
  shell.overlay.appendChild(layer);
  sheet = { op: op, el: layer };
  (first || cancel).focus();
}

function answerSheet(op, index) {
  if (!sheet || sheet.op !== op) return;
  if (sheet.el.parentNode) sheet.el.parentNode.removeChild(sheet.el);
  sheet = null;
  var detail = { id: toText(op.id), confirm: index >= 0 };
  if (index >= 0) detail.tapIndex = index;
  sendHostEvent("modal", detail);
}
