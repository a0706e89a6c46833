import { classroomSession, practicalSession } from './fixtures.ts'
import { noCoachSignedIn } from './no-coach-signed-in.ts'
import { tableTest } from './testing.ts'

tableTest(noCoachSignedIn, [
  { name: 'a coach signed in', facts: practicalSession() },
  {
    name: 'no coach on a practical session: every minute invalid',
    facts: practicalSession({ minutes: 30, session: { coachId: null }, coach: null }),
    invalid: 'all',
    summary: /实操学时无教练员登录，30 分钟无效/,
  },
  {
    name: 'a classroom session without a coach is not judged by default',
    facts: classroomSession({ minutes: 30, session: { coachId: null }, coach: null }),
  },
  {
    name: 'classroom judged when the policy lists mode 2',
    facts: classroomSession({ minutes: 30, session: { coachId: null }, coach: null }),
    params: { modes: '1,2' },
    invalid: 'all',
  },
  {
    name: 'unknown mode is not judged',
    facts: practicalSession({ minutes: 30, session: { coachId: null, mode: null }, coach: null }),
  },
])
