// probe.js — automation probes, with the render runtime's semantics (assets/runtime/
// probe.js): query, tap, input, press and settle on a CSS selector of this document.

function probeVisible(el) {
  if (!el.isConnected || !el.getClientRects().length) return false;
  return getComputedStyle(el).visibility !== "hidden";
}

function probeDescribe(el) {
  var attrs = {};
  Array.prototype.forEach.call(el.attributes, function (a) { attrs[a.name] = a.value; });
  var control = el.localName === "input" || el.localName === "textarea" || el.localName === "select";
  return {
    tag: el.localName, id: el.id || "", text: (el.textContent || "").trim(), attrs: attrs,
    value: control ? el.value : "",
    checked: el.localName === "input" && !!el.checked,
    visible: probeVisible(el),
    focused: document.activeElement === el
  };
}

function probeFirstVisible(selector) {
  var el = document.querySelector(selector);
  if (!el) throw new Error("no element matches " + selector);
  if (!probeVisible(el)) throw new Error("the element matching " + selector + " is not visible");
  return el;
}

function runProbe(p, done) {
  var selector = p.selector == null ? "" : String(p.selector);
  var value = p.value == null ? "" : String(p.value);
  switch (p.op) {
    case "query":
      done(Array.prototype.map.call(document.querySelectorAll(selector), probeDescribe));
      return;
    case "tap": {
      var el = probeFirstVisible(selector);
      var focusable = el.closest("input, textarea, select, button, a[href], [tabindex]");
      if (focusable) focusable.focus();
      el.click();
      done();
      return;
    }
    case "input": {
      var input = probeFirstVisible(selector);
      if (input.localName !== "input" && input.localName !== "textarea") throw new Error("the element matching " + selector + " is a <" + input.localName + ">, not an input or textarea");
      if (input.disabled) throw new Error("the input matching " + selector + " is disabled");
      input.focus();
      input.value = value;
      input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: value }));
      done();
      return;
    }
    case "press": {
      var target = probeFirstVisible(selector);
      if (!value) throw new Error("press needs a key name, such as Enter");
      target.focus();
      var init = { key: value, code: value.length === 1 ? "Key" + value.toUpperCase() : value, bubbles: true, cancelable: true, composed: true };
      target.dispatchEvent(new KeyboardEvent("keydown", init));
      target.dispatchEvent(new KeyboardEvent("keyup", init));
      done();
      return;
    }
    case "settle": {
      // Endless ones (a spinner, an indeterminate bar) never end: they are not waited for.
      var running = document.getAnimations().filter(function (a) {
        return a.playState === "running" && !(a.effect && a.effect.getTiming().iterations === Infinity);
      });
      var settled = false;
      var finish = function () { if (!settled) { settled = true; done(); } };
      setTimeout(finish, 2000);
      Promise.all(running.map(function (a) { return a.finished.catch(function () {}); })).then(function () {
        requestAnimationFrame(function () { requestAnimationFrame(finish); });
      });
      return;
    }
  }
  throw new Error("unknown probe op " + JSON.stringify(p.op));
}

function handleProbe(p) {
  var answered = false;
  function answer(payload) {
    if (answered) return;
    answered = true;
    postEnvelope("probeResult", payload);
  }
  try {
    runProbe(p, function (result) {
      var out = { id: p.id, ok: true };
      if (result !== undefined) out.result = result;
      answer(out);
    });
  } catch (err) {
    answer({ id: p.id, ok: false, error: String(err && err.message || err) });
  }
}
