var o = { with: 1, a: 2 }
o.a = o.with
