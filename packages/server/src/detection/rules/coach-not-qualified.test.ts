import { coachNotQualified } from './coach-not-qualified.ts'
import { classroomSession, practicalSession } from './fixtures.ts'
import { tableTest } from './testing.ts'

tableTest(coachNotQualified, [
  { name: 'a filed coach permitted to teach C1 is fine', facts: practicalSession() },
  {
    name: 'a coach not in the registry invalidates every minute',
    facts: practicalSession({ minutes: 10, coach: null }),
    invalid: 'all',
    summary: /教练员不在备案库中，10 分钟无效/,
  },
  {
    name: 'a coach not filed',
    facts: practicalSession({ minutes: 10, coach: { filed: false } }),
    invalid: 'all',
    summary: /未备案/,
  },
  {
    name: 'a blacklisted coach',
    facts: practicalSession({ minutes: 10, coach: { blacklisted: true } }),
    invalid: 'all',
    summary: /黑名单/,
  },
  {
    name: '准教车型 without the licence type',
    facts: practicalSession({ minutes: 10, coach: { teachPermitted: ['A1', 'B2'] } }),
    invalid: 'all',
    summary: /培训车型 C1 不在教练员 \d+ 的准教车型（A1、B2）内/,
  },
  {
    name: '准教车型 is not checked for classroom by default',
    facts: classroomSession({ minutes: 10, coach: { teachPermitted: [] } }),
  },
  {
    name: '准教车型 is checked for classroom when the policy lists mode 2',
    facts: classroomSession({ minutes: 10, coach: { teachPermitted: [] } }),
    params: { teachPermittedModes: '1,2,3' },
    invalid: 'all',
  },
  {
    name: 'no coach signed in is left to no-coach-signed-in',
    facts: practicalSession({ minutes: 10, session: { coachId: null }, coach: null }),
  },
])
