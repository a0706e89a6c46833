import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { crossChunks } from './batch.ts'

const day = (d: string) => new Date(`${d}T16:00:00Z`)
const show = (chunks: [Date, Date][]) =>
  chunks.map(([a, b]) => `${a.toISOString().slice(5, 10)}..${b.toISOString().slice(5, 10)}`)

describe('cross-rule chunks of a batch window', () => {
  it('a window of up to a week is one chunk', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-08'), 7)), ['03-01..03-08'])
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-02'), 7)), ['03-01..03-02'])
  })
  it('a longer window is cut into weeks sharing one day, the last one shorter', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-20'), 7)), [
      '03-01..03-08',
      '03-07..03-14',
      '03-13..03-20',
    ])
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-16'), 7)), [
      '03-01..03-08',
      '03-07..03-14',
      '03-13..03-16',
    ])
  })
  it('one-day chunks do not overlap and still end', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-04'), 1)), [
      '03-01..03-02',
      '03-02..03-03',
      '03-03..03-04',
    ])
  })
})
