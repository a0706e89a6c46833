import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRateLimiter } from './rate-limit.ts'

describe('exchange rate limiter (token bucket per platform)', () => {
  test('admits the burst, then refuses with the wait until the next token', () => {
    let now = 0
    const limiter = createRateLimiter(2, 3, () => now)
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('p1')),
      [0, 0, 0, 500],
    )
    now = 500
    assert.equal(limiter.take('p1'), 0)
    assert.equal(limiter.take('p1'), 500)
  })

  test('platforms have separate buckets', () => {
    const limiter = createRateLimiter(1, 1, () => 0)
    assert.equal(limiter.take(1), 0)
    assert.equal(limiter.take(2), 0)
    assert.equal(limiter.take(1), 1000)
  })

  test('a bucket refills up to its capacity, never beyond', () => {
    let now = 0
    const limiter = createRateLimiter(10, 2, () => now)
    now = 60_000
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('p')),
      [0, 0, 100],
    )
  })
})
