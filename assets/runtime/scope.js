// scope.js — name resolution while a template is built: wx:for variables of enclosing
// loops (innermost first), then the data object (page or component data, or a
// <template>'s data, which WeChat isolates from the page). Each name also knows which
// data roots it came from, so live attributes can tell whether their data was set.

function rootScope(data) { return { data: isObject(data) ? data : {}, vars: null, baseDeps: null }; }

// templateScope is the isolated scope of <template is data>: only its data object,
// whose names all derive from the roots the data expression read.
function templateScope(data, deps) { return { data: isObject(data) ? data : {}, vars: null, baseDeps: deps }; }

// withVars returns a scope with extra loop variables {name: {value, deps}}.
function withVars(scope, vars) { return { data: scope.data, vars: { map: vars, parent: scope.vars }, baseDeps: scope.baseDeps }; }

function findVar(scope, name) {
  for (var f = scope.vars; f; f = f.parent) if (hasOwn(f.map, name)) return f.map[name];
  return null;
}

// scopeLookup returns the lookup function expressions use.
function scopeLookup(scope) {
  if (scope.lookup) return scope.lookup; // one per scope, not one per node
  scope.lookup = function (name) {
    var v = findVar(scope, name);
    if (v) return v.value;
    return hasOwn(scope.data, name) ? scope.data[name] : undefined;
  };
  return scope.lookup;
}

// scopeRoots maps identifiers to the data roots they derive from.
function scopeRoots(scope, names) {
  var out = [];
  names.forEach(function (n) {
    var v = findVar(scope, n);
    if (v) out.push.apply(out, v.deps);
    else if (scope.baseDeps) out.push.apply(out, scope.baseDeps);
    else out.push(n);
  });
  return out;
}
