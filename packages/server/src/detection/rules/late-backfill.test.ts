import { patchMinutes, practicalSession } from './fixtures.ts'
import { lateBackfill } from './late-backfill.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 10 })
const HOUR = 3_600_000
const late = (hours: number, indexes: number[], backfill = true) => ({
  ...base,
  minutes: base.minutes.map((m, i) =>
    indexes.includes(i) ? { ...m, backfill, arrivedAt: new Date(m.minuteAt.getTime() + hours * HOUR) } : m,
  ),
})

tableTest(lateBackfill, [
  { name: 'minutes arriving a minute later', facts: base },
  { name: 'a backfill 24 h late is on time (boundary)', facts: late(24, [1]) },
  {
    name: 'a backfill 25 h late: finding, minutes still valid by default',
    facts: late(25, [1, 2]),
    invalid: [],
    findings: 1,
    summary: /2 分钟补传学时迟到，最长 25\.0 小时（阈值 24 小时）/,
  },
  {
    name: 'invalidated when the policy says so',
    facts: late(25, [1, 2]),
    params: { invalidateMinutes: true },
    invalid: [1, 2],
  },
  { name: 'a shorter threshold', facts: late(7, [3]), params: { maxDelayHours: 6 }, findings: 1 },
  { name: 'a late minute not flagged as backfill is not judged', facts: late(48, [3], false) },
  { name: 'a fixture backfill flag alone is not late', facts: patchMinutes(base, [3], { backfill: true }) },
])
