// format.js — pure helpers (no DOM): labels, numbers, times, matching. The tests load
// this file alone in goja.

var DECISION_LABELS = { granted: "Allowed", once: "Allowed once", denied: "Denied", "": "Not asked" };

// decisionLabel is the readable form of a stored permission decision.
function decisionLabel(decision) {
  var d = decision == null ? "" : String(decision);
  return Object.prototype.hasOwnProperty.call(DECISION_LABELS, d) ? DECISION_LABELS[d] : d;
}

// isGranted: the app may use the capability now, so there is something to revoke.
function isGranted(decision) {
  return decision === "granted" || decision === "once";
}

// auditTone colours an audit line's decision: what went through, what the shell
// refused, and what failed on its own.
function auditTone(decision) {
  switch (decision) {
    case "ok": return "ok";
    case "denied": case "refused": case "rate-limited": return "bad";
    case "error": return "warn";
  }
  return "";
}

var STAGE_LABELS = { download: "Downloading", verify: "Verifying", install: "Installing" };

function stageLabel(stage) {
  return STAGE_LABELS[stage] || "Working";
}

// formatBytes: 0 B, 512 B, 1.5 KB, 12 MB (powers of 1024, one decimal under 10).
function formatBytes(n) {
  n = Number(n);
  if (!isFinite(n) || n < 0) n = 0;
  var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  if (i === 0) return Math.round(n) + " B";
  var shown = n < 10 ? Math.round(n * 10) / 10 : Math.round(n);
  if (shown >= 1024 && i < units.length - 1) { shown = 1; i++; }
  return shown + " " + units[i];
}

// storagePercent is the share of the limit in use, 0–100 (0 without a limit).
function storagePercent(bytes, limit) {
  bytes = Number(bytes) || 0;
  limit = Number(limit) || 0;
  if (limit <= 0 || bytes <= 0) return 0;
  return Math.min(100, Math.max(0, bytes / limit * 100));
}

// progressPercent is install progress in percent, or -1 when the total is unknown.
function progressPercent(done, total) {
  done = Number(done) || 0;
  total = Number(total) || 0;
  if (total <= 0) return -1;
  return Math.min(100, Math.max(0, Math.round(done / total * 100)));
}

// parseTime reads RFC 3339 (with up to nanoseconds, which not every engine takes) into
// a Date, or null.
function parseTime(text) {
  var m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.exec(String(text || ""));
  if (!m) return null;
  var ms = m[2] ? (m[2] + "000").slice(0, 4) : "";
  var d = new Date(m[1] + ms + m[3].toUpperCase());
  return isNaN(d.getTime()) ? null : d;
}

function pad2(n) {
  return (n < 10 ? "0" : "") + n;
}

// formatClock is the local HH:MM:SS of an RFC 3339 time, or "" for a bad one.
function formatClock(text) {
  var d = parseTime(text);
  if (!d) return "";
  return pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" + pad2(d.getSeconds());
}

var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// formatDate is the local "3 Mar 2025" of an RFC 3339 time, or "".
function formatDate(text) {
  var d = parseTime(text);
  if (!d) return "";
  return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear();
}

// codePoints splits text into characters, not UTF-16 units.
function codePoints(text) {
  return Array.from(String(text == null ? "" : text));
}

// initial is the letter a tile shows when the app has no icon.
function initial(name, id) {
  var chars = codePoints(String(name || "").trim());
  if (!chars.length) chars = codePoints(String(id || "").trim());
  return chars.length ? chars[0].toUpperCase() : "?";
}

var AVATAR_COLOURS = ["#4f6bed", "#0e9f6e", "#d9480f", "#ae3ec9", "#1098ad", "#e8590c", "#5c7cfa", "#c2255c", "#2b8a3e", "#7048e8"];

// avatarColour picks a stable colour for a letter avatar from the app's id.
function avatarColour(key) {
  var s = String(key || ""), h = 0;
  for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return AVATAR_COLOURS[h % AVATAR_COLOURS.length];
}

// isDataImage: only data: images are shown (the CSP allows nothing else either).
function isDataImage(url) {
  return typeof url === "string" && /^data:image\/[a-z0-9.+-]+[;,]/i.test(url);
}

// matchesQuery: the search box filters by name or id, ignoring case.
function matchesQuery(app, query) {
  var q = String(query || "").trim().toLowerCase();
  if (!q) return true;
  return String(app && app.name || "").toLowerCase().indexOf(q) >= 0 ||
    String(app && app.id || "").toLowerCase().indexOf(q) >= 0;
}

// isActive: the app has a window, shown or hidden.
function isActive(app) {
  return !!app && (app.state === "running" || app.state === "hidden");
}

function plural(n, one, many) {
  return n + " " + (n === 1 ? one : many);
}

// nickNameProblem says what is wrong with a nickname, or "" (1–64 characters).
function nickNameProblem(name) {
  var n = codePoints(String(name || "").trim()).length;
  if (n === 0) return "Enter a name.";
  if (n > 64) return "Use at most 64 characters (this has " + n + ").";
  return "";
}

var DOMAIN_KINDS = [
  ["request", "Requests"], ["socket", "Sockets"], ["uploadFile", "Uploads"], ["downloadFile", "Downloads"]
];

// domainRows lists the declared domains per kind, leaving out kinds with none.
function domainRows(domains) {
  var out = [];
  DOMAIN_KINDS.forEach(function (k) {
    var list = domains && Array.isArray(domains[k[0]]) ? domains[k[0]].filter(function (d) { return typeof d === "string" && d; }) : [];
    if (list.length) out.push({ kind: k[0], label: k[1], domains: list });
  });
  return out;
}

function errorText(err) {
  if (err == null) return "Something went wrong.";
  var text = typeof err === "string" ? err : err.message;
  return text ? String(text) : String(err);
}
