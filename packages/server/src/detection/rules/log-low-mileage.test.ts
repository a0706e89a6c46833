import { classroomSession, patchMinutes, practicalSession, range } from './fixtures.ts'
import { logLowMileage } from './log-low-mileage.ts'
import { tableTest } from './testing.ts'

// 10 minutes; mileage set per minute so that the total is exact.
const withTotal = (perMinute: number | null) =>
  patchMinutes(practicalSession({ minutes: 10 }), range(0, 10), { mileageM: perMinute })

tableTest(logLowMileage, [
  { name: 'a normal log (2 km)', facts: practicalSession({ minutes: 10 }) },
  { name: 'exactly 100 m is enough (boundary)', facts: withTotal(10) },
  {
    name: '90 m: every minute invalid',
    facts: withTotal(9),
    invalid: 'all',
    summary: /教学日志总里程 90 米，低于 100 米，整条日志 10 分钟无效/,
  },
  { name: 'a lower policy threshold', facts: withTotal(9), params: { minMileageM: 90 } },
  {
    name: 'no minute mileage: the reported mileage is used',
    facts: { ...withTotal(null), session: { ...withTotal(null).session, reportedMileageM: 50 } },
    invalid: 'all',
  },
  {
    name: 'no mileage at all is not judged',
    facts: { ...withTotal(null), session: { ...withTotal(null).session, reportedMileageM: null } },
  },
  {
    name: 'an open session is not judged',
    facts: { ...withTotal(0), session: { ...withTotal(0).session, endedAt: null } },
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 10 }) },
])
