/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) and the helpers the
 * demo generator needs. Same seed → same sequence on every platform; no dependency.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number
  /** Uniform float in [min, max). */
  float(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T
  /** Approximately normal (sum of three uniforms), clamped to [min, max]. */
  around(mean: number, spread: number, min: number, max: number): number
  /** A fresh generator derived from this one and `salt`, independent of later draws here. */
  fork(salt: number): Rng
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = () => {
    // sfc32
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as never,
    weighted(items) {
      let total = 0
      for (const [, w] of items) total += w
      let r = next() * total
      for (const [value, w] of items) {
        r -= w
        if (r < 0) return value
      }
      return (items[items.length - 1] as readonly [never, number])[0]
    },
    around(mean, spread, min, max) {
      const u = (next() + next() + next()) / 3 - 0.5
      return Math.min(max, Math.max(min, mean + u * 2 * spread))
    },
    fork: (salt) => createRng((Math.floor(next() * 4294967296) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0),
  }
  return rng
}
