// perms.js — the app's permission decisions (reset to see the prompts again) and its
// audit lines.

function refreshPerms() {
  return call("perms.list").then(function (r) {
    var rows = r.decisions.map(function (d) {
      return h("tr", { class: "perm-row", "data-capability": d.capability }, h("td", null, d.capability),
        h("td", null, h("span", { class: "pill " + d.decision }, d.decision || "not asked")), h("td", null, d.reason || ""));
    });
    if (!rows.length) rows = [h("tr", null, h("td", { colspan: "3", class: "empty" }, "The app declares no capability."))];
    fill($("perms-rows"), rows);
    $("audit-path").textContent = r.auditPath || "";
    fill($("audit-rows"), r.audit.map(function (e) {
      var refused = e.decision === "refused" || e.decision === "denied" || e.decision === "rate-limited";
      return h("tr", { class: "audit-row" + (refused ? " refused" : ""), "data-decision": e.decision, "data-kind": e.kind },
        h("td", null, clock(e.time)), h("td", null, e.kind), h("td", null, e.api || ""), h("td", null, e.capability || ""),
        h("td", null, e.decision), h("td", { title: e.reason || e.error || "" }, e.reason || e.error || ""));
    }));
  }, function (err) { setStatus($("perms-status"), err.message, "error"); });
}

function setupPerms() {
  $("perms-refresh").addEventListener("click", refreshPerms);
  $("perms-reset").addEventListener("click", function () {
    call("perms.reset").then(function () { setStatus($("perms-status"), "Decisions reset: the app's next use prompts again", "ok"); refreshPerms(); },
      function (err) { setStatus($("perms-status"), err.message, "error"); });
  });
}
