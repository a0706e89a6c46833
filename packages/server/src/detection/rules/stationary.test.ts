import { classroomSession, patchMinutes, practicalSession, range } from './fixtures.ts'
import { stationary } from './stationary.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 20 })
tableTest(stationary, [
  { name: 'moving every minute', facts: base },
  { name: 'one stopped minute is allowed', facts: patchMinutes(base, [5], { maxSpeedKmh: 0, recordSpeedKmh: 0 }) },
  {
    name: 'two consecutive minutes with max speed 0 (boundary)',
    facts: patchMinutes(base, [5, 6], { maxSpeedKmh: 0 }),
    invalid: [5, 6],
    summary: /1 段连续停车共 2 分钟，最长 2 分钟（阈值 2 分钟）/,
  },
  {
    name: 'recorder speed 0 alone is a sample, not a stop (default)',
    facts: patchMinutes(base, [10, 11, 12], { recordSpeedKmh: 0 }),
  },
  {
    name: 'recorder speed 0 counts as stopped when the policy turns it on',
    facts: patchMinutes(base, [10, 11, 12], { recordSpeedKmh: 0 }),
    params: { useRecordSpeed: true },
    invalid: [10, 11, 12],
  },
  {
    name: 'two runs give one finding',
    facts: patchMinutes(base, [1, 2, 15, 16, 17], { maxSpeedKmh: 0 }),
    invalid: [1, 2, 15, 16, 17],
    findings: 1,
    summary: /2 段连续停车共 5 分钟，最长 3 分钟/,
  },
  {
    name: 'threshold 3: a run of 2 passes, a run of 3 does not',
    facts: patchMinutes(base, [1, 2, 15, 16, 17], { maxSpeedKmh: 0 }),
    params: { maxStopMinutes: 3 },
    invalid: [15, 16, 17],
  },
  {
    name: 'a gap in the minute sequence breaks a run',
    facts: {
      ...patchMinutes(base, [5, 7], { maxSpeedKmh: 0 }),
      minutes: patchMinutes(base, [5, 7], { maxSpeedKmh: 0 }).minutes.filter((_, i) => i !== 6),
    },
  },
  {
    name: 'unknown speeds are not judged',
    facts: patchMinutes(base, range(3, 8), { maxSpeedKmh: null, recordSpeedKmh: null }),
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 10 }) },
])
