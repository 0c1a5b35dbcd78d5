Component({ properties: { search: { type: Function, value: null }, other: { 'type': Function } } })
