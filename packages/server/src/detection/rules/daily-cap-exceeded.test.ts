import assert from 'node:assert/strict'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { dailyCapExceeded } from './daily-cap-exceeded.ts'

const exchange = { source: 'exchange' as const, sourcePlatformId: 7, terminalId: null }

crossTableTest(dailyCapExceeded, [
  {
    name: 'exactly 4 practical hours in a day is within the cap',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 120 }),
      crossSession('practical', 2, { local: '2026-03-10T14:00:00', minutes: 120 }),
    ]),
    findings: 0,
  },
  {
    name: 'five practical hours across two sources → one finding, 60 minutes over',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 180 }),
      crossSession('practical', 2, { local: '2026-03-10T14:00:00', minutes: 120, session: exchange }),
    ]),
    findings: 1,
    summary: /2026-03-10 实操（实车、模拟）培训 300 分钟，超过每日上限 240 分钟（4 学时）60 分钟：15:00–15:59/,
    check: ([f]) => {
      assert.equal(f?.sessionId, 2, 'anchored on the session holding the first minute over the cap')
      assert.deepEqual(f?.evidence.sessions, [1, 2])
      assert.equal(f?.evidence.minutes?.length, 60)
      assert.equal(f?.key, '2026-03-10:practical')
    },
  },
  {
    name: 'classroom and practical have separate caps',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 240 }),
      crossSession('classroom', 2, { local: '2026-03-10T14:00:00', minutes: 240 }),
    ]),
    findings: 0,
  },
  {
    name: 'a session crossing midnight splits its minutes between two local days (150 + 90 on the first)',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T18:00:00', minutes: 150 }),
      crossSession('practical', 2, { local: '2026-03-10T22:30:00', minutes: 120 }),
    ]),
    findings: 0,
  },
  {
    name: 'the same minutes recorded twice (overlapping sessions) count once',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 200 }),
      crossSession('practical', 2, { local: '2026-03-10T08:00:00', minutes: 200, session: exchange }),
    ]),
    findings: 0,
  },
  {
    name: 'the tolerance absorbs a small excess',
    facts: crossFacts([crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 250 })]),
    params: { toleranceMinutes: 10 },
    findings: 0,
  },
  {
    name: 'two students each over the cap → one finding each',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T08:00:00', minutes: 250 }),
      crossSession('practical', 2, { local: '2026-03-10T08:00:00', minutes: 250, session: { studentId: 202 } }),
    ]),
    findings: 2,
  },
])
