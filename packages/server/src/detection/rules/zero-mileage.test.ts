import { classroomSession, patchMinutes, practicalSession } from './fixtures.ts'
import { tableTest } from './testing.ts'
import { zeroMileage } from './zero-mileage.ts'

const base = practicalSession({ minutes: 20 })
tableTest(zeroMileage, [
  { name: 'mileage every minute', facts: base },
  { name: 'one minute without mileage is allowed', facts: patchMinutes(base, [4], { mileageM: 0 }) },
  {
    name: 'two consecutive minutes with mileage 0 (boundary)',
    facts: patchMinutes(base, [4, 5], { mileageM: 0 }),
    invalid: [4, 5],
    summary: /1 段连续里程为 0 共 2 分钟，最长 2 分钟（阈值 2 分钟）/,
  },
  {
    name: 'threshold 4: a run of 3 passes',
    facts: patchMinutes(base, [4, 5, 6], { mileageM: 0 }),
    params: { maxZeroMileageMinutes: 4 },
  },
  {
    name: 'threshold 4: a run of 4 is invalid',
    facts: patchMinutes(base, [4, 5, 6, 7], { mileageM: 0 }),
    params: { maxZeroMileageMinutes: 4 },
    invalid: [4, 5, 6, 7],
  },
  { name: 'unknown mileage is not judged', facts: patchMinutes(base, [4, 5, 6], { mileageM: null }) },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 10 }) },
])
