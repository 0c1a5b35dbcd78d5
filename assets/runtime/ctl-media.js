// ctl-media.js — <video>, <audio> and the media contexts. The page has no network,
// and WebKitGTK cannot play media from a custom URI scheme (WebKit bug 146351), so the
// page asks the host for a source with the host event "mediaSource" {id, kind, ref}
// (kind "bundle" with a bundle path, or "media" with an https URL the shell fetches
// from the app's declared domains only) and plays the data: URL the ui op "media"
// {id, content} brings (or fails with its text). data: sources play as they are.
// Answers are kept (at most MEDIA_CACHE_CHARS), so replaying costs nothing.
//
// <video>: src, controls (true), autoplay, loop, muted, poster, initial-time,
// object-fit (contain, fill, cover). Events: play, pause, ended, timeupdate
// {currentTime, duration}, error {errMsg}, waiting, loadedmetadata {width, height,
// duration}, progress {buffered}, seekcomplete {position}, fullscreenchange
// {fullScreen, direction}. <audio> (WeChat's older component): src, loop, controls,
// poster, name, author; events play, pause, ended, timeupdate, error.
//
// wx.createVideoContext / wx.createAudioContext / wx.createInnerAudioContext live in
// logic: their methods become "media" render ops {target, id, cmd, args}, applied here
// after the push's renders (so a <video> the same push creates is found). target is
// the page or component whose template has the element with that id, or "app" for an
// InnerAudioContext, whose <audio> element the runtime owns (never in the document);
// what that element reports goes back as a host "media" event {id, type, currentTime,
// duration, paused, buffered[, errMsg, errCode]}.

var MAX_AUDIO_CONTEXTS = 32;
var MEDIA_EVENT_TYPES = ["canplay", "play", "pause", "ended", "timeupdate", "error", "waiting", "seeking", "seeked"];
var MEDIA_CACHE_CHARS = 64 * 1024 * 1024;

