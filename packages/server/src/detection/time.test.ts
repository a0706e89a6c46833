import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clockMinutes, inWindows, localDay, localMidnight, localMinuteOfDay } from './time.ts'

test('the local day turns at Beijing midnight, 16:00 UTC', () => {
  assert.equal(localDay(new Date('2026-03-01T15:59:00Z')), '2026-03-01')
  assert.equal(localDay(new Date('2026-03-01T16:00:00Z')), '2026-03-02')
  assert.equal(localMidnight('2026-03-02').toISOString(), '2026-03-01T16:00:00.000Z')
  assert.equal(localMinuteOfDay(new Date('2026-03-01T22:30:00Z')), 6 * 60 + 30)
})

test('windows include their start, exclude their end, and may wrap midnight', () => {
  const day = [{ from: '06:00', to: '22:00' }]
  assert.equal(inWindows(new Date('2026-03-01T22:00:00Z'), day), true) // 06:00 local
  assert.equal(inWindows(new Date('2026-03-01T21:59:00Z'), day), false) // 05:59
  assert.equal(inWindows(new Date('2026-03-01T14:00:00Z'), day), false) // 22:00
  const night = [{ from: '22:00', to: '02:00' }]
  assert.equal(inWindows(new Date('2026-03-01T17:00:00Z'), night), true) // 01:00
  assert.equal(inWindows(new Date('2026-03-01T19:00:00Z'), night), false) // 03:00
  assert.equal(inWindows(new Date('2026-03-01T15:00:00Z'), [{ from: '00:00', to: '24:00' }]), true)
})

test('a malformed clock matches nothing', () => {
  assert.ok(Number.isNaN(clockMinutes('7:00')))
  assert.ok(Number.isNaN(clockMinutes('24:30')))
  assert.equal(inWindows(new Date(), [{ from: 'x', to: '24:00' }]), false)
})
