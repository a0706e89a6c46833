import assert from 'node:assert/strict'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { studentOverlap } from './student-overlap.ts'

const exchange = { source: 'exchange' as const, sourcePlatformId: 7, terminalId: null }

crossTableTest(studentOverlap, [
  {
    name: 'two practical sessions of one student on two cars at once',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('practical', 2, { local: '2026-03-10T10:20:00', session: { vehicleId: 402, coachId: 302 } }),
    ]),
    findings: 1,
    summary: /学员 3301000000000201 在 10:20–11:00 同时有两段培训：实操（计时终端） 与 实操（计时终端），重叠 40 分钟/,
    check: ([f]) => {
      assert.equal(f?.subjectKind, 'student')
      assert.equal(f?.subjectId, '201')
      assert.equal(f?.sessionId, 2)
    },
  },
  {
    name: 'sessions one after another do not overlap',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('practical', 2, { local: '2026-03-10T11:00:00' }),
    ]),
    findings: 0,
  },
  {
    name: 'different students at the same time',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('practical', 2, { local: '2026-03-10T10:00:00', session: { studentId: 202 } }),
    ]),
    findings: 0,
  },
  {
    name: 'classroom and practical through the same source: reported here',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00' }),
    ]),
    findings: 1,
  },
  {
    name: 'classroom through another platform while practical: left to cross-training',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00', session: exchange }),
    ]),
    findings: 0,
  },
  {
    name: 'two practical sessions from two sources are still an overlap',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('practical', 2, { local: '2026-03-10T10:30:00', session: exchange }),
    ]),
    findings: 1,
    summary: /对接平台（平台 7）/,
  },
  {
    name: 'an open session counts up to its last minute record',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00', minutes: 20, session: { endedAt: null } }),
      crossSession('practical', 2, { local: '2026-03-10T10:19:00', minutes: 20 }),
    ]),
    findings: 1,
    summary: /重叠 1 分钟/,
  },
])
