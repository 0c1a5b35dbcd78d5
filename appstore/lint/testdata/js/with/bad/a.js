var o = { a: 1 }
with (o) {
  a = 2
}
