import assert from 'node:assert/strict'
import { coachTwoVehicles } from './coach-two-vehicles.ts'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'

const car = (id: number, local: string, vehicleId: number, extra: Parameters<typeof crossSession>[2] = {}) =>
  crossSession('practical', id, {
    local,
    minutes: 60,
    ...extra,
    session: { vehicleId, terminalId: 100 + vehicleId, studentId: 200 + id, ...(extra.session ?? {}) },
  })

crossTableTest(coachTwoVehicles, [
  {
    name: 'one coach, two cars, 30 minutes overlap → one finding on the coach',
    facts: crossFacts([car(1, '2026-03-10T10:00:00', 401), car(2, '2026-03-10T10:30:00', 402)]),
    findings: 1,
    summary: /教练员 3301000000000301 在 10:30–11:00 同时在 .+ 上带教，重叠 30 分钟/,
    check: ([f]) => {
      assert.equal(f?.subjectKind, 'coach')
      assert.equal(f?.subjectId, '301')
      assert.equal(f?.sessionId, 2)
      assert.deepEqual(f?.evidence.sessions, [1, 2])
      assert.equal(f?.key, '1-2')
    },
  },
  {
    name: 'back-to-back sessions on two cars do not overlap',
    facts: crossFacts([car(1, '2026-03-10T10:00:00', 401), car(2, '2026-03-10T11:00:00', 402)]),
    findings: 0,
  },
  {
    name: 'the same car (two students one after another, overlapping by a minute of logout) is not two vehicles',
    facts: crossFacts([car(1, '2026-03-10T10:00:00', 401), car(2, '2026-03-10T10:59:00', 401)]),
    findings: 0,
  },
  {
    name: 'different coaches on the two cars',
    facts: crossFacts([
      car(1, '2026-03-10T10:00:00', 401),
      car(2, '2026-03-10T10:30:00', 402, { session: { coachId: 302 } }),
    ]),
    findings: 0,
  },
  {
    name: 'an overlap shorter than minOverlapMinutes is tolerated',
    facts: crossFacts([car(1, '2026-03-10T10:00:00', 401), car(2, '2026-03-10T10:58:00', 402)]),
    params: { minOverlapMinutes: 3 },
    findings: 0,
  },
  {
    name: 'three cars at once → three pairs',
    facts: crossFacts([
      car(1, '2026-03-10T10:00:00', 401),
      car(2, '2026-03-10T10:10:00', 402),
      car(3, '2026-03-10T10:20:00', 403),
    ]),
    findings: 3,
  },
  {
    name: 'a classroom session of the coach is not a vehicle',
    facts: crossFacts([
      car(1, '2026-03-10T10:00:00', 401),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00', session: { studentId: 299 } }),
    ]),
    findings: 0,
  },
])