// mediaSourceOf says where a media src (a bundle path relative to file, an https URL,
// a data: URL) comes from: {url} to play at once, {kind, ref} to ask the host for, or
// null for what cannot play.
function mediaSourceOf(file, src) {
  if (typeof src !== "string") return null;
  var s = src.trim();
  if (s === "") return null;
  if (/^data:(audio|video)\//i.test(s)) return { url: s };
  if (/^\/\/[^\/]/.test(s)) s = "https:" + s;
  if (/^https?:\/\/[^\/]/i.test(s)) return { kind: "media", ref: s };
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return null;
  return { kind: "bundle", ref: joinPath(file || "", s.split(/[?#]/)[0]) };
}

var mediaSources = { next: 1, pending: {}, cache: new Map(), chars: 0 };

// loadMediaSource calls done(url) or done("", why) for a source (mediaSourceOf).
function loadMediaSource(source, done) {
  if (!source) { done("", "not a bundle file or an https url"); return; }
  if (source.url) { done(source.url); return; }
  var key = source.kind + "\n" + source.ref, cached = mediaSources.cache.get(key);
  if (cached) { done(cached); return; }
  for (var id in mediaSources.pending) {
    if (mediaSources.pending[id].key === key) { mediaSources.pending[id].waiting.push(done); return; }
  }
  var rid = "m" + mediaSources.next++;
  mediaSources.pending[rid] = { key: key, waiting: [done] };
  sendHostEvent("mediaSource", { id: rid, kind: source.kind, ref: source.ref });
}

// answerMediaSource takes the host's ui "media" op {id, content | text}.
function answerMediaSource(op) {
  var rid = toText(op.id), p = hasOwn(mediaSources.pending, rid) ? mediaSources.pending[rid] : null;
  if (!p) return;
  delete mediaSources.pending[rid];
  var url = typeof op.content === "string" && /^data:(audio|video|application\/ogg)/i.test(op.content) ? op.content : "";
  if (url) {
    mediaSources.cache.set(p.key, url);
    mediaSources.chars += url.length;
    mediaSources.cache.forEach(function (v, k) {
      if (mediaSources.chars > MEDIA_CACHE_CHARS && k !== p.key) { mediaSources.cache.delete(k); mediaSources.chars -= v.length; }
    });
  }
  p.waiting.forEach(function (done) {
    try { done(url, url ? "" : toText(op.text) || "not available"); } catch (err) { reportError("media source", err); }
  });
}

// playSource points m at src (through loadMediaSource); a later call wins over an
// earlier one still waiting. then(ok, why) runs once it is set or failed.
function playSource(m, file, src, then) {
  var token = m.__sfToken = (m.__sfToken || 0) + 1;
  loadMediaSource(mediaSourceOf(file, src), function (url, why) {
    if (m.__sfToken !== token) return;
    if (url) m.src = url;
    else { m.removeAttribute("src"); try { m.load(); } catch (e) { /* nothing loaded */ } }
    then(!!url, why);
  });
}

// mediaErrorCode maps a MediaError to WeChat's codes: 10001 system, 10002 network,
// 10003 file, 10004 format, -1 unknown.
function mediaErrorCode(err) {
  var code = err && err.code;
  return code === 1 ? 10001 : code === 2 ? 10002 : code === 3 ? 10004 : code === 4 ? 10003 : -1;
}

function mediaErrorText(m, src) {
  var e = m.error;
  var why = e && e.message ? e.message : e && e.code === 4 ? "the source cannot be played" : "playback failed";
  return "MediaError: " + why + (src ? " (" + src + ")" : "");
}

function mediaTimes(m) {
  var d = isFinite(m.duration) ? m.duration : 0, b = 0;
  try { if (m.buffered && m.buffered.length) b = m.buffered.end(m.buffered.length - 1); } catch (e) { /* no ranges */ }
  return { currentTime: round2(m.currentTime || 0), duration: round2(d), buffered: d > 0 ? Math.round(b / d * 100) : 0 };
}

// ---- <video> and <audio> ---------------------------------------------------------

function mediaElementOf(el) { return el.__sfMedia; }

function wireMediaEvents(el, m, tag) {
  var lastTime = -1;
  m.addEventListener("play", function () { emitComponentEvent(el, "play", {}); });
  m.addEventListener("pause", function () { if (!m.ended) emitComponentEvent(el, "pause", {}); });
  m.addEventListener("ended", function () { emitComponentEvent(el, "ended", {}); });
  m.addEventListener("timeupdate", function () {
    var t = mediaTimes(m);
    if (t.currentTime === lastTime) return;
    lastTime = t.currentTime;
    emitComponentEvent(el, "timeupdate", { currentTime: t.currentTime, duration: t.duration });
  });
  m.addEventListener("error", function () {
    if (!m.getAttribute("src")) return;
    emitComponentEvent(el, "error", { errMsg: mediaErrorText(m, toText(el.__sfNode.attrs.src)) });
  });
  if (tag !== "video") return;
  m.addEventListener("waiting", function () { emitComponentEvent(el, "waiting", {}); });
  m.addEventListener("loadedmetadata", function () {
    emitComponentEvent(el, "loadedmetadata", { width: m.videoWidth, height: m.videoHeight, duration: mediaTimes(m).duration });
  });
  m.addEventListener("progress", function () { emitComponentEvent(el, "progress", { buffered: mediaTimes(m).buffered }); });
  m.addEventListener("seeked", function () { emitComponentEvent(el, "seekcomplete", { position: round2(m.currentTime) }); });
}

function mediaSetSource(el, v, m, then) {
  var src = toText(v.attrs.src);
  playSource(m, v.file, src, function (ok, why) {
    if (!ok && src) emitComponentEvent(el, "error", { errMsg: "MediaError: " + src + ": " + why });
    if (ok) then();
  });
}

function mediaPlay(el, m) {
  var p;
  try { p = m.play(); } catch (e) { p = null; }
  if (p && p.catch) p.catch(function (err) { emitComponentEvent(el, "error", { errMsg: "MediaError: " + (err && err.message ? err.message : "play failed") }); });
}

function setVideoFullScreen(el, on) {
  if (el.hasAttribute("sf-fullscreen") === on) return;
  flagAttr(el, "sf-fullscreen", on ? "" : null);
  var dir = toText(el.__sfNode.attrs.direction);
  emitComponentEvent(el, "fullscreenchange", { fullScreen: on, direction: on ? (dir === "0" ? "vertical" : "horizontal") : "vertical" });
}

function mediaControl(tag) {
  return {
    own: { src: true, poster: true, controls: true, autoplay: true, loop: true, muted: true },
    create: function (el) {
      var m = htmlEl(tag === "video" ? "video" : "audio", "sf-" + tag);
      m.preload = "metadata";
      m.setAttribute("playsinline", "");
      el.__sfMedia = m;
      wireMediaEvents(el, m, tag);
      if (tag === "audio") {
        var card = htmlEl("div", "sf-audio-card");
        card.appendChild(htmlEl("img", "sf-audio-poster"));
        var meta = htmlEl("div", "sf-audio-meta");
        meta.appendChild(htmlEl("div", "sf-audio-name"));
        meta.appendChild(htmlEl("div", "sf-audio-author"));
        card.appendChild(meta);
        el.appendChild(card);
      }
      el.insertBefore(m, el.firstChild);
    },
    update: function (el, v, old) {
      var a = v.attrs, p = old ? old.attrs : {}, m = el.__sfMedia;
      m.controls = tag === "video" ? a.controls !== false : !!a.controls;
      flagAttr(el, "controls", m.controls ? "" : null);
      m.loop = !!a.loop;
      m.muted = !!a.muted;
      if (tag === "video") {
        var fit = toText(a["object-fit"]);
        m.style.objectFit = fit === "fill" || fit === "cover" ? fit : "contain";
      }
      var poster = resolveImage(state.init && state.init.images, v.file, toText(a.poster)) || remoteImage(currentAppID(), toText(a.poster));
      if (tag === "video") { if (poster) m.poster = poster; else m.removeAttribute("poster"); }
      else {
        var img = el.querySelector(".sf-audio-poster");
        if (poster) img.src = poster; else img.removeAttribute("src");
        el.querySelector(".sf-audio-name").textContent = toText(a.name);
        el.querySelector(".sf-audio-author").textContent = toText(a.author);
      }
      if (!old || toText(a.src) !== toText(p.src)) {
        el.__sfWantPlay = false;
        mediaSetSource(el, v, m, function () {
          var start = numberAttr(el.__sfNode.attrs["initial-time"], 0);
          if (start > 0) m.addEventListener("loadedmetadata", function once() { m.removeEventListener("loadedmetadata", once); m.currentTime = start; });
          // play() asked for while the source was on its way, or autoplay.
          if (el.__sfWantPlay || el.__sfNode.attrs.autoplay) mediaPlay(el, m);
          el.__sfWantPlay = false;
        });
      }
    }
  };
}

BUILTINS.video = mediaControl("video");
BUILTINS.audio = mediaControl("audio");

// ---- media ops from logic --------------------------------------------------------

var mediaQueue = [];

function queueMediaOp(op) { mediaQueue.push(op); }

// runMediaOps applies the media ops of a push once its renders are in the document.
function runMediaOps() {
  var ops = mediaQueue;
  mediaQueue = [];
  ops.forEach(function (op) {
    try {
      if (op.target === "app") innerAudioOp(op);
      else elementMediaOp(op);
    } catch (err) { reportError("media op " + toText(op.cmd), err); }
  });
}

// findMediaElement finds the <video>/<audio> with id in the template of owner.
function findMediaElement(ownerId, id) {
  var owner = ownerOf(ownerId);
  if (!owner || !owner.root) return null;
  var found = null;
  owner.root.querySelectorAll("wx-video, wx-audio").forEach(function (el) {
    var v = el.__sfNode;
    if (!found && v && v.owner === ownerId && toText(v.attrs.id) === id) found = el;
  });
  return found;
}

function elementMediaOp(op) {
  var el = findMediaElement(toText(op.target), toText(op.id));
  if (!el) throw new Error("no <video> or <audio> with id " + JSON.stringify(toText(op.id)) + " in " + toText(op.target));
  var m = el.__sfMedia, args = isObject(op.args) ? op.args : {};
  switch (op.cmd) {
    case "play": if (m.getAttribute("src")) mediaPlay(el, m); else el.__sfWantPlay = true; break;
    case "pause": el.__sfWantPlay = false; m.pause(); break;
    case "stop": m.pause(); try { m.currentTime = 0; } catch (e) { /* not seekable */ } break;
    case "seek": m.currentTime = Math.max(0, numberAttr(args.position, 0)); break;
    case "playbackRate": m.playbackRate = Math.min(4, Math.max(0.25, numberAttr(args.rate, 1))); break;
    case "requestFullScreen": setVideoFullScreen(el, true); break;
    case "exitFullScreen": setVideoFullScreen(el, false); break;
    case "setSrc": {
      var src = toText(args.src);
      playSource(m, el.__sfNode.file, src, function (ok, why) {
        if (!ok) emitComponentEvent(el, "error", { errMsg: "MediaError: " + src + ": " + why });
        else if (el.__sfWantPlay) mediaPlay(el, m);
        el.__sfWantPlay = false;
      });
      break;
    }
    default: throw new Error("unknown media command " + JSON.stringify(toText(op.cmd)));
  }
}

// ---- InnerAudioContext -------------------------------------------------------------

var innerAudios = {}; // id → {m, src}

function sendAudioEvent(id, m, type, extra) {
  var t = mediaTimes(m);
  var detail = { id: id, type: type, currentTime: t.currentTime, duration: t.duration, paused: m.paused, buffered: t.buffered };
  Object.keys(extra || {}).forEach(function (k) { detail[k] = extra[k]; });
  sendHostEvent("media", detail);
}

function newInnerAudio(id) {
  if (Object.keys(innerAudios).length >= MAX_AUDIO_CONTEXTS) return null;
  var m = document.createElement("audio"), lastTime = -1, last = 0;
  m.preload = "auto";
  var a = innerAudios[id] = { m: m, src: "", startTime: 0 };
  MEDIA_EVENT_TYPES.forEach(function (type) {
    m.addEventListener(type, function () {
      if (innerAudios[id] !== a) return;
      if (type === "error") {
        if (!m.getAttribute("src")) return;
        sendAudioEvent(id, m, "error", { errMsg: mediaErrorText(m, a.src), errCode: mediaErrorCode(m.error) });
        return;
      }
      if (type === "pause" && m.ended) return;
      if (type === "timeupdate") {
        // At most four a second, and only when the time moved.
        var t = mediaTimes(m).currentTime, n = now();
        if (t === lastTime || n - last < 240) return;
        lastTime = t;
        last = n;
      }
      sendAudioEvent(id, m, type);
    });
  });
  return a;
}

function innerAudioSet(a, args) {
  var m = a.m;
  if (hasOwn(args, "volume")) m.volume = Math.min(1, Math.max(0, numberAttr(args.volume, 1)));
  if (hasOwn(args, "loop")) m.loop = !!args.loop;
  if (hasOwn(args, "autoplay")) m.autoplay = !!args.autoplay;
  if (hasOwn(args, "playbackRate")) m.playbackRate = Math.min(2, Math.max(0.5, numberAttr(args.playbackRate, 1)));
  if (hasOwn(args, "startTime")) a.startTime = Math.max(0, numberAttr(args.startTime, 0));
}

function innerAudioOp(op) {
  var id = toText(op.id), args = isObject(op.args) ? op.args : {};
  if (!/^a\d{1,9}$/.test(id)) throw new Error("bad audio context id " + JSON.stringify(id));
  var a = hasOwn(innerAudios, id) ? innerAudios[id] : null;
  if (op.cmd === "destroy") {
    if (a) { a.m.pause(); a.m.removeAttribute("src"); try { a.m.load(); } catch (e) { /* gone */ } delete innerAudios[id]; }
    return;
  }
  if (!a) a = newInnerAudio(id);
  if (!a) {
    sendHostEvent("media", { id: id, type: "error", currentTime: 0, duration: 0, paused: true, buffered: 0, errMsg: "too many audio contexts (at most " + MAX_AUDIO_CONTEXTS + ")", errCode: 10001 });
    return;
  }
  var m = a.m;
  switch (op.cmd) {
    case "set": innerAudioSet(a, args); break;
    case "src": {
      innerAudioSet(a, args);
      a.src = toText(args.src);
      a.wantPlay = false;
      a.ready = false;
      playSource(m, "", a.src, function (ok, why) {
        if (innerAudios[id] !== a) return;
        if (!ok) {
          a.wantPlay = false;
          sendAudioEvent(id, m, "error", { errMsg: "MediaError: " + a.src + ": " + why, errCode: 10003 });
          return;
        }
        a.ready = true;
        if (a.startTime > 0) m.addEventListener("loadedmetadata", function once() { m.removeEventListener("loadedmetadata", once); m.currentTime = a.startTime; });
        if (a.wantPlay || m.autoplay) innerAudioPlay(id, a);
        a.wantPlay = false;
      });
      break;
    }
    case "play":
      if (a.ready) innerAudioPlay(id, a);
      else if (a.src) a.wantPlay = true;
      else sendAudioEvent(id, m, "error", { errMsg: "MediaError: no src", errCode: 10003 });
      break;
    case "pause": a.wantPlay = false; m.pause(); break;
    case "stop":
      a.wantPlay = false;
      m.pause();
      try { m.currentTime = 0; } catch (e) { /* not seekable */ }
      sendAudioEvent(id, m, "stop");
      break;
    case "seek": m.currentTime = Math.max(0, numberAttr(args.position, 0)); break;
    default: throw new Error("unknown audio command " + JSON.stringify(toText(op.cmd)));
  }
}

function innerAudioPlay(id, a) {
  var m = a.m, p;
  try { p = m.play(); } catch (e) { p = null; }
  if (p && p.catch) p.catch(function (err) {
    if (innerAudios[id] === a && !m.error) sendAudioEvent(id, m, "error", { errMsg: "MediaError: " + (err && err.message ? err.message : "play failed"), errCode: 10001 });
  });
}
