import { classroomSession, practicalSession, range } from './fixtures.ts'
import { tableTest } from './testing.ts'
import { vehicleNotQualified } from './vehicle-not-qualified.ts'

// The fixture session starts 2026-03-10 10:00 Beijing time.
tableTest(vehicleNotQualified, [
  { name: 'a filed C1 car with a valid inspection is fine', facts: practicalSession() },
  {
    name: 'a practical session without a car',
    facts: practicalSession({ minutes: 5, session: { vehicleId: null }, vehicle: null }),
    invalid: 'all',
    summary: /未关联教练车/,
  },
  {
    name: 'a car not in the registry',
    facts: practicalSession({ minutes: 5, vehicle: null }),
    invalid: 'all',
    summary: /不在备案库/,
  },
  { name: 'a car not filed', facts: practicalSession({ minutes: 5, vehicle: { filed: false } }), invalid: 'all' },
  {
    name: 'a C2 car for a C1 course',
    facts: practicalSession({ minutes: 5, vehicle: { vehicleType: 'C2' } }),
    invalid: 'all',
    summary: /车型 C2 与培训车型 C1 不符/,
  },
  {
    name: 'type mismatch allowed by the policy',
    facts: practicalSession({ minutes: 5, vehicle: { vehicleType: 'C2' } }),
    params: { typeMustMatch: false },
  },
  {
    name: 'inspection valid through the training day',
    facts: practicalSession({ minutes: 5, vehicle: { inspectionValidUntil: '2026-03-10' } }),
  },
  {
    name: 'inspection expired the day before',
    facts: practicalSession({ minutes: 5, vehicle: { inspectionValidUntil: '2026-03-09' } }),
    invalid: 'all',
    summary: /检验有效期至 2026-03-09（宽限 0 天）/,
  },
  {
    name: 'inspection expired the day before, within a 1-day grace',
    facts: practicalSession({ minutes: 5, vehicle: { inspectionValidUntil: '2026-03-09' } }),
    params: { inspectionGraceDays: 1 },
  },
  {
    name: 'inspection expiring at local midnight during a session: only the minutes after it',
    facts: practicalSession({
      minutes: 4,
      startAt: new Date('2026-03-10T23:58:00+08:00'),
      vehicle: { inspectionValidUntil: '2026-03-10' },
    }),
    invalid: range(2, 4),
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 5 }) },
])
