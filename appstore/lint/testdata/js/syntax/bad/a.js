var ok = 1
function broken( {
  return 2
}
