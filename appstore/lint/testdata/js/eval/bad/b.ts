type T = { s: string }

export function run(x: T) {
  return eval(x.s)
}
