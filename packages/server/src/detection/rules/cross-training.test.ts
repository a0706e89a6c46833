import assert from 'node:assert/strict'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { crossTraining } from './cross-training.ts'

const exchange = { source: 'exchange' as const, sourcePlatformId: 7, terminalId: null, vehicleId: null }

crossTableTest(crossTraining, [
  {
    name: 'classroom hours from another platform while driving a car on the gateway',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00', minutes: 45, session: exchange }),
    ]),
    findings: 1,
    summary: /理论与实操交叉培训：课堂教学（对接平台（平台 7）） 与 实操（计时终端） 重叠 30 分钟/,
    check: ([f]) => {
      assert.equal(f?.sessionId, 2, 'anchored on the theory session')
      assert.equal(f?.subjectKind, 'student')
      assert.equal(f?.vehicleId, 401, 'the vehicle of the practical session')
    },
  },
  {
    name: 'remote learning (mode 4) counts as theory',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00', session: { ...exchange, mode: 4 } }),
    ]),
    findings: 1,
  },
  {
    name: 'the same source is left to student-overlap',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00' }),
    ]),
    findings: 0,
  },
  {
    name: 'simulator (mode 3) and practical are both practical: not cross-training',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('practical', 2, { local: '2026-03-10T10:30:00', session: { ...exchange, mode: 3 } }),
    ]),
    findings: 0,
  },
  {
    name: 'theory before the drive does not overlap',
    facts: crossFacts([
      crossSession('classroom', 2, { local: '2026-03-10T08:00:00', session: exchange }),
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
    ]),
    findings: 0,
  },
  {
    name: 'an overlap below minOverlapMinutes is tolerated',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
      crossSession('classroom', 2, { local: '2026-03-10T10:58:00', session: exchange }),
    ]),
    params: { minOverlapMinutes: 5 },
    findings: 0,
  },
  {
    name: 'a session of unknown mode is not classified',
    facts: crossFacts([
      crossSession('practical', 1, { local: '2026-03-10T10:00:00', session: { mode: null } }),
      crossSession('classroom', 2, { local: '2026-03-10T10:30:00', session: exchange }),
    ]),
    findings: 0,
  },
])
