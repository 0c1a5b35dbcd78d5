// storage.js — the keys and values of the app's namespace: edit, delete, clear.

function refreshStorage() {
  return call("storage.list").then(function (r) {
    var rows = (r.items || []).map(function (it) {
      var text = JSON.stringify(it.value);
      var edit = h("button", { class: "btn btn-sm", type: "button" }, "Edit");
      edit.addEventListener("click", function () { $("storage-key").value = it.key; $("storage-value").value = text; $("storage-value").focus(); });
      var del = h("button", { class: "btn btn-sm btn-danger storage-delete", type: "button" }, "Delete");
      del.addEventListener("click", function () {
        call("storage.remove", { key: it.key }).then(function () { setStatus($("storage-status"), "Removed " + it.key, "ok"); refreshStorage(); },
          function (err) { setStatus($("storage-status"), err.message, "error"); });
      });
      return h("tr", { class: "storage-row", "data-key": it.key }, h("td", null, it.key), h("td", { class: "mono", title: text }, text), h("td", null, bytes(it.size)), h("td", null, edit, " ", del));
    });
    if (!rows.length) rows = [h("tr", null, h("td", { colspan: "4", class: "empty" }, "The app has stored nothing."))];
    fill($("storage-rows"), rows);
    if (r.info && r.info.limitSize) setStatus($("storage-status"), (r.items || []).length + " keys · " + bytes(r.info.currentSize || 0) + " of " + bytes(r.info.limitSize));
  }, function (err) { setStatus($("storage-status"), err.message, "error"); });
}

function setupStorage() {
  $("storage-refresh").addEventListener("click", refreshStorage);
  $("storage-clear").addEventListener("click", function () {
    call("storage.clear").then(function () { setStatus($("storage-status"), "Cleared", "ok"); refreshStorage(); },
      function (err) { setStatus($("storage-status"), err.message, "error"); });
  });
  $("storage-save").addEventListener("click", function () {
    var key = $("storage-key").value, value;
    try { value = JSON.parse($("storage-value").value); } catch (err) { setStatus($("storage-status"), "Not JSON: " + err.message, "error"); return; }
    call("storage.set", { key: key, value: value }).then(function () { setStatus($("storage-status"), "Saved " + key, "ok"); refreshStorage(); },
      function (err) { setStatus($("storage-status"), err.message, "error"); });
  });
}
