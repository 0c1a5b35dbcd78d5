// Sandframe logic framework: App/Page/Component, setData, observers, modules, wx.
// It is evaluated once per runtime as a function expression and called with `host` (the
// Go natives). Everything here stays in this closure: mini-app code only sees the globals
// installed at the end, never `host` nor the object returned to Go.
(function (host, global) {
  'use strict';

  // Captured before any mini-app code runs, so that a mini-app replacing built-ins cannot
  // change how the framework behaves.
  const ObjectKeys = Object.keys;
  const ObjectCreate = Object.create;
  const ObjectFreeze = Object.freeze;
  const getOwnNames = Object.getOwnPropertyNames;
  const defineProp = Object.defineProperty;
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const isArray = Array.isArray;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const PromiseCtor = Promise;
  const MapCtor = Map;
  const WeakMapCtor = WeakMap;
  const StringCtor = String;
  const NumberCtor = Number;
  const BooleanCtor = Boolean;
  const ObjectCtor = Object;
  const ArrayCtor = Array;
  const isFiniteNum = Number.isFinite;
  const dateNow = Date.now;
  const startTime = dateNow();

  // A key without '.', '[' or ']' is a path of one segment: no parse needed (hot path).
  function isSimpleKey(key) {
    return key !== '' && key.indexOf('.') < 0 && key.indexOf('[') < 0 && key.indexOf(']') < 0;
  }
  const maxSetData = host.maxSetData;
  const maxIndexGap = host.maxIndexGap;

  // ---- errors ---------------------------------------------------------------------

  // Stack lines of the framework itself say nothing useful to a mini-app developer.
  function isFrameworkFrame(line) {
    return line.indexOf('sandframe:') >= 0 || line === '\tat apply (native)' || line === '\tat call (native)';
  }

  function errText(e) {
    if (e !== null && typeof e === 'object') {
      const stack = e.stack;
      if (typeof stack === 'string' && stack !== '') {
        return stack.split('\n').filter(function (l) { return !isFrameworkFrame(l); }).join('\n');
      }
      if (typeof e.message === 'string') return (e.name || 'Error') + ': ' + e.message;
      try { return stringify(e); } catch (_) { return '[object]'; }
    }
    return StringCtor(e);
  }

  // App-wide listeners of wx.onAppShow, wx.onError ... (wx.on…/off…, set up with wx).
  const appListeners = { appShow: [], appHide: [], error: [], unhandledRejection: [], pageNotFound: [], themeChange: [] };

  // report is the single sink of uncaught errors: logged, then App.onError(message),
  // then the wx.onError listeners. A throwing error handler is only logged (no loop).
  function report(e) {
    const msg = errText(e);
    host.note('error', 'uncaught error: ' + msg);
    const hs = appListeners.error.slice();
    if (app !== null && typeof app.onError === 'function') hs.unshift(app.onError);
    for (let i = 0; i < hs.length; i++) {
      try {
        hs[i].call(i === 0 && hs[i] === app.onError ? app : undefined, msg);
      } catch (e2) {
        host.note('error', 'an onError handler threw: ' + errText(e2));
      }
    }
  }

  function rejection(reason, promise) {
    host.note('warn', 'unhandled promise rejection: ' + errText(reason));
    if (app !== null && typeof app.onUnhandledRejection === 'function') {
      try {
        app.onUnhandledRejection({ reason: reason, promise: promise });
      } catch (e2) {
        report(e2);
      }
    }
    emitApp('unhandledRejection', [{ reason: reason, promise: promise }]);
  }

  // emitApp calls the wx.on… listeners of kind, in the order they were added; one that
  // throws is reported and the others still run.
  function emitApp(kind, args) {
    const list = appListeners[kind].slice();
    for (let i = 0; i < list.length; i++) safeCall(list[i], undefined, args);
  }

  // safeCall runs a mini-app function; a throw is reported and never escapes, so one
  // failing hook does not skip the next one.
  function safeCall(fn, self, args) {
    if (typeof fn !== 'function') return undefined;
    try {
      return fn.apply(self, args);
    } catch (e) {
      report(e);
      return undefined;
    }
  }

  // ---- values ---------------------------------------------------------------------

  // deepCopy copies arrays and plain objects (cycles kept); other objects (Date, ...)
  // are shared, as WeChat's simple deep copy does for per-instance data.
  function deepCopy(v, seen) {
    if (v === null || typeof v !== 'object') return v;
    const proto = Object.getPrototypeOf(v);
    const arr = isArray(v);
    if (!arr && proto !== ObjectCtor.prototype && proto !== null) return v;
    // A Map, not a WeakMap: goja's WeakMap registers a Go cleanup on every key, and the
    // keys here are the long-lived definition data, so each copy would leave one behind
    // on it for good (a leak, and ever slower allocation).
    if (seen === undefined) seen = new MapCtor();
    const hit = seen.get(v);
    if (hit !== undefined) return hit;
    const out = arr ? [] : {};
    seen.set(v, out);
    if (arr) {
      for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i], seen);
    } else {
      const ks = ObjectKeys(v);
      for (let i = 0; i < ks.length; i++) out[ks[i]] = deepCopy(v[ks[i]], seen);
    }
    return out;
  }

  // parsePath turns a setData key into segments: strings for keys, numbers for array
  // indexes ("list[2].a" → ["list", 2, "a"]).
  // The grammar lives in Go (logic.ParsePath) so host and runtime agree on it.
  function parsePath(key) {
    if (isSimpleKey(key)) return [key];
    return host.parsePath(key);
  }

  function setAtPath(root, segs, isIndex, value) {
    let cur = root;
    for (let i = 0; i < segs.length - 1; i++) {
      const k = segs[i];
      let next = cur[k];
      if (next === null || (typeof next !== 'object' && typeof next !== 'function')) {
        next = isIndex[i + 1] ? [] : {};
        cur[k] = next;
      }
      cur = next;
    }
    cur[segs[segs.length - 1]] = value;
  }

  // checkIndexGaps refuses a path whose index lies more than maxIndexGap past the end of
  // its array: the page pads the gap with null, so "list[1048575]" would be a million
  // entries from a 20-byte key. grown (made on first need, and returned) remembers the
  // length earlier paths of the same call give an array, so appending item by item in
  // one call is never refused. An index inside the array costs one comparison.
  function checkIndexGaps(data, key, segs, grown) {
    let cur = data;
    for (let i = 0; i < segs.length; i++) {
      const k = segs[i];
      const arr = isArray(cur);
      if (typeof k === 'number' && (arr || cur === null || typeof cur !== 'object') && !(arr && k < cur.length)) {
        // An array that does not exist yet is known by its path.
        const at = arr ? cur : '\u0000' + segs.slice(0, i).join('\u0000');
        if (grown === null) grown = new MapCtor();
        const len = grown.has(at) ? grown.get(at) : (arr ? cur.length : 0);
        if (k > len + maxIndexGap) {
          throw new ErrorCtor('setData: "' + key + '": index ' + k + ' is more than ' + maxIndexGap +
            ' past the end of the array (length ' + len + '); fill the array in order or set it whole');
        }
        if (k >= len) grown.set(at, k + 1);
      }
      cur = cur !== null && typeof cur === 'object' ? cur[k] : undefined;
    }
    return grown;
  }

  function getAtPath(root, segs) {
    let cur = root;
    for (let i = 0; i < segs.length; i++) {
      if (cur === null || (typeof cur !== 'object' && typeof cur !== 'function')) return undefined;
      cur = cur[segs[i]];
    }
    return cur;
  }

  // ---- properties -----------------------------------------------------------------

  const typeNames = new MapCtor([
    [StringCtor, 'String'], [NumberCtor, 'Number'], [BooleanCtor, 'Boolean'],
    [ObjectCtor, 'Object'], [ArrayCtor, 'Array'], [null, null],
  ]);
  const typeDefaults = { String: '', Number: 0, Boolean: false, Object: null, Array: null };

  function typeName(t, where) {
    if (t === undefined) return null;
    if (!typeNames.has(t)) {
      // WeChat accepts other types (weui's components use Function) as "any": so do we.
      host.note('warn', where + ': type ' + (typeof t === 'function' && t.name ? t.name : StringCtor(t)) +
        ' is not String, Number, Boolean, Object, Array or null: the property takes any value');
      return null;
    }
    return typeNames.get(t);
  }

  function normalizeProperties(props, where) {
    const out = {};
    if (props === undefined || props === null) return out;
    const ks = ObjectKeys(props);
    for (let i = 0; i < ks.length; i++) {
      const name = ks[i];
      const spec = props[name];
      const at = where + ' property "' + name + '"';
      let p;
      if (spec === null || typeof spec === 'function') {
        p = { type: typeName(spec, at), optionalTypes: [], value: undefined, observer: null };
      } else if (typeof spec === 'object') {
        const opt = isArray(spec.optionalTypes) ? spec.optionalTypes.map(t => typeName(t, at)) : [];
        p = { type: typeName(spec.type, at), optionalTypes: opt, value: spec.value, observer: spec.observer || null };
      } else {
        throw new TypeErrorCtor(at + ': expected a type or {type, value, optionalTypes, observer}');
      }
      if (p.value === undefined) p.value = p.type === 'Array' ? [] : (p.type === null ? null : typeDefaults[p.type]);
      out[name] = p;
    }
    return out;
  }

  function matchesType(t, v) {
    switch (t) {
      case null: return true;
      case 'String': return typeof v === 'string';
      case 'Number': return typeof v === 'number';
      case 'Boolean': return typeof v === 'boolean';
      case 'Array': return isArray(v);
      case 'Object': return typeof v === 'object';
    }
    return false;
  }

  // coerce converts a property value as WeChat does: an exact (or optional) type match
  // is kept; otherwise String/Number/Boolean convert, and Object/Array fall back to the
  // default.
  function coerce(p, v) {
    if (matchesType(p.type, v)) return v;
    for (let i = 0; i < p.optionalTypes.length; i++) if (matchesType(p.optionalTypes[i], v)) return v;
    switch (p.type) {
      case 'String':
        return v === null || v === undefined || typeof v === 'object' ? deepCopy(p.value) : StringCtor(v);
      case 'Number': {
        const n = NumberCtor(v);
        return v !== null && v !== undefined && v !== '' && isFiniteNum(n) ? n : deepCopy(p.value);
      }
      case 'Boolean':
        return !!v;
    }
    return deepCopy(p.value);
  }

  // ---- observers ------------------------------------------------------------------

  function parseObserverKey(key, where) {
    const parts = key.split(',');
    const out = [];
    for (let i = 0; i < parts.length; i++) {
      let s = parts[i].trim();
      let wild = false;
      if (s === '**') {
        out.push({ segs: [], wild: true });
        continue;
      }
      if (s.endsWith('.**')) {
        wild = true;
        s = s.slice(0, -3);
      }
      let segs;
      try {
        segs = parsePath(s);
      } catch (e) {
        throw new ErrorCtor(where + ' observer "' + key + '": ' + e.message);
      }
      out.push({ segs: segs.map(StringCtor), wild: wild });
    }
    return out;
  }

  function isPrefix(a, b) {
    if (a.length > b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // observerHit: a change at `changed` triggers an observer of `obs` if it replaced the
  // observed value or one of its parents; a ".**" observer also fires for changes inside.
  function observerHit(obs, changed) {
    return isPrefix(changed, obs.segs) || (obs.wild && isPrefix(obs.segs, changed));
  }

  function runObservers(rec, changedPaths) {
    const list = rec.def.observers;
    if (list.length === 0 || changedPaths.length === 0) return;
    for (let i = 0; i < list.length; i++) {
      const o = list[i];
      let hit = false;
      for (let j = 0; j < o.paths.length && !hit; j++) {
        for (let k = 0; k < changedPaths.length && !hit; k++) hit = observerHit(o.paths[j], changedPaths[k]);
      }
      if (!hit) continue;
      const args = o.paths.map(p => (p.segs.length === 0 ? rec.inst.data : getAtPath(rec.inst.data, p.segs)));
      safeCall(o.fn, rec.inst, args);
    }
  }

  function runPropertyObservers(rec, changes) {
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i];
      let fn = c.prop.observer;
      if (typeof fn === 'string') fn = rec.inst[fn];
      if (typeof fn === 'function') safeCall(fn, rec.inst, [c.value, c.old, [c.name]]);
    }
  }

  // ---- setData --------------------------------------------------------------------

  // applyData validates every key, measures the JSON that would travel, and only then
  // changes data: a refused call leaves this.data as it was.
  function applyData(rec, obj, send) {
    if (obj === null || typeof obj !== 'object' || isArray(obj)) {
      throw new TypeErrorCtor('setData: the first argument must be an object of {path: value}');
    }
    const props = rec.def.properties;
    const observed = rec.def.kind === 'comp';
    const keys = ObjectKeys(obj);
    const plan = [];
    let grown = null; // array prefix → length after this call's earlier paths
    let size = 2;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      let segs = null; // null: a one-segment path (the common case, no parse)
      if (!isSimpleKey(key)) {
        try {
          segs = host.parsePath(key);
        } catch (e) {
          throw new ErrorCtor('setData: ' + e.message);
        }
        grown = checkIndexGaps(rec.inst.data, key, segs, grown);
      }
      let value = obj[key];
      let prop;
      if (segs === null && props !== undefined && hasOwn(props, key)) {
        prop = props[key];
        value = coerce(prop, value);
      }
      if (value === undefined) {
        host.note('warn', 'setData: "' + key + '" set to undefined is ignored; use null to clear a field');
        continue;
      }
      let json = '';
      if (send) {
        json = stringify(value);
        if (json === undefined) {
          host.note('warn', 'setData: "' + key + '" has no JSON value (a function or symbol) and is ignored');
          continue;
        }
        // The bytes this entry adds to the diff object, as Go will encode it.
        size += (plan.length > 0 ? 1 : 0) + host.entryLen(key, json);
      }
      plan.push({ key: key, segs: segs, value: value, json: json, prop: prop });
    }
    if (send && size > maxSetData) {
      throw new ErrorCtor('setData: ' + size + ' bytes of JSON in one call is over the limit of ' +
        maxSetData + ' bytes; send smaller updates (only the paths that changed)');
    }
    const data = rec.inst.data;
    const changed = observed ? [] : null;
    const propChanges = observed ? [] : null;
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      const segs = p.segs;
      if (segs === null) {
        if (p.prop !== undefined && data[p.key] !== p.value) {
          propChanges.push({ name: p.key, prop: p.prop, value: p.value, old: data[p.key] });
        }
        data[p.key] = p.value;
        if (observed) changed.push([p.key]);
      } else {
        const strSegs = new ArrayCtor(segs.length);
        const isIndex = new ArrayCtor(segs.length);
        for (let j = 0; j < segs.length; j++) {
          isIndex[j] = typeof segs[j] === 'number';
          strSegs[j] = StringCtor(segs[j]);
        }
        setAtPath(data, strSegs, isIndex, p.value);
        if (observed) changed.push(strSegs);
      }
      if (send) host.diff(rec.id, p.key, p.json);
    }
    if (observed) {
      runObservers(rec, changed);
      runPropertyObservers(rec, propChanges);
    }
  }

  function setData(obj, callback) {
    const rec = recOf.get(this);
    if (rec === undefined) throw new TypeErrorCtor('setData must be called on a page or component instance');
    if (!rec.alive) {
      host.note('warn', 'setData on ' + rec.id + ' after it was unloaded is ignored');
      return;
    }
    applyData(rec, obj, true);
    if (typeof callback === 'function') host.afterPush(callback);
  }

  // ---- definitions ----------------------------------------------------------------

  const pageDefs = new MapCtor(); // route → def
  const compDefs = new MapCtor(); // path → def
  const behaviors = new MapCtor(); // behavior id (the string Behavior() returns) → behavior
  const instances = new MapCtor(); // instance id → rec
  const recOf = new WeakMapCtor(); // instance object → rec
  const modules = new MapCtor(); // file → module
  let app = null;
  let appLoaded = false; // app.js ran (not so in an independent subpackage's launch)
  let loading = null; // {route, kind, file} while an entry file runs
  let nextBehavior = 1;
  let currentFile = null; // the module running its top level (Behavior() names it)

  const lifetimeNames = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];
  const pageLifetimeNames = ['show', 'hide', 'resize', 'routeDone'];
  const relationTypes = { parent: 'child', child: 'parent', ancestor: 'descendant', descendant: 'ancestor' };

  // WeChat's built-in behaviors, named by a string in `behaviors`. form-field gives the
  // component the name and value a <form> collects; component-export makes
  // selectComponent answer what the component's export() returns.
  const builtinBehaviors = {
    'wx://form-field': { properties: { name: { type: StringCtor }, value: { type: null } } },
    // A <form> collects the controls and form fields of this component's own template
    // as if they were its own (the render side follows formFieldGroup).
    'wx://form-field-group': {},
    // A button with form-type inside any component already submits the <form> around
    // it (the render side looks for the nearest form): nothing to add.
    'wx://form-field-button': {},
    'wx://component-export': {},
  };

  function emptyHooks(names) {
    const out = {};
    for (let i = 0; i < names.length; i++) out[names[i]] = [];
    return out;
  }

  function runHooks(list, self, args) {
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) safeCall(list[i], self, args);
  }

  function isPlainObject(v) {
    if (v === null || typeof v !== 'object' || isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    return proto === ObjectCtor.prototype || proto === null;
  }

  // mergeData puts src's fields into dst: two plain objects of the same name merge,
  // anything else replaces (WeChat's rule for data of behaviors and components).
  function mergeData(dst, src) {
    const ks = ObjectKeys(src);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (isPlainObject(dst[k]) && isPlainObject(src[k])) mergeData(dst[k], src[k]);
      else dst[k] = deepCopy(src[k]);
    }
    return dst;
  }

  // resolveRelative resolves a relation key ('./item', '../list/list', '/c/x') against
  // the folder of the declaring file, as WeChat resolves component paths.
  function resolveRelative(fromPath, p) {
    const parts = p.charAt(0) === '/' ? [] : dirname(fromPath).split('/').filter(s => s !== '');
    const segs = p.split('/');
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if (s === '' || s === '.') continue;
      if (s === '..') parts.pop();
      else parts.push(s);
    }
    return parts.join('/');
  }

  // lifetimesOf reads one definition's lifetimes: `lifetimes` wins over the legacy
  // top-level fields, name by name.
  function lifetimesOf(def) {
    const out = {};
    for (let i = 0; i < lifetimeNames.length; i++) {
      const n = lifetimeNames[i];
      const fromLifetimes = def.lifetimes && def.lifetimes[n];
      const fn = typeof fromLifetimes === 'function' ? fromLifetimes : (typeof def[n] === 'function' ? def[n] : null);
      if (fn !== null) out[n] = fn;
    }
    return out;
  }

  // applyFilters runs the definitionFilter of every behavior the definition names
  // directly, with that behavior's own filters as definitionFilterArr, before the
  // definition is read: a filter may change any field of it.
  function applyFilters(def, where) {
    const list = isArray(def.behaviors) ? def.behaviors : [];
    for (let i = 0; i < list.length; i++) {
      const b = typeof list[i] === 'string' ? behaviors.get(list[i]) : undefined;
      if (b === undefined || b.filter === null) continue;
      try {
        b.filter.call(undefined, def, b.filterArr);
      } catch (e) {
        throw new ErrorCtor(where + ': definitionFilter of a behavior threw: ' + errText(e));
      }
    }
  }

  // ownPart reads the fields of one definition (a behavior's or a component's own)
  // into the form flatten merges.
  function ownPart(def, path, where) {
    const observers = [];
    if (def.observers) {
      const ks = ObjectKeys(def.observers);
      for (let i = 0; i < ks.length; i++) {
        const fn = def.observers[ks[i]];
        if (typeof fn !== 'function') throw new TypeErrorCtor(where + ': observer "' + ks[i] + '" must be a function');
        observers.push({ paths: parseObserverKey(ks[i], where), fn: fn });
      }
    }
    const relations = {};
    if (def.relations !== null && typeof def.relations === 'object') {
      const ks = ObjectKeys(def.relations);
      for (let i = 0; i < ks.length; i++) {
        const r = def.relations[ks[i]];
        if (r === null || typeof r !== 'object' || !hasOwn(relationTypes, r.type)) {
          // WeChat ignores such an entry (a UI kit ships linked() straight inside
          // relations): a warning, and the rest of the component stands.
          host.note('warn', where + ': relation "' + ks[i] + '" needs a type of parent, child, ancestor or descendant; ignored');
          continue;
        }
        relations[ks[i]] = {
          key: ks[i], type: r.type, target: typeof r.target === 'string' ? r.target : null,
          path: typeof r.target === 'string' ? null : resolveRelative(path, ks[i]),
          linked: r.linked, linkChanged: r.linkChanged, unlinked: r.unlinked,
        };
      }
    }
    const pageLifetimes = {};
    if (def.pageLifetimes) {
      for (let i = 0; i < pageLifetimeNames.length; i++) {
        const fn = def.pageLifetimes[pageLifetimeNames[i]];
        if (typeof fn === 'function') pageLifetimes[pageLifetimeNames[i]] = fn;
      }
    }
    return {
      properties: normalizeProperties(def.properties, where),
      data: isPlainObject(def.data) ? def.data : {},
      methods: def.methods !== null && typeof def.methods === 'object' ? def.methods : {},
      lifetimes: lifetimesOf(def),
      pageLifetimes: pageLifetimes,
      observers: observers,
      relations: relations,
      exportFn: typeof def['export'] === 'function' ? def['export'] : null,
    };
  }

  // flatten lists the behaviors a definition uses, each once, in the order WeChat
  // applies them: a behavior's own behaviors before it, earlier before later.
  function flatten(list, where, out, seen) {
    if (list === undefined || list === null) return out;
    if (!isArray(list)) throw new TypeErrorCtor(where + ': behaviors must be an array');
    for (let i = 0; i < list.length; i++) {
      const id = list[i];
      if (typeof id === 'string' && hasOwn(builtinBehaviors, id)) {
        if (!seen.has(id)) {
          seen.set(id, true);
          const bi = builtinBehaviors[id];
          if (bi.unsupported) host.note('warn', where + ': behavior ' + id + ' is accepted but not supported yet: ' + bi.unsupported);
          out.push({ id: id, part: ownPart(bi, '', where), builtin: true });
        }
        continue;
      }
      const b = typeof id === 'string' ? behaviors.get(id) : undefined;
      if (b === undefined) {
        host.note('warn', where + ': behaviors[' + i + '] ' + (typeof id === 'string' ? '"' + id + '" ' : '') +
          'is not a behavior made by Behavior() or a supported built-in one; it is ignored');
        continue;
      }
      if (seen.has(id)) continue;
      seen.set(id, true);
      for (let j = 0; j < b.uses.length; j++) {
        if (!seen.has(b.uses[j].id)) {
          seen.set(b.uses[j].id, true);
          out.push(b.uses[j]);
        }
      }
      out.push({ id: id, part: b.part, builtin: false });
    }
    return out;
  }

  // buildDef merges behaviors and the definition's own part. Properties, methods and
  // relations: later wins, the definition itself last. Data: the same, objects merged.
  // Lifetimes, page lifetimes and observers all run, behaviors' first, each once.
  function buildDef(def, path, where) {
    applyFilters(def, where);
    const uses = flatten(def.behaviors, where, [], new MapCtor());
    const own = ownPart(def, path, where);
    own.options = def.options;
    const d = {
      kind: 'comp', path: path, properties: {}, data: {}, methods: {},
      lifetimes: emptyHooks(lifetimeNames), pageLifetimes: emptyHooks(pageLifetimeNames),
      observers: [], relations: {}, exportFn: null, behaviorIds: new MapCtor(),
      options: def.options || {},
      externalClasses: isArray(def.externalClasses) ? def.externalClasses.filter(c => typeof c === 'string') : [],
    };
    const parts = uses.map(u => u.part);
    parts.push(own);
    for (let i = 0; i < uses.length; i++) d.behaviorIds.set(uses[i].id, true);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      ObjectKeys(p.properties).forEach(function (k) { d.properties[k] = p.properties[k]; });
      mergeData(d.data, p.data);
      ObjectKeys(p.methods).forEach(function (k) { d.methods[k] = p.methods[k]; });
      ObjectKeys(p.lifetimes).forEach(function (k) { d.lifetimes[k].push(p.lifetimes[k]); });
      ObjectKeys(p.pageLifetimes).forEach(function (k) { d.pageLifetimes[k].push(p.pageLifetimes[k]); });
      for (let j = 0; j < p.observers.length; j++) d.observers.push(p.observers[j]);
      ObjectKeys(p.relations).forEach(function (k) { d.relations[k] = p.relations[k]; });
      if (p.exportFn !== null) d.exportFn = p.exportFn;
    }
    d.formField = d.behaviorIds.has('wx://form-field');
    d.formFieldGroup = d.behaviorIds.has('wx://form-field-group');
    d.exports = d.behaviorIds.has('wx://component-export');
    return { def: d, uses: uses, own: own };
  }

  function Behavior(def) {
    if (def === null || typeof def !== 'object') throw new TypeErrorCtor('Behavior(): the argument must be an object');
    const file = currentFile !== null ? currentFile : 'a module';
    const path = file.replace(/\.(js|ts)$/, '');
    const built = buildDef(def, path, file + ' Behavior()');
    const filters = [];
    const list = isArray(def.behaviors) ? def.behaviors : [];
    for (let i = 0; i < list.length; i++) {
      const b = typeof list[i] === 'string' ? behaviors.get(list[i]) : undefined;
      if (b !== undefined && b.filter !== null) {
        const inner = b;
        filters.push(function (defFields) { return inner.filter.call(undefined, defFields, inner.filterArr); });
      }
    }
    // The id is a string, as in WeChat (apps compare and store them).
    const id = 'behavior:' + (nextBehavior++) + ':' + path;
    behaviors.set(id, {
      id: id,
      part: built.own,
      uses: built.uses,
      filter: typeof def.definitionFilter === 'function' ? def.definitionFilter : null,
      filterArr: filters,
    });
    return id;
  }

  function Page(def) {
    if (loading === null || (loading.kind !== 'page')) {
      throw new ErrorCtor('Page() must be called while a page file loads' +
        (loading ? ' (' + loading.file + ' is a ' + loading.kind + ')' : ''));
    }
    if (def === null || typeof def !== 'object') throw new TypeErrorCtor('Page(): the argument must be an object');
    // Pages may use behaviors too (WeChat 2.9.2): their data and methods are merged
    // under the page's own, their lifetimes are not page hooks.
    let fromBehaviors = null;
    if (def.behaviors !== undefined) fromBehaviors = buildDef({ behaviors: def.behaviors }, loading.route, loading.file).def;
    pageDefs.set(loading.route, { kind: 'page', route: loading.route, raw: def, properties: undefined, observers: [], behaviors: fromBehaviors });
  }

  function Component(def) {
    if (loading === null || (loading.kind !== 'comp' && loading.kind !== 'page')) {
      throw new ErrorCtor('Component() must be called while a component or page file loads');
    }
    if (def === null || typeof def !== 'object') throw new TypeErrorCtor('Component(): the argument must be an object');
    const d = buildDef(def, loading.route, loading.file).def;
    if (loading.kind === 'page') pageDefs.set(loading.route, d);
    else compDefs.set(loading.route, d);
  }

  function App(def) {
    if (loading === null || loading.kind !== 'app') throw new ErrorCtor('App() must be called in app.js');
    if (def === null || typeof def !== 'object') throw new TypeErrorCtor('App(): the argument must be an object');
    if (app !== null && defaultApp) { // getApp({allowDefault: true}) made it: App() fills it in
      const ks = ObjectKeys(def);
      for (let i = 0; i < ks.length; i++) app[ks[i]] = def[ks[i]];
      defaultApp = false;
      return;
    }
    app = def;
  }

  // ---- relations ------------------------------------------------------------------

  // relationMatches: does the component rec `other` satisfy relation r (declared by a
  // component at r's side)? By path, or by a behavior it has when r names a target.
  function relationMatches(r, other) {
    if (r.target !== null) return other.def.behaviorIds.has(r.target);
    return other.def.path === r.path || other.def.path === r.path + '/index';
  }

  // findRelation: the relation of `rec` of one of `types` that `other` matches.
  function findRelation(rec, types, other) {
    const ks = ObjectKeys(rec.def.relations);
    for (let i = 0; i < ks.length; i++) {
      const r = rec.def.relations[ks[i]];
      if (types.indexOf(r.type) >= 0 && relationMatches(r, other)) return r;
    }
    return null;
  }

  function addLink(rec, r, other) {
    if (!hasOwn(rec.links, r.key)) rec.links[r.key] = [];
    rec.links[r.key].push(other);
  }

  // linkUp links a newly attached component to the component above it in the page's
  // tree that both sides name: its composed parent for parent/child, the nearest
  // matching ancestor for ancestor/descendant. Both definitions must declare the
  // relation, as in WeChat. linked runs on the upper side first.
  function linkUp(rec) {
    const ks = ObjectKeys(rec.def.relations);
    for (let i = 0; i < ks.length; i++) {
      const r = rec.def.relations[ks[i]];
      if (r.type !== 'parent' && r.type !== 'ancestor') continue;
      let up = instances.get(rec.parent);
      while (up !== undefined && up.kind === 'comp') {
        if (relationMatches(r, up)) {
          const back = findRelation(up, [relationTypes[r.type]], rec);
          if (back !== null) {
            addLink(up, back, rec);
            addLink(rec, r, up);
            rec.linkedTo.push({ upper: up, upRel: back, rel: r });
            safeCall(back.linked, up.inst, [rec.inst]);
            safeCall(r.linked, rec.inst, [up.inst]);
            break;
          }
        }
        if (r.type === 'parent') break;
        up = instances.get(up.parent);
      }
    }
  }

  function dropLink(rec, key, other) {
    const list = rec.links[key];
    if (list === undefined) return;
    const at = list.indexOf(other);
    if (at >= 0) list.splice(at, 1);
  }

  // unlinkAll ends the links of a detached component, after its detached lifetime.
  function unlinkAll(rec) {
    for (let i = 0; i < rec.linkedTo.length; i++) {
      const l = rec.linkedTo[i];
      dropLink(l.upper, l.upRel.key, rec);
      dropLink(rec, l.rel.key, l.upper);
      safeCall(l.upRel.unlinked, l.upper.inst, [rec.inst]);
      safeCall(l.rel.unlinked, rec.inst, [l.upper.inst]);
    }
    rec.linkedTo = [];
    // Links from below: their components detach too (children first), but a lower
    // component may outlive it when only this one was removed.
    const keys = ObjectKeys(rec.links);
    for (let k = 0; k < keys.length; k++) {
      const lowers = rec.links[keys[k]].slice();
      for (let j = 0; j < lowers.length; j++) {
        const other = lowers[j];
        for (let i = other.linkedTo.length - 1; i >= 0; i--) {
          const l = other.linkedTo[i];
          if (l.upper !== rec) continue;
          other.linkedTo.splice(i, 1);
          dropLink(other, l.rel.key, rec);
          dropLink(rec, l.upRel.key, other);
          safeCall(l.upRel.unlinked, rec.inst, [other.inst]);
          safeCall(l.rel.unlinked, other.inst, [rec.inst]);
        }
      }
    }
  }

  function getRelationNodes(key) {
    const rec = recOf.get(this);
    if (rec === undefined || rec.kind !== 'comp') throw new TypeErrorCtor('getRelationNodes must be called on a component instance');
    const list = rec.links[key];
    return list === undefined ? [] : list.filter(o => o.alive).map(o => o.inst);
  }

  // ---- selectComponent ------------------------------------------------------------

  // parseSelector reads WeChat's component selectors: a comma-separated list of
  // chains of compound selectors (#id, .class, several classes) joined by ' ' (a
  // descendant in the same template), '>' (a direct child) or '>>>' (inside a
  // component's own template).
  function parseSelector(sel) {
    if (typeof sel !== 'string') throw new TypeErrorCtor('selectComponent: the selector must be a string');
    const out = [];
    const groups = sel.split(',');
    for (let g = 0; g < groups.length; g++) {
      const toks = groups[g].trim().replace(/\s*(>>>|>)\s*/g, ' $1 ').split(/\s+/).filter(t => t !== '');
      const chain = [];
      let comb = null;
      for (let i = 0; i < toks.length; i++) {
        const t = toks[i];
        if (t === '>' || t === '>>>') {
          if (chain.length === 0 || comb !== null) return null;
          comb = t;
          continue;
        }
        const m = /^((?:[#.][A-Za-z0-9_-]+)+)$/.exec(t);
        if (m === null) return null;
        const ids = [], classes = [];
        const re = /([#.])([A-Za-z0-9_-]+)/g;
        let x;
        while ((x = re.exec(t)) !== null) (x[1] === '#' ? ids : classes).push(x[2]);
        chain.push({ comb: chain.length === 0 ? null : (comb || ' '), ids: ids, classes: classes });
        comb = null;
      }
      if (chain.length === 0 || comb !== null) return null;
      out.push(chain);
    }
    return out;
  }

  function compoundMatches(c, rec) {
    for (let i = 0; i < c.ids.length; i++) if (rec.nodeId !== c.ids[i]) return false;
    for (let i = 0; i < c.classes.length; i++) if (rec.classes.indexOf(c.classes[i]) < 0) return false;
    return true;
  }

  // ownedBy lists the live components a page or component placed in its template, in
  // the order they were attached (document order).
  function ownedBy(id) {
    const out = [];
    instances.forEach(function (r) { if (r.kind === 'comp' && r.owner === id) out.push(r); });
    return out;
  }

  // chainMatches checks the chain from its last compound backwards: rec matches
  // chain[k], and what is above it matches the rest.
  function chainMatches(chain, k, rec, scope) {
    if (!compoundMatches(chain[k], rec)) return false;
    if (k === 0) return rec.owner === scope;
    const comb = chain[k].comb;
    if (comb === '>>>') {
      const host = instances.get(rec.owner);
      return host !== undefined && host.kind === 'comp' && chainMatches(chain, k - 1, host, scope);
    }
    let up = instances.get(rec.parent);
    while (up !== undefined && up.kind === 'comp' && up.owner === rec.owner) {
      if (chainMatches(chain, k - 1, up, scope)) return true;
      if (comb === '>') return false;
      up = instances.get(up.parent);
    }
    return false;
  }

  function selectFrom(self, sel, all) {
    const rec = recOf.get(self);
    if (rec === undefined) throw new TypeErrorCtor('selectComponent must be called on a page or component instance');
    const groups = parseSelector(sel);
    if (groups === null) {
      host.note('warn', 'selectComponent: selector ' + stringify(sel) + ' is not supported (#id, .class, " ", ">" and ">>>" are)');
      return all ? [] : null;
    }
    const found = [];
    instances.forEach(function (r) {
      if (r.kind !== 'comp' || r.page !== (rec.kind === 'page' ? rec.id : rec.page) || !r.alive) return;
      for (let g = 0; g < groups.length; g++) {
        if (chainMatches(groups[g], groups[g].length - 1, r, rec.id)) {
          found.push(r);
          return;
        }
      }
    });
    if (!all) return found.length === 0 ? null : exported(found[0], rec);
    return found.map(r => exported(r, rec));
  }

  // exported is what a selection answers for rec: its instance, or what its export()
  // returns when it uses wx://component-export.
  function exported(rec, caller) {
    if (rec.kind === 'comp' && rec.def.exports && rec.def.exportFn !== null) {
      return safeCall(rec.def.exportFn, rec.inst, [caller === undefined ? undefined : caller.inst]);
    }
    return rec.inst;
  }

  function selectComponent(sel) { return selectFrom(this, sel, false); }
  function selectAllComponents(sel) { return selectFrom(this, sel, true); }

  function selectOwnerComponent() {
    const rec = recOf.get(this);
    if (rec === undefined || rec.kind !== 'comp') throw new TypeErrorCtor('selectOwnerComponent must be called on a component instance');
    const owner = instances.get(rec.owner);
    return owner === undefined ? null : exported(owner, rec);
  }

  function hasBehavior(id) {
    const rec = recOf.get(this);
    if (rec === undefined) throw new TypeErrorCtor('hasBehavior must be called on a page or component instance');
    return rec.def.behaviorIds !== undefined && rec.def.behaviorIds.has(id);
  }

  // groupSetData runs the callback at once: the setData calls of one turn are one
  // push anyway.
  function groupSetData(fn) {
    if (typeof fn === 'function') fn.call(this);
  }

  // ---- instances ------------------------------------------------------------------

  const pageProto = {
    setData: setData, selectComponent: selectComponent, selectAllComponents: selectAllComponents,
    hasBehavior: hasBehavior, groupSetData: groupSetData,
  };
  const compProto = {
    setData: setData, triggerEvent: triggerEvent, selectComponent: selectComponent,
    selectAllComponents: selectAllComponents, selectOwnerComponent: selectOwnerComponent,
    getRelationNodes: getRelationNodes, hasBehavior: hasBehavior, groupSetData: groupSetData,
  };

  function initialData(def) {
    const data = deepCopy(def.data === undefined || def.data === null ? {} : def.data);
    const props = def.properties;
    if (props !== undefined) {
      const ks = ObjectKeys(props);
      for (let i = 0; i < ks.length; i++) data[ks[i]] = deepCopy(props[ks[i]].value);
    }
    return data;
  }

  function newPage(id, route, queryJSON) {
    const def = pageDefs.get(route);
    if (def === undefined) throw new ErrorCtor('page "' + route + '" is not one of the pages in app.json');
    const query = parse(queryJSON);
    let inst;
    if (def.kind === 'page') {
      inst = ObjectCreate(pageProto);
      const raw = def.raw;
      const fromB = def.behaviors;
      if (fromB !== null) {
        const ms = ObjectKeys(fromB.methods);
        for (let i = 0; i < ms.length; i++) if (typeof fromB.methods[ms[i]] === 'function') inst[ms[i]] = fromB.methods[ms[i]];
      }
      const ks = ObjectKeys(raw);
      for (let i = 0; i < ks.length; i++) {
        const v = raw[ks[i]];
        inst[ks[i]] = typeof v === 'function' ? v : deepCopy(v);
      }
      if (inst.data === null || typeof inst.data !== 'object') inst.data = {};
      if (fromB !== null) inst.data = mergeData(initialData(fromB), inst.data);
    } else {
      inst = newComponentObject(def, {});
    }
    inst.route = route;
    inst.options = query;
    // loaded: onLoad ran. Components attached before it (a page that uses components
    // loads once its first render reported them) are ready after its onShow.
    const rec = { id: id, kind: 'page', inst: inst, def: def, alive: true, comps: [], loaded: false, pendingReady: [] };
    instances.set(id, rec);
    recOf.set(inst, rec);
    if (def.kind === 'comp') {
      // created sees the defaults; the query fills the properties before attached.
      runHooks(def.lifetimes.created, inst, []);
      const ks = ObjectKeys(query);
      for (let i = 0; i < ks.length; i++) {
        const p = def.properties[ks[i]];
        if (p !== undefined) inst.data[ks[i]] = coerce(p, query[ks[i]]);
      }
      runHooks(def.lifetimes.attached, inst, []);
    }
    return stringify(inst.data);
  }

  function newComponentObject(def, report) {
    const inst = ObjectCreate(compProto);
    const data = initialData(def);
    inst.data = data;
    inst.properties = data;
    inst.is = def.path;
    inst.id = report.nodeId || '';
    inst.dataset = report.dataset || {};
    const ms = ObjectKeys(def.methods);
    for (let i = 0; i < ms.length; i++) {
      if (typeof def.methods[ms[i]] === 'function') inst[ms[i]] = def.methods[ms[i]];
    }
    return inst;
  }

  // pageHook finds a page lifecycle: a Page() field, or a method of a Component() page.
  function pageHook(rec, name) {
    return rec.def.kind === 'page' ? rec.inst[name] : rec.def.methods[name];
  }

  // pageScrolls: the page defines onPageScroll, so its scroll is worth reporting.
  function pageScrolls(id) {
    const rec = instances.get(id);
    return rec !== undefined && rec.kind === 'page' && typeof pageHook(rec, 'onPageScroll') === 'function';
  }

  function pageLife(id, name, argJSON) {
    const rec = instances.get(id);
    if (rec === undefined || rec.kind !== 'page') return;
    const args = argJSON === undefined ? [] : [parse(argJSON)];
    if (name === 'onLoad') rec.loaded = true;
    // A Component() page is ready (its lifetime) before its onReady method, as a
    // page's components are ready before the page.
    if (rec.def.kind === 'comp' && name === 'onReady') runHooks(rec.def.lifetimes.ready, rec.inst, []);
    safeCall(pageHook(rec, name), rec.inst, args);
    if (name === 'onReady') rec.readied = true;
    if (name === 'onShow' || name === 'onHide') {
      rec.shown = name === 'onShow';
      const which = name === 'onShow' ? 'show' : 'hide';
      for (let i = 0; i < rec.comps.length; i++) {
        const c = instances.get(rec.comps[i]);
        if (c !== undefined) runHooks(c.def.pageLifetimes[which], c.inst, []);
      }
      if (name === 'onShow') readyPending(rec);
    }
    if (name === 'onRouteDone' || name === 'onResize') {
      // The page's components hear it too (pageLifetimes.routeDone / resize(size)).
      const which = name === 'onRouteDone' ? 'routeDone' : 'resize';
      for (let i = 0; i < rec.comps.length; i++) {
        const c = instances.get(rec.comps[i]);
        if (c !== undefined) runHooks(c.def.pageLifetimes[which], c.inst, args);
      }
    }
    if (name === 'onUnload') {
      for (let i = rec.comps.length - 1; i >= 0; i--) detachOne(rec.comps[i]);
      if (rec.def.kind === 'comp') runHooks(rec.def.lifetimes.detached, rec.inst, []);
      rec.alive = false;
      instances.delete(id);
      retire(rec);
    }
  }

  // retire replaces an ended instance's record in recOf by one that does not reach the
  // instance: goja's WeakMap holds values strongly, so a record pointing back at its key
  // (and, through relations and app fields, at other instances) would keep every ended
  // page and component alive. The stand-in still says "unloaded" to a late setData.
  function retire(rec) {
    recOf.set(rec.inst, {
      id: rec.id, kind: rec.kind, def: rec.def, alive: false, page: rec.page, owner: '', parent: '',
      events: {}, links: {}, linkedTo: [], comps: [], nodeId: '', classes: [],
    });
  }

  function updateProps(rec, props) {
    const defs = rec.def.properties;
    const data = rec.inst.data;
    const changed = [];
    const propChanges = [];
    const ks = ObjectKeys(props);
    for (let i = 0; i < ks.length; i++) {
      const p = defs[ks[i]];
      if (p === undefined) continue;
      const v = coerce(p, props[ks[i]]);
      const old = data[ks[i]];
      data[ks[i]] = v;
      changed.push([ks[i]]);
      if (old !== v) propChanges.push({ name: ks[i], prop: p, value: v, old: old });
    }
    runObservers(rec, changed);
    runPropertyObservers(rec, propChanges);
  }

  // attach creates the instances the page reported, in three passes so that every
  // instance of the batch is created before any is attached, parents first each time.
  function attach(reportsJSON) {
    const reports = parse(reportsJSON);
    const made = [];
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i];
      const def = compDefs.get(r.is);
      if (def === undefined) {
        host.note('warn', 'component ' + r.id + ': "' + r.is + '" is not a registered component');
        continue;
      }
      if (instances.has(r.id)) {
        host.note('warn', 'component ' + r.id + ' reported attached twice');
        continue;
      }
      const inst = newComponentObject(def, r);
      const rec = {
        id: r.id, kind: 'comp', inst: inst, def: def, alive: true, page: r.page, owner: r.owner,
        parent: r.parent || r.page, nodeId: r.nodeId || '', classes: (r['class'] || '').split(/\s+/).filter(c => c !== ''),
        events: r.events || {}, props: r.props || {}, links: {}, linkedTo: [],
      };
      instances.set(r.id, rec);
      recOf.set(inst, rec);
      const page = instances.get(r.page);
      if (page !== undefined) page.comps.push(r.id);
      made.push(rec);
      runHooks(def.lifetimes.created, inst, []);
    }
    for (let i = 0; i < made.length; i++) {
      updateProps(made[i], made[i].props);
      runHooks(made[i].def.lifetimes.attached, made[i].inst, []);
    }
    // Relations link once everything of the batch is attached (linked comes after
    // attached), before ready.
    for (let i = 0; i < made.length; i++) if (made[i].alive) linkUp(made[i]);
    // The components of a page's first render: in WeChat they exist before the page
    // shows, so the page's show reaches them (pageLifetimes.show) before ready.
    for (let i = 0; i < made.length; i++) {
      const page = instances.get(made[i].page);
      if (made[i].alive && page !== undefined && page.shown && !page.readied) runHooks(made[i].def.pageLifetimes.show, made[i].inst, []);
    }
    for (let i = 0; i < made.length; i++) {
      const page = instances.get(made[i].page);
      if (page !== undefined && !page.loaded) page.pendingReady.push(made[i]);
      else runHooks(made[i].def.lifetimes.ready, made[i].inst, []);
    }
  }

  // readyPending runs ready for the components attached before their page's onLoad,
  // once the page has shown (WeChat: created, attached, onLoad, onShow, ready).
  function readyPending(page) {
    const due = page.pendingReady;
    page.pendingReady = [];
    for (let i = 0; i < due.length; i++) if (due[i].alive) runHooks(due[i].def.lifetimes.ready, due[i].inst, []);
  }

  function detachOne(id) {
    const rec = instances.get(id);
    if (rec === undefined || rec.kind !== 'comp') return;
    instances.delete(id);
    const page = instances.get(rec.page);
    if (page !== undefined) {
      const at = page.comps.indexOf(id);
      if (at >= 0) page.comps.splice(at, 1);
    }
    runHooks(rec.def.lifetimes.detached, rec.inst, []);
    rec.alive = false;
    unlinkAll(rec);
    retire(rec);
  }

  // moved runs the moved lifetime of components a keyed list moved, then linkChanged
  // of each relation they are linked by, upper side first (WeChat: after moved).
  function moved(idsJSON) {
    const ids = parse(idsJSON);
    for (let i = 0; i < ids.length; i++) {
      const rec = instances.get(ids[i]);
      if (rec === undefined || rec.kind !== 'comp' || !rec.alive) continue;
      runHooks(rec.def.lifetimes.moved, rec.inst, []);
      const links = rec.linkedTo.slice();
      for (let j = 0; j < links.length; j++) {
        safeCall(links[j].upRel.linkChanged, links[j].upper.inst, [rec.inst]);
        safeCall(links[j].rel.linkChanged, rec.inst, [links[j].upper.inst]);
      }
    }
  }

  function detach(idsJSON) {
    const ids = parse(idsJSON);
    for (let i = 0; i < ids.length; i++) detachOne(ids[i]);
  }

  function props(listJSON) {
    const list = parse(listJSON);
    for (let i = 0; i < list.length; i++) {
      const rec = instances.get(list[i].id);
      if (rec === undefined || rec.kind !== 'comp') continue;
      updateProps(rec, list[i].props || {});
    }
  }

  function callMethod(rec, name, ev) {
    const fn = rec.inst[name];
    // Own methods only (pages and components alike): a handler named by data must not
    // reach setData, triggerEvent or anything else the instance inherits.
    if (typeof fn !== 'function' || !hasOwn(rec.inst, name)) {
      host.note('warn', rec.id + ' has no method "' + name + '" to handle event "' + (ev && ev.type) + '"');
      return;
    }
    if (rec.def.kind !== 'comp' || rec.def.lifetimes.error.length === 0) {
      safeCall(fn, rec.inst, [ev]);
      return;
    }
    // A component's error lifetimes hear what its handlers throw (after App.onError).
    try {
      fn.call(rec.inst, ev);
    } catch (e) {
      report(e);
      runHooks(rec.def.lifetimes.error, rec.inst, [e]);
    }
  }

  function event(target, handler, eventJSON) {
    const rec = instances.get(target);
    if (rec === undefined) {
      host.note('warn', 'event "' + handler + '" for unknown instance ' + target + ' dropped');
      return;
    }
    const ev = parse(eventJSON);
    if (ev.detail === undefined) ev.detail = {};
    if (ev.mark === undefined || ev.mark === null) ev.mark = {};
    callMethod(rec, handler, ev);
  }

  // model applies a two-way binding's write (model:value="{{key}}"): the owner's data
  // key takes the value as if the owner called setData (docs/bridge.md, "model").
  function model(target, key, valueJSON) {
    const rec = instances.get(target);
    if (rec === undefined || !rec.alive) {
      host.note('warn', 'model "' + key + '" for unknown instance ' + target + ' dropped');
      return;
    }
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      host.note('warn', 'model "' + key + '" cannot name a data field; dropped');
      return;
    }
    const obj = {};
    obj[key] = parse(valueJSON);
    applyData(rec, obj, true);
  }

  function triggerEvent(name, detail, options) {
    const rec = recOf.get(this);
    if (rec === undefined || rec.kind !== 'comp') throw new TypeErrorCtor('triggerEvent must be called on a component instance');
    const method = rec.events[name];
    if (typeof method !== 'string') return;
    const owner = instances.get(rec.owner);
    if (owner === undefined) return;
    const me = { id: rec.inst.id, dataset: rec.inst.dataset };
    callMethod(owner, method, {
      type: name,
      timeStamp: dateNow() - startTime,
      detail: detail === undefined ? {} : detail,
      target: me,
      currentTarget: me,
      mark: {},
    });
  }

  function pageData(id) {
    const rec = instances.get(id);
    if (rec === undefined) throw new ErrorCtor('no page instance ' + id);
    return stringify(rec.inst.data);
  }

  function componentDefs() {
    const out = {};
    compDefs.forEach(function (d, path) {
      const ps = {};
      const ks = ObjectKeys(d.properties);
      for (let i = 0; i < ks.length; i++) {
        const p = d.properties[ks[i]];
        ps[ks[i]] = { type: p.type, value: p.value === undefined ? null : p.value };
        if (p.optionalTypes.length > 0) ps[ks[i]].optionalTypes = p.optionalTypes;
      }
      out[path] = { properties: ps, data: d.data, options: d.options };
      if (d.externalClasses.length > 0) out[path].externalClasses = d.externalClasses;
      if (d.formField) out[path].formField = true;
      if (d.formFieldGroup) out[path].formFieldGroup = true;
    });
    // Pages built with Component() whose options set a styleIsolation (page-isolated,
    // page-apply-shared, page-shared): the page's runtime needs it (docs/logic.md).
    pageDefs.forEach(function (d, route) {
      if (d.kind === 'comp' && d.options && typeof d.options.styleIsolation === 'string') {
        out[route] = { properties: {}, data: {}, options: { styleIsolation: d.options.styleIsolation }, page: true };
      }
    });
    return stringify(out);
  }

  // ---- modules --------------------------------------------------------------------

  function dirname(p) {
    const i = p.lastIndexOf('/');
    return i < 0 ? '' : p.slice(0, i);
  }

  function makeRequire(from) {
    const req = function require(request) {
      if (typeof request !== 'string') throw new TypeErrorCtor('require() from ' + from + ': the path must be a string');
      return loadModule(host.resolve(from, request)).exports;
    };
    req.async = function (request) { return requireAsync(from, request); }; // docs/subpackages.md
    return req;
  }

  // requireAsync is require.async: a Promise of the module's exports, which may be in
  // any package; a subpackage not fetched yet is fetched first (subpackage.load).
  function requireAsync(from, request) {
    return new PromiseCtor(function (resolve, reject) {
      if (typeof request !== 'string') throw new TypeErrorCtor('require.async() from ' + from + ': the path must be a string');
      const r = host.resolveAsync(from, request); // {file, fetch: root or ''}
      function load() {
        try { resolve(loadModule(host.resolveAsync(from, request).file).exports); } catch (e) { reject(e); }
      }
      if (r.fetch === '') { PromiseCtor.resolve().then(load); return; }
      extKit.call('subpackage.load', { name: r.fetch }, function (ok, res) { if (ok) load(); else reject(res); });
    });
  }

  // loadModule follows node: the module is cached before it runs (so cycles see the
  // partial exports) and dropped from the cache if it throws.
  function loadModule(file) {
    const cached = modules.get(file);
    if (cached !== undefined) return cached;
    const module = { id: file, filename: file, exports: {}, loaded: false };
    modules.set(file, module);
    const outer = currentFile;
    currentFile = file;
    try {
      const fn = host.compile(file);
      fn.call(module.exports, module.exports, makeRequire(file), module, file, dirname(file));
    } catch (e) {
      modules.delete(file);
      throw e;
    } finally {
      currentFile = outer;
    }
    module.loaded = true;
    return module;
  }

  function loadEntry(route, kind) {
    const file = host.entry(route); // route.js, or route.ts
    loading = { route: route, kind: kind, file: file };
    try {
      loadModule(file);
    } finally {
      loading = null;
    }
    if (kind === 'page' && !pageDefs.has(route)) throw new ErrorCtor(file + ': the page did not call Page() or Component()');
    if (kind === 'comp' && !compDefs.has(route)) throw new ErrorCtor(file + ': the component did not call Component()');
    if (kind === 'app' && (app === null || defaultApp)) throw new ErrorCtor(file + ': App() was not called');
    if (kind === 'app') appLoaded = true;
  }

  function launch(optsJSON) {
    if (!appLoaded) return; // an independent subpackage started without app.js
    const opts = parse(optsJSON);
    safeCall(app.onLaunch, app, [opts]);
    safeCall(app.onShow, app, [parse(optsJSON)]);
    emitApp('appShow', [parse(optsJSON)]);
  }

  // appLife runs App.onShow (with the launch options) or App.onHide when the app's
  // window is shown again or closed into the background.
  function appLife(name, optsJSON) {
    if (app !== null) safeCall(app[name], app, name === 'onShow' ? [parse(optsJSON)] : []);
    if (name === 'onShow') emitApp('appShow', [parse(optsJSON)]);
    else emitApp('appHide', [{}]);
  }

  // appEvent runs the App's handler and the wx listeners of an app-wide event the host
  // reports: "pageNotFound" ({path, query, isEntryPage}), "themeChange" ({theme}).
  function appEvent(name, json) {
    const hook = name === 'pageNotFound' ? 'onPageNotFound' : name === 'themeChange' ? 'onThemeChange' : '';
    if (hook === '') return;
    safeCall(app[hook], app, [parse(json)]);
    emitApp(name, [parse(json)]);
  }

  // ---- wx / sf --------------------------------------------------------------------

  const pendingAPI = new MapCtor(); // call id → callbacks or promise functions

  function apiArgs(name, opts, bareArg) {
    if (opts === undefined || opts === null) opts = {};
    // sf.requestCapability('user:readProfile') is sf.requestCapability({name: '...'}).
    if (typeof opts === 'string' && bareArg) {
      const o = {};
      o[bareArg] = opts;
      opts = o;
    }
    if (typeof opts !== 'object') throw new TypeErrorCtor('wx.' + name + ': the argument must be an object');
    const args = {};
    const ks = ObjectKeys(opts);
    for (let i = 0; i < ks.length; i++) {
      if (typeof opts[ks[i]] !== 'function') args[ks[i]] = opts[ks[i]];
    }
    return { opts: opts, json: stringify(args) };
  }

  function ownFunction(o, key) {
    return hasOwn(o, key) && typeof o[key] === 'function' ? o[key] : undefined;
  }

  // positional turns f(a, b) into {params[0]: a, params[1]: b}.
  function positional(params, args) {
    const opts = {};
    for (let i = 0; i < params.length; i++) opts[params[i]] = args[i];
    return opts;
  }

  function asyncAPI(name, bareArg, params) {
    return function (options) {
      const a = apiArgs(name, params ? positional(params, arguments) : options, bareArg);
      const o = a.opts;
      // Own properties only: a callback inherited from a polluted Object.prototype is
      // not the caller's.
      const success = ownFunction(o, 'success'), fail = ownFunction(o, 'fail'), complete = ownFunction(o, 'complete');
      const callbackStyle = success !== undefined || fail !== undefined || complete !== undefined;
      const id = host.callAPI(name, a.json);
      if (callbackStyle) {
        pendingAPI.set(id, { success: success, fail: fail, complete: complete });
        return undefined;
      }
      return new PromiseCtor(function (resolve, reject) {
        pendingAPI.set(id, { resolve: resolve, reject: reject });
      });
    };
  }

  // A sync API with `params` takes positional arguments (wx.setStorageSync(key, data))
  // and, with `returns`, answers that field of the result (wx.getStorageSync(key)).
  function syncAPI(name, bareArg, params, returns) {
    return function (options) {
      const a = apiArgs(name, params ? positional(params, arguments) : options, bareArg);
      const r = parse(host.callSync(name, a.json));
      if (!r.ok) throw new ErrorCtor((r.result && r.result.errMsg) || name + ':fail');
      return returns ? r.result[returns] : r.result;
    };
  }

  function settle(id, ok, resultJSON) {
    const p = pendingAPI.get(id);
    if (p === undefined) return;
    pendingAPI.delete(id);
    const res = parse(resultJSON);
    if (p.done !== undefined) {
      safeCall(p.done, undefined, [ok, res]);
      return;
    }
    if (p.resolve !== undefined) {
      if (ok) p.resolve(res);
      else p.reject(res);
      return;
    }
    safeCall(ok ? p.success : p.fail, undefined, [res]);
    safeCall(p.complete, undefined, [res]);
  }

  const apiTable = parse(host.apis);
  const apiSpecs = new MapCtor(); // name → its declaration's shape
  const wx = {};
  for (let i = 0; i < apiTable.length; i++) {
    const spec = apiTable[i];
    if (spec.hidden) continue; // a method of an extension's object (extKit)
    const fn = spec.sync ? syncAPI(spec.name, spec.arg, spec.params, spec.returns) : asyncAPI(spec.name, spec.arg, spec.params);
    // A dotted path puts the function in a namespace object: sf.share.publish.
    const parts = (spec.path || spec.name).split('.');
    let at = wx;
    for (let j = 0; j < parts.length - 1; j++) {
      if (!hasOwn(at, parts[j])) at[parts[j]] = {};
      at = at[parts[j]];
    }
    at[parts[parts.length - 1]] = fn;
    apiSpecs.set(spec.name, spec);
  }
  wx.nextTick = function nextTick(fn) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('wx.nextTick: the argument must be a function');
    host.nextTick(fn);
  };

  // The log managers write into the shell's log, tagged with the app like console.*.
  function logFn(level, tag) {
    return function () { host.log(level, tag + fmt(arguments)); };
  }
  wx.getLogManager = function getLogManager() {
    return { debug: logFn('debug', '[log] '), info: logFn('info', '[log] '), log: logFn('info', '[log] '), warn: logFn('warn', '[log] ') };
  };
  wx.getRealtimeLogManager = function getRealtimeLogManager() {
    const m = {
      info: logFn('info', '[realtime] '), warn: logFn('warn', '[realtime] '), error: logFn('error', '[realtime] '),
      setFilterMsg: function () {}, addFilterMsg: function () {},
      in: function () { return m; }, getCurrentState: function () { return { size: 0, maxSize: 0, logCount: 0, maxLogCount: 0 }; },
      tag: function () { return m; },
    };
    return m;
  };

  // wx.onAppShow/offAppShow and the other app-wide events: off… without a callback
  // removes them all, as in WeChat.
  ObjectKeys(appListeners).forEach(function (kind) {
    const Name = kind.charAt(0).toUpperCase() + kind.slice(1);
    const list = appListeners[kind];
    wx['on' + Name] = function (cb) {
      if (typeof cb !== 'function') throw new TypeErrorCtor('wx.on' + Name + ': the argument must be a function');
      if (list.indexOf(cb) < 0) list.push(cb);
    };
    wx['off' + Name] = function (cb) {
      if (cb === undefined) list.length = 0;
      else if (list.indexOf(cb) >= 0) list.splice(list.indexOf(cb), 1);
    };
  });

  // wx.getUpdateManager: one UpdateManager per app, on sf.update.check/apply (the
  // catalog the app was installed from). The first call checks; onCheckForUpdate hears
  // {hasUpdate}, onUpdateReady follows a newer release (fetched when applied), and
  // onUpdateFailed a failed applyUpdate. A listener added after an answer still hears it.
  const updateAPI = hasOwn(wx, 'update') ? { check: wx.update.check, apply: wx.update.apply } : null;
  let updateManager = null;
  wx.getUpdateManager = function getUpdateManager() {
    if (updateManager !== null) return updateManager;
    const state = { checked: null, ready: false, failed: null };
    const ls = { check: [], ready: [], failed: [] };
    function on(kind, answered, arg) {
      return function (cb) {
        if (typeof cb !== 'function') return;
        ls[kind].push(cb);
        if (answered()) safeCall(cb, undefined, [arg()]);
      };
    }
    function emit(kind, arg) {
      const list = ls[kind].slice();
      for (let i = 0; i < list.length; i++) safeCall(list[i], undefined, [arg]);
    }
    updateManager = {
      onCheckForUpdate: on('check', function () { return state.checked !== null; }, function () { return { hasUpdate: state.checked }; }),
      onUpdateReady: on('ready', function () { return state.ready; }, function () { return {}; }),
      onUpdateFailed: on('failed', function () { return state.failed !== null; }, function () { return state.failed; }),
      applyUpdate: function applyUpdate() {
        if (!state.ready || updateAPI === null) return;
        updateAPI.apply().then(undefined, function (e) {
          state.failed = e;
          emit('failed', e);
        });
      },
    };
    if (updateAPI !== null) {
      updateAPI.check().then(function (r) {
        state.checked = r.hasUpdate === true;
        emit('check', { hasUpdate: state.checked });
        if (state.checked) {
          state.ready = true;
          emit('ready', {});
        }
      }, function (e) {
        host.note('warn', 'update check: ' + (e && e.errMsg));
        state.checked = false;
        emit('check', { hasUpdate: false });
      });
    }
    return updateManager;
  };

  // Base64 and ArrayBuffer (deprecated in WeChat, still called by older apps).
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const Uint8 = Uint8Array, ArrayBufferCtor = ArrayBuffer;
  wx.arrayBufferToBase64 = function arrayBufferToBase64(buf) {
    const b = buf instanceof ArrayBufferCtor ? new Uint8(buf) : ArrayBufferCtor.isView(buf) ? new Uint8(buf.buffer, buf.byteOffset, buf.byteLength) : null;
    if (b === null) throw new TypeErrorCtor('wx.arrayBufferToBase64: the argument must be an ArrayBuffer');
    let out = '';
    for (let i = 0; i < b.length; i += 3) {
      const n = (b[i] << 16) | ((i + 1 < b.length ? b[i + 1] : 0) << 8) | (i + 2 < b.length ? b[i + 2] : 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    }
    return out;
  };
  wx.base64ToArrayBuffer = function base64ToArrayBuffer(text) {
    const s = StringCtor(text).replace(/[\s=]+/g, '').replace(/-/g, '+').replace(/_/g, '/');
    const out = new Uint8((s.length * 3) >> 2);
    let n = 0, bits = 0, j = 0;
    for (let i = 0; i < s.length; i++) {
      const v = B64.indexOf(s[i]);
      if (v < 0) throw new TypeErrorCtor('wx.base64ToArrayBuffer: not base64');
      n = (n << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (n >> bits) & 255;
      }
    }
    return out.buffer.slice(0, j);
  };

  // ---- queries and motion (logic/js/query.js, docs/queries.md) -------------------
  // createSelectorQuery, createIntersectionObserver, createMediaQueryObserver, animate,
  // clearAnimation on instances; their wx forms and wx.createAnimation. Questions go to
  // the page as query messages; queryResult answers them.
  const queryExt = host.queryModule({
    send: host.query, safeCall: safeCall, note: host.note, global: global,
    idOf: function (inst) {
      const rec = inst !== null && typeof inst === 'object' ? recOf.get(inst) : undefined;
      return rec !== undefined && rec.alive ? rec.id : '';
    },
    front: function () {
      const ids = host.stack();
      return ids.length > 0 ? ids[ids.length - 1] : '';
    },
    instance: function (id) {
      const rec = instances.get(id);
      return rec !== undefined ? rec.inst : undefined;
    },
  });
  ObjectKeys(queryExt.proto).forEach(function (k) { pageProto[k] = queryExt.proto[k]; compProto[k] = queryExt.proto[k]; });
  ObjectKeys(queryExt.wx).forEach(function (k) { wx[k] = queryExt.wx[k]; });
  // ---- media contexts (docs/components.md) ---------------------------------------
  // Their methods become "media" render ops of this turn's push (host.media), which the
  // page's runtime applies to its <video>/<audio> element or to the audio element it
  // keeps for an InnerAudioContext; that element reports back as a host "media" event
  // (mediaEvent). The page runs none of this code.
  function mediaOwner(component) {
    const rec = component !== null && typeof component === 'object' ? recOf.get(component) : undefined;
    if (rec !== undefined) return rec.id;
    const ids = host.stack();
    return ids.length ? ids[ids.length - 1] : '';
  }
  function mediaSend(target, id, cmd, args) {
    if (target === '') return;
    host.media(target, id, cmd, stringify(args === undefined ? {} : args));
  }
  function mediaNumber(v, fallback) {
    const n = NumberCtor(v);
    return isFiniteNum(n) ? n : fallback;
  }
  function optionsCallbacks(name, opts) {
    // WeChat's requestFullScreen/exitFullScreen take callbacks; they succeed at once.
    if (opts === null || typeof opts !== 'object') return;
    const res = { errMsg: name + ':ok' };
    PromiseCtor.resolve().then(function () {
      safeCall(ownFunction(opts, 'success'), undefined, [res]);
      safeCall(ownFunction(opts, 'complete'), undefined, [res]);
    });
  }
  wx.createVideoContext = function createVideoContext(id, component) {
    const target = mediaOwner(component), eid = StringCtor(id === undefined ? '' : id);
    const send = function (cmd, args) { mediaSend(target, eid, cmd, args); };
    return {
      play: function () { send('play'); },
      pause: function () { send('pause'); },
      stop: function () { send('stop'); },
      seek: function (position) { send('seek', { position: mediaNumber(position, 0) }); },
      playbackRate: function (rate) { send('playbackRate', { rate: mediaNumber(rate, 1) }); },
      requestFullScreen: function (opts) { send('requestFullScreen', {}); optionsCallbacks('requestFullScreen', opts); },
      exitFullScreen: function (opts) { send('exitFullScreen'); optionsCallbacks('exitFullScreen', opts); },
      sendDanmu: function () {},
      showStatusBar: function () {},
      hideStatusBar: function () {},
      requestPictureInPicture: function (opts) { optionsCallbacks('requestPictureInPicture', opts); },
      exitPictureInPicture: function (opts) { optionsCallbacks('exitPictureInPicture', opts); },
      requestBackgroundPlayback: function () {},
      exitBackgroundPlayback: function () {},
    };
  };
  wx.createAudioContext = function createAudioContext(id, component) {
    const target = mediaOwner(component), eid = StringCtor(id === undefined ? '' : id);
    return {
      setSrc: function (src) { mediaSend(target, eid, 'setSrc', { src: StringCtor(src) }); },
      play: function () { mediaSend(target, eid, 'play'); },
      pause: function () { mediaSend(target, eid, 'pause'); },
      seek: function (position) { mediaSend(target, eid, 'seek', { position: mediaNumber(position, 0) }); },
    };
  };

  const audios = new MapCtor(); // InnerAudioContext id → its state
  let nextAudio = 1;
  const audioEvents = { canplay: 'Canplay', play: 'Play', pause: 'Pause', stop: 'Stop', ended: 'Ended',
    timeupdate: 'TimeUpdate', error: 'Error', waiting: 'Waiting', seeking: 'Seeking', seeked: 'Seeked' };
  wx.createInnerAudioContext = function createInnerAudioContext() {
    const id = 'a' + nextAudio++;
    const st = { src: '', autoplay: false, loop: false, volume: 1, startTime: 0, playbackRate: 1, obeyMuteSwitch: true,
      duration: 0, currentTime: 0, paused: true, buffered: 0, destroyed: false, listeners: new MapCtor() };
    audios.set(id, st);
    const send = function (cmd, args) { if (!st.destroyed) mediaSend('app', id, cmd, args); };
    const ctx = {};
    function setting(name, coerce) {
      defineProp(ctx, name, {
        enumerable: true,
        get: function () { return st[name]; },
        set: function (v) {
          st[name] = coerce(v);
          if (name === 'src') {
            send('src', { src: st.src, autoplay: st.autoplay, loop: st.loop, volume: st.volume, startTime: st.startTime, playbackRate: st.playbackRate });
          } else {
            const args = {};
            args[name] = st[name];
            send('set', args);
          }
        },
      });
    }
    setting('src', function (v) { return v === undefined || v === null ? '' : StringCtor(v); });
    setting('autoplay', BooleanCtor);
    setting('loop', BooleanCtor);
    setting('obeyMuteSwitch', BooleanCtor);
    setting('volume', function (v) { return Math.min(1, Math.max(0, mediaNumber(v, 1))); });
    setting('startTime', function (v) { return Math.max(0, mediaNumber(v, 0)); });
    setting('playbackRate', function (v) { return Math.min(2, Math.max(0.5, mediaNumber(v, 1))); });
    ['duration', 'currentTime', 'paused', 'buffered'].forEach(function (name) {
      defineProp(ctx, name, { enumerable: true, get: function () { return st[name]; } });
    });
    ctx.play = function () { send('play'); };
    ctx.pause = function () { send('pause'); };
    ctx.stop = function () { send('stop'); };
    ctx.seek = function (position) { send('seek', { position: mediaNumber(position, 0) }); };
    ctx.destroy = function () {
      if (st.destroyed) return;
      send('destroy');
      st.destroyed = true;
      st.listeners.clear();
      audios.delete(id);
    };
    ObjectKeys(audioEvents).forEach(function (type) {
      const name = audioEvents[type];
      ctx['on' + name] = function (fn) {
        if (typeof fn !== 'function' || st.destroyed) return;
        if (!st.listeners.has(type)) st.listeners.set(type, []);
        st.listeners.get(type).push(fn);
      };
      ctx['off' + name] = function (fn) {
        const list = st.listeners.get(type);
        if (list === undefined) return;
        if (typeof fn !== 'function') { st.listeners.delete(type); return; }
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      };
    });
    return ctx;
  };

  // mediaEvent takes what an InnerAudioContext's element reported (bridge.MediaEvent).
  function mediaEvent(eventJSON) {
    const ev = parse(eventJSON);
    const d = ev !== null && typeof ev === 'object' && ev.detail !== null && typeof ev.detail === 'object' ? ev.detail : {};
    const st = audios.get(StringCtor(d.id));
    if (st === undefined || !hasOwn(audioEvents, d.type)) return;
    st.currentTime = mediaNumber(d.currentTime, st.currentTime);
    st.duration = mediaNumber(d.duration, st.duration);
    st.buffered = mediaNumber(d.buffered, st.buffered);
    st.paused = d.paused === true;
    const list = st.listeners.get(d.type);
    if (list === undefined) return;
    const args = d.type === 'error' ? [{ errMsg: StringCtor(d.errMsg || ''), errCode: mediaNumber(d.errCode, -1) }] : [];
    const fns = list.slice();
    for (let i = 0; i < fns.length; i++) safeCall(fns[i], undefined, args);
  }
  // Sockets and network status (js/tasks.js) wrap the registry's calls built above;
  // the function it returns takes the host's API events.
  const apiEvent = host.taskLayer(wx, { safeCall: safeCall });

  // Every other method of WeChat's Wx interface answers the way a client without it
  // does (docs/apis.md): async ones fail (or reject) with "NAME:fail not supported on
  // this platform", Sync ones and value getters throw that text, on…/off… accept their
  // callback and do nothing, factories return an inert object whose methods fail their
  // callbacks (or do nothing) and return the object again, so that chains do not throw.
  const wxKinds = parse(host.wxKinds);
  const ProxyCtor = Proxy; // the app may replace the global; the stand-ins keep this one
  function unsupportedMsg(name) { return name + ':fail not supported on this platform'; }
  function failLater(name, opts) {
    const fail = ownFunction(opts, 'fail'), complete = ownFunction(opts, 'complete');
    const res = { errMsg: unsupportedMsg(name) };
    PromiseCtor.resolve().then(function () {
      safeCall(fail, undefined, [res]);
      safeCall(complete, undefined, [res]);
    });
  }
  function hasCallbacks(opts) {
    return opts !== null && typeof opts === 'object' &&
      (ownFunction(opts, 'success') !== undefined || ownFunction(opts, 'fail') !== undefined || ownFunction(opts, 'complete') !== undefined);
  }
  function inertObject(name) {
    const methods = new MapCtor();
    const target = {};
    const proxy = new ProxyCtor(target, {
      get: function (t, key) {
        // Not a thenable, not a primitive: only string keys are methods.
        if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
        if (hasOwn(t, key)) return t[key];
        let fn = methods.get(key);
        if (fn === undefined) {
          const what = name + '.' + key;
          fn = function (opts) {
            if (/^(on|off)[A-Z]/.test(key)) return undefined;
            if (hasCallbacks(opts)) failLater(what, opts);
            return proxy;
          };
          methods.set(key, fn);
        }
        return fn;
      }
    });
    return proxy;
  }
  function unsupported(name, kind) {
    switch (kind) {
      case 'sync':
        return function () { throw new ErrorCtor(unsupportedMsg(name)); };
      case 'event':
      case 'call':
        return function () { return undefined; };
      case 'promise':
        return function () { return PromiseCtor.reject({ errMsg: unsupportedMsg(name) }); };
      case 'object':
        return function (opts) {
          if (hasCallbacks(opts)) failLater(name, opts);
          return inertObject(name);
        };
    }
    return function (opts) {
      if (hasCallbacks(opts)) {
        failLater(name, opts);
        return undefined;
      }
      return PromiseCtor.reject({ errMsg: unsupportedMsg(name) });
    };
  }
  ObjectKeys(wxKinds).forEach(function (kind) {
    const names = wxKinds[kind].split(',');
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (!hasOwn(wx, name) && name !== 'canIUse') wx[name] = unsupported(name, kind);
    }
  });

  // wx.cloud (WeChat's cloud development) is a property, not a method, and needs
  // WeChat's servers: init does nothing, so a cloud app starts; its calls fail "not
  // supported" (a rejected promise without callbacks), and database() is an inert
  // object, so its queries chain and fail instead of throwing at load.
  if (!hasOwn(wx, 'cloud')) {
    const cloud = {};
    ['callFunction', 'callContainer', 'uploadFile', 'downloadFile', 'getTempFileURL', 'deleteFile'].forEach(function (n) {
      cloud[n] = unsupported('cloud.' + n, 'async');
    });
    cloud.init = function () { return undefined; };
    cloud.database = function () { return inertObject('cloud.database'); };
    cloud.Cloud = function Cloud() { return cloud; }; // new wx.cloud.Cloud({resourceEnv})
    wx.cloud = cloud;
  }

  // extKit is what extension scripts (logic/js/files.js ...) get, with wx, to build the
  // objects some APIs return (FileSystemManager, DownloadTask): raw calls by gateway
  // name, hidden declarations included. call's done(ok, result) runs on settle.
  const extKit = {
    call: function (name, args, done) {
      const id = host.callAPI(name, stringify(args));
      pendingAPI.set(id, { done: done });
      return id;
    },
    callSync: function (name, args) { return parse(host.callSync(name, stringify(args))); },
    safeCall: safeCall,
  };

  // wx.canIUse tells the truth: an API that is implemented (with, for
  // NAME.object.FIELD, a field its declaration reads), or a built-in component the page
  // renders (its attributes, except open-type abilities, which need WeChat).
  const ownAPIs = parse(host.ownAPIs); // hostapi.FrameworkAPIs: defined above
  const builtins = new MapCtor();
  parse(host.builtins).forEach(function (c) { builtins.set(c, true); });
  wx.canIUse = function canIUse(schema) {
    if (typeof schema !== 'string' || schema === '') return false;
    const parts = schema.split('.');
    const name = parts[0];
    if (ownAPIs.indexOf(name) >= 0) return parts.length === 1;
    const spec = apiSpecs.get(name);
    if (spec !== undefined) {
      if (parts.length === 1) return true;
      if (parts[1] === 'object') return parts.length === 2 || (spec.fields || []).indexOf(parts[2]) >= 0;
      return parts[1] === 'return' || parts[1] === 'success';
    }
    if (builtins.has(name)) return parts.length === 1 || parts[1] !== 'open-type';
    return false;
  };
  // wx is the app's own view of the API, as in WeChat: it may add to it (wx.lin = ...)
  // or wrap its members (a wx.request interceptor). What it cannot reach is behind
  // these functions: host's natives, and the checks the host makes on every call.

  // ---- console --------------------------------------------------------------------

  function fmt(args) {
    let out = '';
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (i > 0) out += ' ';
      if (typeof a === 'string') out += a;
      else if (a instanceof ErrorCtor) out += errText(a);
      else if (a !== null && typeof a === 'object') {
        try { out += stringify(a); } catch (_) { out += StringCtor(a); }
      } else out += StringCtor(a);
    }
    return out;
  }
  const console = {};
  ['log', 'info', 'warn', 'error', 'debug'].forEach(function (level) {
    console[level] = function () { host.log(level, fmt(arguments), arguments); };
  });

  // ---- globals --------------------------------------------------------------------

  // getApp({allowDefault: true}) in an independent subpackage started without app.js
  // gives a default App object, which App() fills in when the main package loads.
  let defaultApp = false;
  function getApp(opts) {
    if (app === null && opts !== null && typeof opts === 'object' && opts.allowDefault === true) {
      app = { globalData: {} };
      defaultApp = true;
    }
    return app === null ? undefined : app;
  }
  function getCurrentPages() {
    const ids = host.stack();
    const out = [];
    for (let i = 0; i < ids.length; i++) {
      const rec = instances.get(ids[i]);
      if (rec !== undefined) out.push(rec.inst);
    }
    return out;
  }

  // `global` is WeChat's name for the object every module shares (apps write
  // global.isDemo = true); here it is the global object itself.
  const fixed = { App: App, Page: Page, Component: Component, Behavior: Behavior, getApp: getApp, getCurrentPages: getCurrentPages, wx: wx, sf: wx, global: global };
  // Plain globals, as in WeChat: an app may wrap App, Page or Component (a common
  // pattern: mixins, page tracking). The framework never reads them back.
  ObjectKeys(fixed).forEach(function (k) {
    defineProp(global, k, { value: fixed[k], writable: true, enumerable: false, configurable: true });
  });
  defineProp(global, 'console', { value: console, writable: true, enumerable: false, configurable: true });

  return {
    loadEntry: loadEntry,
    componentDefs: componentDefs,
    launch: launch,
    appLife: appLife,
    appEvent: appEvent,
    newPage: newPage,
    pageLife: pageLife,
    pageScrolls: pageScrolls,
    attach: attach,
    detach: detach,
    moved: moved,
    props: props,
    event: event,
    model: model,
    media: mediaEvent,
    settle: settle,
    report: report,
    rejection: rejection,
    pageData: pageData,
    queryResult: queryExt.result,
    queryPending: queryExt.pending,
    // For logic/js/canvas.js: the ids of a page or component instance ({owner, page}),
    // or null for anything else.
    ownerIds: function (inst) {
      const rec = inst !== null && typeof inst === 'object' ? recOf.get(inst) : undefined;
      if (rec === undefined || !rec.alive) return null;
      return { owner: rec.id, page: rec.kind === 'page' ? rec.id : rec.page, path: (rec.kind === 'page' ? rec.inst.route : rec.inst.is) || '' };
    },
    extKit: extKit,
    apiEvent: apiEvent,
    // For logic/js/automator.js (the automator protocol, dev only): a live page or
    // component instance by id, or null.
    instanceOf: function (id) {
      const rec = instances.get(id);
      return rec !== undefined && rec.alive ? rec.inst : null;
    },
  };
})
