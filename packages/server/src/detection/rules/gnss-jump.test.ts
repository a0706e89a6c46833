import assert from 'node:assert/strict'
import type { PositionFact, SessionFacts } from '../rule.ts'
import { classroomSession, offsetFromCenter, patchPositions, practicalSession, range } from './fixtures.ts'
import { gnssJump } from './gnss-jump.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 10 })
const far = offsetFromCenter(0, 2_000)
// Two positions only (the first at 60 s, in minute 1), `metres` north apart, `seconds` apart, and no minute fixes.
const pair = (metres: number, seconds: number): SessionFacts => {
  const noFix = { ...base, minutes: base.minutes.map((m) => ({ ...m, lng: null, lat: null })) }
  const p0 = base.positions[4]!
  const [lng, lat] = offsetFromCenter(0, 0)
  const [lng2, lat2] = offsetFromCenter(0, metres)
  const p: PositionFact[] = [
    { ...p0, lng, lat },
    { ...p0, lng: lng2, lat: lat2, fixedAt: new Date(p0.fixedAt.getTime() + seconds * 1000) },
  ]
  return { ...noFix, positions: p }
}

tableTest(gnssJump, [
  { name: 'a smooth track', facts: base },
  {
    name: 'one position 2 km away: jump there and back, minutes 4 and 5 invalid',
    facts: patchPositions(base, [20], { lng: far[0], lat: far[1] }),
    invalid: [4, 5],
    summary: /2 处轨迹瞬移，最大推算速度 \d+ km\/h（阈值 150 km\/h，距离不小于 100 米）/,
    check: (r) => assert.equal(r.findings[0]!.evidence.positions?.length, 4),
  },
  {
    name: 'reported but not invalidated when the policy says so',
    facts: patchPositions(base, [20], { lng: far[0], lat: far[1] }),
    params: { invalidateMinutes: false },
    findings: 1,
  },
  { name: '2 495 m in 60 s (≈ 149.7 km/h) is not a jump', facts: pair(2_500, 60) },
  { name: '2 522 m in 60 s (≈ 151 km/h) is a jump', facts: pair(2_525, 60), invalid: [1, 2], findings: 1 },
  { name: 'a higher threshold', facts: pair(2_525, 60), params: { maxImpliedSpeedKmh: 200 } },
  { name: '90 m in 1 s is GNSS noise (below minJumpM)', facts: pair(90, 1) },
  { name: '110 m in 1 s is a jump', facts: pair(110, 1), invalid: [1], findings: 1 },
  { name: 'two places at the same instant', facts: pair(500, 0), invalid: [1], summary: /同一时刻两地/ },
  {
    name: 'positions without a fix (定位 off) are ignored',
    facts: patchPositions(base, [20], { lng: far[0], lat: far[1], located: false }),
  },
  {
    name: 'a minute fix far away is a jump too',
    facts: { ...base, minutes: base.minutes.map((m, i) => (i === 7 ? { ...m, lng: far[0], lat: far[1] } : m)) },
    invalid: [7],
    check: (r) => assert.equal(r.invalidMinutes.length, range(7, 8).length),
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 5 }) },
])
