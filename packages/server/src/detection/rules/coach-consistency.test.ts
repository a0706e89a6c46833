import assert from 'node:assert/strict'
import { coachConsistency } from './coach-consistency.ts'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { patchMinutes, range } from './fixtures.ts'

const clean = crossSession('practical', 1, { local: '2026-03-10T10:00:00' })
const signedBy = (coachId: number) => patchMinutes(clean, range(0, 60), { coachId })

crossTableTest(coachConsistency, [
  { name: 'minutes name the signed-in coach', facts: crossFacts([signedBy(301)]), findings: 0 },
  { name: 'minutes that name no coach are not judged', facts: crossFacts([clean]), findings: 0 },
  {
    name: 'ten minutes recorded by another coach → one finding on the session',
    facts: crossFacts([patchMinutes(signedBy(301), range(20, 30), { coachId: 305 })]),
    findings: 1,
    summary: /课堂 1 登录教练员为 3301000000000301，但 10 分钟学时记录的是其他教练员（305）：10:20–10:29/,
    check: ([f]) => {
      assert.equal(f?.key, 'minute-coach')
      assert.equal(f?.evidence.minutes?.length, 10)
    },
  },
  {
    name: 'fewer mismatched minutes than minMismatchedMinutes are tolerated',
    facts: crossFacts([patchMinutes(signedBy(301), range(20, 22), { coachId: 305 })]),
    params: { minMismatchedMinutes: 3 },
    findings: 0,
  },
  {
    name: 'a coach of another institution teaching two sessions in a day → one cross-school finding',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00', coach: { institutionId: 502 } }),
      crossSession('practical', 2, { local: '2026-03-10T14:00:00', coach: { institutionId: 502 } }),
    ]),
    findings: 1,
    summary: /教练员 3301000000000301（供职机构 502）在 2026-03-10 为机构 501 带教 2 节课（跨校带教）/,
    check: ([f]) => {
      assert.equal(f?.subjectKind, 'coach')
      assert.deepEqual(f?.evidence.sessions, [1, 2])
    },
  },
  {
    name: 'cross-school teaching on two days → one finding per day',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00', coach: { institutionId: 502 } }),
      crossSession('practical', 2, { local: '2026-03-11T10:00:00', coach: { institutionId: 502 } }),
    ]),
    findings: 2,
  },
  {
    name: 'an unregistered coach is left to the coach qualification rule',
    facts: crossFacts([crossSession('practical', 1, { local: '2026-03-10T10:00:00', coach: null })]),
    findings: 0,
  },
])
