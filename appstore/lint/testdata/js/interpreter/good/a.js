function reducer(state, action) {
  switch (action.type) {
    case 'add': return state + 1
    case 'remove': return state - 1
    case 'Identifier': return state
    default: return state
  }
}
var list = new Interpreters()
