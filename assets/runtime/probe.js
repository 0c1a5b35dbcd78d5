// probe.js — automation probes (docs/protocol.md): query, tap, longpress, input,
// press (a key), submit and settle (wait for animations to end) on a CSS selector evaluated in the shown page, then in the chrome. Actions go
// through real DOM events, so they take the same path as a person's.

function probeMatches(selector) {
  var page = state.pages[state.shown], out = [];
  if (page && page.root.matches(selector)) out.push(page.root); // "page", as WXSS names it
  if (page) out.push.apply(out, page.root.querySelectorAll(selector));
  if (shell) out.push.apply(out, shell.root.querySelectorAll(selector));
  return out;
}

function isVisible(el) {
  if (!el.isConnected || !el.getClientRects().length) return false;
  return getComputedStyle(el).visibility !== "hidden";
}

function describeElement(el) {
  var attrs = {};
  Array.prototype.forEach.call(el.attributes, function (a) { attrs[a.name] = a.value; });
  var v = el.__sfNode;
  var tag = v ? v.tag : el.localName;
  var control = el.localName === "input" || el.localName === "textarea";
  return {
    tag: tag, id: el.id || "", text: (el.textContent || "").trim(), attrs: attrs,
    value: control ? el.value : "",
    checked: ["checkbox", "radio", "switch"].indexOf(el.localName) >= 0 && el.hasAttribute("checked"),
    visible: isVisible(el),
    style: computedStyle(el)
  };
}

// PROBED_STYLES are the computed properties a query reports: what a person sees of
// colours, size and layout, so tests can check WXSS reached an element.
var PROBED_STYLES = ["display", "color", "background-color", "font-size", "font-weight"];

function computedStyle(el) {
  var cs = getComputedStyle(el), out = {};
  PROBED_STYLES.forEach(function (name) { out[name] = cs.getPropertyValue(name); });
  return out;
}

// firstVisible returns the first match or throws the error the probe answers with.
function firstVisible(selector) {
  var el = probeMatches(selector)[0];
  if (!el) throw new Error("no element matches " + selector);
  if (!isVisible(el)) throw new Error("the element matching " + selector + " is not visible");
  return el;
}

// moveFocus does what a person's click does to focus: the clicked control (or the one
// it sits in) takes it, and clicking anything else takes it away from an input.
function moveFocus(el) {
  var focusable = el.closest("input, textarea, button, [tabindex]");
  if (focusable) {
    focusable.focus();
    return;
  }
  var active = document.activeElement;
  if (active && active !== document.body && typeof active.blur === "function") active.blur();
}

function firePointer(el, type, x, y) {
  var init = { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, button: 0, buttons: type === "pointerup" ? 0 : 1, pointerId: 1, pointerType: "mouse", isPrimary: true };
  var Ctor = typeof PointerEvent === "function" ? PointerEvent : MouseEvent;
  el.dispatchEvent(new Ctor(type, init));
}

function fireClick(el, x, y) {
  el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, button: 0, detail: 1 }));
}

