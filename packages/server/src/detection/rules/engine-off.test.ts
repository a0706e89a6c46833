import { engineOff } from './engine-off.ts'
import { classroomSession, patchMinutes, practicalSession } from './fixtures.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 10 })
tableTest(engineOff, [
  { name: 'engine running every minute', facts: base },
  {
    name: 'rpm 0 in two minutes',
    facts: patchMinutes(base, [3, 7], { engineRpm: 0 }),
    invalid: [3, 7],
    summary: /2 分钟发动机转速 ≤ 0 r\/min/,
  },
  { name: 'unknown rpm is not judged', facts: patchMinutes(base, [3], { engineRpm: null }) },
  { name: 'rpm 1 is running at the default', facts: patchMinutes(base, [3], { engineRpm: 1 }) },
  {
    name: 'a higher threshold counts idling-low rpm as off (boundary: equal is off)',
    facts: patchMinutes(patchMinutes(base, [2], { engineRpm: 300 }), [4], { engineRpm: 301 }),
    params: { maxOffRpm: 300 },
    invalid: [2],
  },
  {
    name: 'classroom minutes are not judged',
    facts: patchMinutes(classroomSession({ minutes: 5 }), [0], { engineRpm: 0 }),
  },
])
