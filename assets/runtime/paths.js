// paths.js — resolving bundle-relative paths (images, navigator urls) and rpx units.

// joinPath resolves rel against the folder of file, both bundle-relative; "/x" is from
// the bundle root. ".." never climbs above the root.
function joinPath(file, rel) {
  var parts = rel.charAt(0) === "/" ? [] : file.split("/").slice(0, -1);
  rel.split("/").forEach(function (seg) {
    if (seg === "" || seg === ".") return;
    if (seg === "..") { parts.pop(); return; }
    parts.push(seg);
  });
  return parts.join("/");
}

// resolveImage maps an image src to a data: URL from init.images, or "" when the
// bundle has no such image. data: URLs pass through; remote ones go to remoteImage.
function resolveImage(images, file, src) {
  if (typeof src !== "string" || src === "") return "";
  if (/^data:image\//i.test(src)) return src;
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return "";
  var key = joinPath(file, src.split(/[?#]/)[0]);
  return images && hasOwn(images, key) ? images[key] : "";
}

// remoteImage maps a remote image src (an https or http URL, or "//host/...") to the shell's image
// scheme, naming the app whose page shows it; "" for anything else. The page has no
// network: the shell fetches the image under its policy (a refused one stays broken).
// render.RemoteImageURL in Go builds the same form.
function remoteImage(app, src) {
  if (typeof src !== "string" || !app) return "";
  var s = src.trim();
  if (/^\/\/[^\/]/.test(s)) s = "https:" + s;
  // wxfile://… is one of the app's own files (temporary, saved, user): served by the
  // shell from the app's folder through the same scheme (docs/files.md).
  if (!/^https?:\/\/[^\/]/i.test(s) && !/^wxfile:\/\/[^\/]/.test(s)) return "";
  return "sfimg://image/?app=" + encodeURIComponent(app) + "&u=" + encodeURIComponent(s);
}

// remoteStyleImages rewrites the remote url()s of an inline style (a WXML style
// attribute, often "background-image: url({{item.cover}})") to the image scheme, as the
// WXSS compiler does for style sheets. Other urls are left as written (the CSP decides).
function remoteStyleImages(style, app) {
  if (typeof style !== "string" || !app || !/url\(/i.test(style)) return style;
  return style.replace(/url\(\s*(["']?)([^"'()\\\s]+)\1\s*\)/gi, function (m, q, ref) {
    var u = remoteImage(app, ref);
    return u ? 'url("' + u + '")' : m;
  });
}

// resolvePageURL turns a navigator url into the "/pages/x/x?a=1" form the host expects,
// resolving a relative url against the route of the page it is on.
function resolvePageURL(route, url) {
  if (typeof url !== "string" || url === "") return "";
  var q = url.indexOf("?"), path = q < 0 ? url : url.slice(0, q), query = q < 0 ? "" : url.slice(q);
  return "/" + joinPath(route || "", path) + query;
}

// convertRpx rewrites "Nrpx" lengths in an inline style into px for the current width.
function convertRpx(style, factor) {
  if (typeof style !== "string" || !/rpx/i.test(style)) return style;
  return style.replace(/(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)rpx\b/gi, function (_, n) {
    return Math.round(parseFloat(n) * factor * 1000) / 1000 + "px";
  });
}