function centre(el) {
  el.scrollIntoView({ block: "nearest", inline: "nearest" });
  var r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

// runProbe answers one probe; done(result) or fail(message) is called exactly once.
function runProbe(p, done, fail) {
  var selector = toText(p.selector);
  switch (p.op) {
    case "query":
      done(probeMatches(selector).map(describeElement));
      return;
    case "stack":
      done(pageStack());
      return;
    case "tap": {
      var el = firstVisible(selector), c = centre(el);
      moveFocus(el);
      firePointer(el, "pointerdown", c.x, c.y);
      firePointer(el, "pointerup", c.x, c.y);
      fireClick(el, c.x, c.y);
      done(undefined);
      return;
    }
    case "longpress": {
      var held = firstVisible(selector), at = centre(held);
      firePointer(held, "pointerdown", at.x, at.y);
      setTimeout(function () {
        try {
          firePointer(held, "pointerup", at.x, at.y);
          fireClick(held, at.x, at.y);
          done(undefined);
        } catch (err) { fail(String(err && err.message || err)); }
      }, LONGPRESS_MS + 50);
      return;
    }
    case "input": {
      var input = firstVisible(selector);
      if (input.localName !== "input" && input.localName !== "textarea") throw new Error("the element matching " + selector + " is a <" + describeElement(input).tag + ">, not an input or textarea");
      if (input.disabled) throw new Error("the input matching " + selector + " is disabled");
      input.focus();
      input.value = toText(p.value);
      input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: toText(p.value) }));
      done(undefined);
      return;
    }
    case "drag": {
      // Press at the centre, move by "dx dy" in steps, let go (swiper, slider).
      var dragged = firstVisible(selector), from = centre(dragged);
      var by = toText(p.value).split(" ").map(Number), dx = by[0] || 0, dy = by[1] || 0;
      firePointer(dragged, "pointerdown", from.x, from.y);
      for (var step = 1; step <= 5; step++) firePointer(dragged, "pointermove", from.x + dx * step / 5, from.y + dy * step / 5);
      firePointer(dragged, "pointerup", from.x + dx, from.y + dy);
      fireClick(dragged, from.x + dx, from.y + dy);
      done(undefined);
      return;
    }
    case "submit": {
      var match = probeMatches(selector)[0];
      if (!match) throw new Error("no element matches " + selector);
      var form = match.closest("form");
      if (!form || !form.__sfNode) throw new Error("the element matching " + selector + " is not in a form");
      submitForm(form);
      done(undefined);
      return;
    }
    case "press": {
      // A key pressed while the element has focus (Enter confirms an input).
      var target = firstVisible(selector), key = toText(p.value);
      if (!key) throw new Error("press needs a key name, such as Enter");
      target.focus();
      var init = { key: key, code: key.length === 1 ? "Key" + key.toUpperCase() : key, bubbles: true, cancelable: true, composed: true };
      var down = new KeyboardEvent("keydown", init);
      target.dispatchEvent(down);
      target.dispatchEvent(new KeyboardEvent("keyup", init));
      done(undefined);
      return;
    }
    case "style": {
      // Computed style of the first match (value: an optional "::before"/"::after",
      // then property names), what a person sees rather than what a rule says. "page" is
      // the shown page's own element.
      var shownPage = state.pages[state.shown];
      var styled = selector === "page" && shownPage ? shownPage.root : probeMatches(selector)[0];
      if (!styled) throw new Error("no element matches " + selector);
      var words = toText(p.value).split(" ").filter(function (w) { return w !== ""; }), pseudo = null;
      if (words.length && words[0].indexOf("::") === 0) pseudo = words.shift();
      var cs = getComputedStyle(styled, pseudo), props = {};
      words.forEach(function (w) { props[w] = cs.getPropertyValue(w).trim(); });
      done(props);
      return;
    }
    case "font": {
      // Loads the font family named in value as the page would, then reports its faces.
      var family = toText(p.value);
      document.fonts.load("16px \"" + family.replace(/["\\]/g, "") + "\"").then(function (loaded) {
        var faces = [];
        document.fonts.forEach(function (f) {
          if (f.family.replace(/^["']|["']$/g, "") === family) faces.push(f.status);
        });
        done({ loaded: loaded.length > 0 && loaded.every(function (f) { return f.status === "loaded"; }), faces: faces });
      }, function (err) { fail(String(err && err.message || err)); });
      return;
    }
    case "paint":
      // When the page was first painted (paint.js); null until then.
      done(firstPaint);
      return;
    case "settle": {
      // Wait for running transitions and animations (a switch sliding, a modal fading
      // in) so a screenshot shows where the UI comes to rest; at most two seconds.
      var pending = document.getAnimations().filter(function (a) { return a.playState === "running"; });
      var settled = false;
      var finish = function () { if (!settled) { settled = true; done(undefined); } };
      setTimeout(finish, 2000);
      Promise.all(pending.map(function (a) { return a.finished.catch(function () {}); })).then(function () {
        requestAnimationFrame(function () { requestAnimationFrame(finish); });
      });
      return;
    }
  }
  if (automatorProbe(p, done)) return; // "auto." ops: automator.js
  if (devProbe(p, done)) return; // devtools.js
  throw new Error("unknown probe op " + JSON.stringify(p.op));
}

function handleProbe(p) {
  var answered = false;
  function answer(payload) {
    if (answered) return;
    answered = true;
    post("probeResult", payload);
  }
  var id = p && p.id;
  try {
    runProbe(p || {}, function (result) {
      var out = { id: id, ok: true };
      if (result !== undefined) out.result = result;
      answer(out);
    }, function (msg) { answer({ id: id, ok: false, error: msg }); });
  } catch (err) {
    answer({ id: id, ok: false, error: String(err && err.message || err) });
  }
}
