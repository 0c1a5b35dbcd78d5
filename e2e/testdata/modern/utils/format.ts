// TypeScript, required without its extension.
export interface Price {
  cents: number
  currency: 'EUR' | 'USD'
}

export function formatPrice(p: Price): string {
  const units = Math.floor(p.cents / 100)
  const rest = String(p.cents % 100).padStart(2, '0')
  return `${units}.${rest} ${p.currency}`
}

export async function* countdown(from: number): AsyncGenerator<number> {
  for (let i = from; i > 0; i--) yield i
}
