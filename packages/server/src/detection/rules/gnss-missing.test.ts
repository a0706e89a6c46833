import assert from 'node:assert/strict'
import { classroomSession, patchMinutes, patchPositions, practicalSession, range } from './fixtures.ts'
import { gnssMissing } from './gnss-missing.ts'
import { tableTest } from './testing.ts'

// 20 minutes, a position every 15 s (index i at i × 15 s).
const base = practicalSession({ minutes: 20 })
const at = (seconds: number) => seconds / 15

tableTest(gnssMissing, [
  { name: 'a fix every minute and a position every 15 s', facts: base },
  { name: 'one minute without a fix is tolerated', facts: patchMinutes(base, [5], { lng: null, lat: null }) },
  {
    name: 'two consecutive minutes without a fix (boundary)',
    facts: patchMinutes(base, [5, 6], { lng: null, lat: null }),
    invalid: [5, 6],
    summary: /1 段连续无定位，最长 2 分钟（阈值 2 分钟）/,
  },
  {
    name: 'a threshold of 3 tolerates 2',
    facts: patchMinutes(base, [5, 6], { lng: null, lat: null }),
    params: { minMissingMinutes: 3 },
  },
  { name: 'a 0,0 fix is no fix', facts: patchMinutes(base, [5, 6, 7], { lng: 0, lat: 0 }), invalid: [5, 6, 7] },
  {
    name: 'positions reporting 定位 off make the minute unlocated',
    facts: patchPositions(base, range(at(600), at(720)), { located: false }),
    invalid: [10, 11],
  },
  {
    name: 'no position for 180 s: minutes whose second 30 is in the gap',
    facts: patchPositions(base, range(at(615), at(780)), null),
    invalid: [10, 11, 12],
    summary: /1 段位置汇报中断，最长 180 秒（阈值 120 秒）/,
    check: (r) =>
      assert.deepEqual(
        r.findings[0]!.evidence.positions?.map((p) => p.fixedAt),
        [600, 780].map((sec) => new Date(base.session.startedAt.getTime() + sec * 1000).toISOString()),
      ),
  },
  {
    name: 'a gap of exactly 120 s is tolerated (boundary)',
    facts: patchPositions(base, range(at(615), at(720)), null),
  },
  {
    name: 'a stricter gap of 100 s',
    facts: patchPositions(base, range(at(615), at(720)), null),
    params: { maxPositionGapSeconds: 100 },
    invalid: [10, 11],
  },
  { name: 'no position at all: every minute', facts: { ...base, positions: [] }, invalid: 'all' },
  {
    name: 'reported without invalidating when the policy says so',
    facts: { ...base, positions: [] },
    params: { invalidateMinutes: false },
    findings: 1,
  },
  {
    name: 'exchange records carry no GNSS and are not judged',
    facts: { ...base, positions: [], session: { ...base.session, source: 'exchange', terminalId: null } },
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 10 }) },
])
