// Sandframe logic: queries and motion (docs/queries.md). Logic has no DOM: a
// SelectorQuery, an IntersectionObserver, a MediaQueryObserver and this.animate are
// questions to the page (query messages, answered by queryResult). wx.createAnimation
// is pure: its export() is data the page turns into CSS transitions.
//
// A function expression run once per runtime before any app code; the framework calls
// it with what it needs: send (host.query), safeCall, note, global, idOf(instance),
// front() (the page in front), instance(id). It returns {wx, proto, result}.
(function (fw) {
  'use strict';

  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const ObjectKeys = Object.keys;
  const isArray = Array.isArray;
  const MapCtor = Map;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const NumberCtor = Number;
  const StringCtor = String;
  const isFiniteNum = Number.isFinite;
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const safeCall = fw.safeCall;

  // ---- questions and answers ------------------------------------------------------

  const pending = new MapCtor(); // query id → {fn(value, error), stream}

  // ask sends a question; onResult gets the page's answer (or each notification of a
  // subscription) as (value, error).
  function ask(op, owner, spec, onResult, stream) {
    if (owner === '') {
      // No page is open (App.onLaunch): nothing to ask; answered as WeChat does, empty.
      if (!stream) PromiseCtor.resolve().then(function () { onResult(null, 'no page is open'); });
      return 0;
    }
    const id = fw.send(op, owner, spec === undefined ? undefined : stringify(spec), 0);
    if (pending.size >= sweepAt) sweep();
    pending.set(id, { fn: onResult, stream: !!stream, owner: owner });
    return id;
  }

  // sweep forgets the questions of instances that ended (a list item's observer whose
  // component detached): the page and the gate dropped them already, and their
  // callbacks would keep the instance alive.
  let sweepAt = 64;
  function sweep() {
    pending.forEach(function (p, id) {
      if (fw.instance(p.owner) === undefined) pending.delete(id);
    });
    sweepAt = pending.size * 2 + 64;
  }

  function end(id, owner) {
    if (!pending.has(id)) return;
    pending.delete(id);
    fw.send('disconnect', owner, undefined, id);
  }

  function result(id, resultJSON, error) {
    const p = pending.get(id);
    if (p === undefined) return;
    if (!p.stream || error) pending.delete(id);
    let value = null;
    if (resultJSON !== '') {
      try { value = parse(resultJSON); } catch (e) { error = 'malformed result'; }
    }
    if (error) fw.note('warn', 'query answered with an error: ' + error);
    p.fn(value, error || '');
  }

  // ownerOf is the id of the page or component a query runs in: the instance's own,
  // or the page in front for wx.* forms.
  function ownerOf(inst) {
    const id = inst === undefined ? '' : fw.idOf(inst);
    return id !== '' ? id : fw.front();
  }

  function isObj(v) { return v !== null && typeof v === 'object'; }
  function num(v, d) { const n = NumberCtor(v); return isFiniteNum(n) ? n : d; }

  // ---- SelectorQuery --------------------------------------------------------------

  const fieldNames = ['id', 'dataset', 'rect', 'size', 'scrollOffset', 'context', 'node', 'mark'];

  function SelectorQuery(owner, inst) {
    this._scope = owner;
    this._inst = inst; // the instance the query was made in (canvas nodes name it)
    this._items = [];
  }
  SelectorQuery.prototype.in = function (component) {
    const id = fw.idOf(component);
    if (id !== '') {
      this._scope = id;
      this._inst = component;
    }
    return this;
  };
  SelectorQuery.prototype.select = function (selector) { return new NodesRef(this, selector, false, false); };
  SelectorQuery.prototype.selectAll = function (selector) { return new NodesRef(this, selector, true, false); };
  SelectorQuery.prototype.selectViewport = function () { return new NodesRef(this, '', false, true); };
  SelectorQuery.prototype.exec = function (callback) {
    const items = this._items;
    this._items = [];
    const self = this;
    const spec = { items: items.map(function (it) { return { selector: it.selector, all: it.all, viewport: it.viewport, fields: it.fields }; }) };
    const owner = this._scope;
    const inst = this._inst;
    ask('select', owner, spec, function (value, error) {
      const out = [];
      for (let i = 0; i < items.length; i++) {
        let r = isArray(value) && i < value.length ? value[i] : null;
        if (error) r = items[i].all ? [] : null;
        r = finishItem(items[i], r, owner, inst);
        out.push(r);
        safeCall(items[i].cb, self, [r]);
      }
      safeCall(callback, self, [out]);
    }, false);
    return this;
  };

  function NodesRef(query, selector, all, viewport) {
    this._q = query;
    this._sel = StringCtor(selector === undefined ? '' : selector);
    this._all = all;
    this._viewport = viewport;
  }
  NodesRef.prototype._add = function (fields, cb) {
    this._q._items.push({ selector: this._sel, all: this._all, viewport: this._viewport, fields: fields, cb: cb });
    return this._q;
  };
  NodesRef.prototype.boundingClientRect = function (cb) {
    return this._add({ id: true, dataset: true, rect: true, size: true }, cb);
  };
  NodesRef.prototype.scrollOffset = function (cb) {
    return this._add({ id: true, dataset: true, scrollOffset: true }, cb);
  };
  NodesRef.prototype.context = function (cb) { return this._add({ context: true }, cb); };
  NodesRef.prototype.node = function (cb) { return this._add({ node: true }, cb); };
  NodesRef.prototype.fields = function (fields, cb) {
    const f = {};
    if (isObj(fields)) {
      for (let i = 0; i < fieldNames.length; i++) if (fields[fieldNames[i]]) f[fieldNames[i]] = true;
      if (isArray(fields.properties)) f.properties = fields.properties.map(StringCtor).slice(0, 64);
      if (isArray(fields.computedStyle)) f.computedStyle = fields.computedStyle.map(StringCtor).slice(0, 64);
    }
    return this._add(f, cb);
  };

  // finishItem turns the page's node descriptions (context, node) into objects.
  function finishItem(item, r, owner, inst) {
    if (!item.fields.node && !item.fields.context) return r;
    const fix = function (e) {
      if (!isObj(e)) return e;
      if (item.fields.node) e.node = nodeObject(e.node, owner, inst);
      if (item.fields.context) e.context = contextObject(e.context, owner);
      return e;
    };
    return isArray(r) ? r.map(fix) : fix(r);
  }

  // nodeObject: a <canvas type="2d"> is the canvas helper's (global __sfCanvasNode
  // hook); a scroll-view is a ScrollViewContext; anything else has no node (null).
  function nodeObject(info, owner, inst) {
    if (!isObj(info)) return null;
    if (info.tag === 'canvas') {
      const hook = fw.global.__sfCanvasNode;
      if (typeof hook !== 'function') return null;
      const o = inst !== undefined ? inst : fw.instance(owner);
      return safeCall(hook, undefined, [o, {
        id: info.id || '', canvasId: info.canvasId || '', nodeId: info.nodeId || '',
        width: num(info.width, 0), height: num(info.height, 0), type: info.type || '',
      }]) || null;
    }
    if (info.tag === 'scroll-view') return scrollContext(info, owner);
    return null;
  }

  function contextObject(info, owner) {
    if (!isObj(info)) return null;
    if (info.tag === 'scroll-view') return scrollContext(info, owner);
    return {};
  }

  // ScrollViewContext (node() of a scroll-view): scrollTo, scrollIntoView.
  function scrollContext(info, owner) {
    const nodeId = info.nodeId;
    const scroll = function (spec, done) {
      spec.nodeId = nodeId;
      ask('scroll', owner, spec, function () { safeCall(done, undefined, []); }, false);
    };
    return {
      scrollEnabled: true, bounces: true, showScrollbar: true, pagingEnabled: false,
      fastDeceleration: false, decelerationDisabled: false,
      scrollTo: function (o) {
        o = isObj(o) ? o : {};
        const spec = { animated: o.animated !== false, duration: num(o.duration, 300) };
        if (o.top !== undefined) spec.top = num(o.top, 0);
        if (o.left !== undefined) spec.left = num(o.left, 0);
        scroll(spec, isObj(o) ? o.success : undefined);
      },
      scrollIntoView: function (selector, o) {
        o = isObj(o) ? o : {};
        scroll({ into: StringCtor(selector), animated: o.animated !== false }, undefined);
      },
    };
  }

  function createSelectorQuery() {
    // wx.createSelectorQuery(): the page in front; this.createSelectorQuery(): this.
    const inst = this !== undefined && this !== null && fw.idOf(this) !== '' ? this : undefined;
    return new SelectorQuery(ownerOf(inst), inst);
  }

  // ---- IntersectionObserver -------------------------------------------------------

  function margins(m) {
    m = isObj(m) ? m : {};
    return { left: num(m.left, 0), right: num(m.right, 0), top: num(m.top, 0), bottom: num(m.bottom, 0) };
  }

  function IntersectionObserver(owner, options) {
    const o = isObj(options) ? options : {};
    let thresholds = isArray(o.thresholds) ? o.thresholds.map(function (t) { return num(t, 0); }) : [0];
    thresholds = thresholds.filter(function (t) { return t >= 0 && t <= 1; }).slice(0, 100);
    if (thresholds.length === 0) thresholds = [0];
    this._owner = owner;
    this._opts = { thresholds: thresholds, initialRatio: num(o.initialRatio, 0), observeAll: !!o.observeAll };
    this._relative = null;
    this._ids = [];
  }
  IntersectionObserver.prototype.relativeTo = function (selector, m) {
    this._relative = { selector: StringCtor(selector), margins: margins(m) };
    return this;
  };
  IntersectionObserver.prototype.relativeToViewport = function (m) {
    this._relative = { viewport: true, margins: margins(m) };
    return this;
  };
  IntersectionObserver.prototype.observe = function (selector, callback) {
    const spec = {
      selector: StringCtor(selector), all: this._opts.observeAll, thresholds: this._opts.thresholds,
      initialRatio: this._opts.initialRatio, relative: this._relative || { viewport: true, margins: margins() },
    };
    const self = this;
    const id = ask('observe', this._owner, spec, function (value, error) {
      if (error || !isArray(value)) return;
      for (let i = 0; i < value.length; i++) safeCall(callback, self, [value[i]]);
    }, true);
    this._ids.push(id);
  };
  IntersectionObserver.prototype.disconnect = function () {
    const ids = this._ids;
    this._ids = [];
    for (let i = 0; i < ids.length; i++) end(ids[i], this._owner);
  };

  function createIntersectionObserver(component, options) {
    // this.createIntersectionObserver(options) or wx.createIntersectionObserver(this, options).
    if (this !== undefined && this !== null && fw.idOf(this) !== '') return new IntersectionObserver(fw.idOf(this), component);
    // wx.createIntersectionObserver(options) without a component: the page in front.
    if (options === undefined && isObj(component) && fw.idOf(component) === '') return new IntersectionObserver(fw.front(), component);
    return new IntersectionObserver(ownerOf(component), options);
  }

  // ---- MediaQueryObserver ---------------------------------------------------------

  const mediaKeys = ['minWidth', 'maxWidth', 'width', 'minHeight', 'maxHeight', 'height'];

  function MediaQueryObserver(owner) {
    this._owner = owner;
    this._ids = [];
  }
  MediaQueryObserver.prototype.observe = function (descriptor, callback) {
    const d = isObj(descriptor) ? descriptor : {};
    const spec = {};
    for (let i = 0; i < mediaKeys.length; i++) {
      const k = mediaKeys[i];
      if (d[k] !== undefined && isFiniteNum(NumberCtor(d[k]))) spec[k] = NumberCtor(d[k]);
    }
    if (d.orientation === 'landscape' || d.orientation === 'portrait') spec.orientation = d.orientation;
    const self = this;
    this._ids.push(ask('media', this._owner, spec, function (value, error) {
      if (error || !isObj(value)) return;
      safeCall(callback, self, [{ matches: !!value.matches }]);
    }, true));
  };
  MediaQueryObserver.prototype.disconnect = function () {
    const ids = this._ids;
    this._ids = [];
    for (let i = 0; i < ids.length; i++) end(ids[i], this._owner);
  };

  function createMediaQueryObserver() {
    const inst = this !== undefined && this !== null && fw.idOf(this) !== '' ? this : undefined;
    return new MediaQueryObserver(ownerOf(inst));
  }

  // ---- wx.createAnimation ---------------------------------------------------------

  const transforms = ['matrix', 'matrix3d', 'rotate', 'rotate3d', 'rotateX', 'rotateY', 'rotateZ',
    'scale', 'scale3d', 'scaleX', 'scaleY', 'scaleZ', 'skew', 'skewX', 'skewY',
    'translate', 'translate3d', 'translateX', 'translateY', 'translateZ'];
  const styles = { opacity: 'opacity', backgroundColor: 'background-color', width: 'width', height: 'height',
    top: 'top', left: 'left', bottom: 'bottom', right: 'right' };

  function optionOf(base, o) {
    o = isObj(o) ? o : {};
    return {
      duration: num(o.duration, base.duration), timingFunction: StringCtor(o.timingFunction || base.timingFunction),
      delay: num(o.delay, base.delay), transformOrigin: StringCtor(o.transformOrigin || base.transformOrigin),
    };
  }

  function Animation(options) {
    this._base = optionOf({ duration: 400, timingFunction: 'linear', delay: 0, transformOrigin: '50% 50% 0' }, options);
    this._current = [];
    this._steps = [];
  }
  transforms.forEach(function (name) {
    Animation.prototype[name] = function () {
      const args = [];
      for (let i = 0; i < arguments.length; i++) args.push(arguments[i]);
      this._current.push({ type: name, args: args });
      return this;
    };
  });
  ObjectKeys(styles).forEach(function (name) {
    Animation.prototype[name] = function (value) {
      this._current.push({ type: 'style', args: [styles[name], value] });
      return this;
    };
  });
  Animation.prototype.step = function (options) {
    const o = optionOf(this._base, options);
    this._steps.push({
      animates: this._current,
      option: { transformOrigin: o.transformOrigin, transition: { duration: o.duration, timingFunction: o.timingFunction, delay: o.delay } },
    });
    this._current = [];
    return this;
  };
  Animation.prototype.export = function () {
    const out = { actions: this._steps };
    this._steps = [];
    return out;
  };

  function createAnimation(options) { return new Animation(options); }

  // ---- this.animate / this.clearAnimation -----------------------------------------

  function animate(selector, keyframes, duration, callback) {
    const owner = fw.idOf(this);
    if (owner === '') throw new ErrorCtor('animate: called on an instance that has ended');
    if (!isArray(keyframes)) throw new ErrorCtor('animate: keyframes must be an array');
    const self = this;
    ask('animate', owner, { selector: StringCtor(selector), keyframes: keyframes.slice(0, 100), duration: num(duration, 0) },
      function () { safeCall(callback, self, []); }, false);
  }

  function clearAnimation(selector, options, callback) {
    const owner = fw.idOf(this);
    if (owner === '') return;
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    const self = this;
    const spec = { selector: StringCtor(selector) };
    if (isObj(options)) {
      spec.props = ObjectKeys(options).filter(function (k) { return options[k] === true; }).slice(0, 64);
    }
    ask('clear', owner, spec, function () { safeCall(callback, self, []); }, false);
  }

  return {
    wx: {
      createSelectorQuery: function () { return createSelectorQuery.call(undefined); },
      createIntersectionObserver: function (component, options) { return createIntersectionObserver.call(undefined, component, options); },
      createMediaQueryObserver: function () { return createMediaQueryObserver.call(undefined); },
      createAnimation: createAnimation,
    },
    proto: {
      createSelectorQuery: createSelectorQuery,
      createIntersectionObserver: createIntersectionObserver,
      createMediaQueryObserver: createMediaQueryObserver,
      animate: animate,
      clearAnimation: clearAnimation,
    },
    result: result,
    pending: function () { return pending.size; },
  };
})
