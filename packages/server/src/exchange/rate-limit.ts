/**
 * Token bucket per timing platform, kept in the memory of one process: each API process enforces
 * the rate on its own, so N processes behind a load balancer admit up to N times the configured
 * rate. The clock is injected so the bucket is testable without waiting.
 */
export interface RateLimiter {
  /** Takes one token for `key`; returns 0 when admitted, else the milliseconds until a token is free. */
  take(key: string | number): number
  readonly perSecond: number
  readonly burst: number
}

export function createRateLimiter(perSecond: number, burst: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string | number, { tokens: number; at: number }>()
  return {
    perSecond,
    burst,
    take(key) {
      const t = now()
      const bucket = buckets.get(key) ?? { tokens: burst, at: t }
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond)
      bucket.at = t
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000)
    },
  }
}
