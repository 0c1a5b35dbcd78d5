// chrome-modal.js — ui modal {id, title, content, showCancel, cancelText, confirmText,
// cancelColor, confirmColor, editable, placeholderText}. The answer goes to the host as
// handler "modal" {id, confirm} (plus content: the text field's value when editable),
// or to op.onAnswer(confirm) for the chrome's own questions. Modals queue: one is
// shown at a time. Enter confirms, Escape cancels.

var modal = { queue: [], current: null };

function showModal(op) {
  modal.queue.push(op);
  if (!modal.current) nextModal();
}

function nextModal() {
  var op = modal.queue.shift();
  if (!op) { modal.current = null; return; }
  var layer = htmlEl("div", "sf-modal-layer");
  var box = htmlEl("div", "sf-modal");
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "true");
  if (op.title) box.appendChild(htmlEl("div", "sf-modal-title", toText(op.title)));
  var field = null;
  if (op.editable) {
    // An editable modal's content is the field's initial text (WeChat's behaviour).
    field = htmlEl("input", "sf-modal-input");
    field.type = "text";
    field.value = toText(op.content);
    field.placeholder = toText(op.placeholderText);
    field.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); answerModal(op, true); } });
    box.appendChild(htmlEl("div", "sf-modal-content sf-modal-field")).appendChild(field);
  } else if (op.content) box.appendChild(htmlEl("div", "sf-modal-content", toText(op.content)));
  var foot = htmlEl("div", "sf-modal-foot");
  var cancel = null;
  if (op.showCancel) {
    cancel = modalButton("sf-modal-cancel", op.cancelText || "Cancel", op.cancelColor, function () { answerModal(op, false); });
    foot.appendChild(cancel);
  }
  var confirm = modalButton("sf-modal-confirm", op.confirmText || "OK", op.confirmColor, function () { answerModal(op, true); });
  foot.appendChild(confirm);
  box.appendChild(foot);
  layer.appendChild(box);
  layer.addEventListener("mousedown", function (e) { if (e.target === layer) e.preventDefault(); }); // keep focus in the dialog
  layer.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); answerModal(op, false); }
  });
  shell.overlay.appendChild(layer);
  modal.current = { op: op, el: layer, field: field };
  (field || confirm).focus();
}

function modalButton(cls, text, color, onClick) {
  var b = htmlEl("button", "sf-modal-button " + cls, toText(text));
  b.type = "button";
  if (color) b.style.setProperty("color", toText(color));
  b.addEventListener("click", onClick);
  return b;
}

function answerModal(op, confirm) {
  if (!modal.current || modal.current.op !== op) return;
  var el = modal.current.el, field = modal.current.field;
  if (el.parentNode) el.parentNode.removeChild(el);
  if (typeof op.onAnswer === "function") op.onAnswer(confirm);
  else if (field) sendHostEvent("modal", { id: toText(op.id), confirm: confirm, content: field.value });
  else sendHostEvent("modal", { id: toText(op.id), confirm: confirm });
  nextModal();
}
