import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { minuteRecordNo, minutesOf, spread } from './training.ts'

const at = (hhmmss: string) => new Date(`2026-05-06T${hhmmss}Z`)

describe('classrecord minutes', () => {
  const cases: [name: string, start: string, end: string, first: string, count: number][] = [
    ['whole minutes', '00:00:00', '00:45:00', '00:00:00', 45],
    ['seconds on both ends keep the length', '00:00:30', '00:45:30', '00:00:00', 45],
    ['a started minute counts', '00:00:00', '00:45:01', '00:00:00', 46],
    ['a record shorter than a minute has one', '00:10:10', '00:10:40', '00:10:00', 1],
    ['across midnight (UTC 16:00 = Beijing midnight)', '15:50:00', '16:10:00', '15:50:00', 20],
  ]
  for (const [name, start, end, first, count] of cases) {
    test(name, () => {
      const minutes = minutesOf(at(start), at(end))
      assert.equal(minutes.length, count)
      assert.equal(minutes[0]?.toISOString(), at(first).toISOString())
      assert.equal(new Set(minutes.map((m) => m.getTime())).size, count)
    })
  }

  test('mileage is spread without losing a metre', () => {
    assert.deepEqual(spread(1001, 3), [334, 334, 333])
    assert.deepEqual(spread(0, 2), [0, 0])
    assert.equal(
      spread(12_345, 45).reduce((a, b) => a + b, 0),
      12_345,
    )
  })

  test('record numbers of exchange minutes cannot collide with a terminal record number', () => {
    assert.equal(minuteRecordNo('10001', '700001'), 'X10001-700001')
    assert.match(minuteRecordNo('10001', '700001'), /-/)
  })
})
