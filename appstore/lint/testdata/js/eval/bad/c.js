import { run } from './b'
export const y = run({ s: '1' })
export default function f(s) { return (0, eval)(s) }
