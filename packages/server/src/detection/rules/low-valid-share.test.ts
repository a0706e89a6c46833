import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MinuteVerdict, SessionFacts } from '../rule.ts'
import { practicalSession, range } from './fixtures.ts'
import { lowValidShare, RUN_AFTER_OTHER_RULES, withPriorVerdicts } from './low-valid-share.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 60 })
const invalid = (facts: SessionFacts, indexes: number[], reason = 'stationary'): MinuteVerdict[] =>
  indexes.map((i) => ({ recordNo: facts.minutes[i]!.recordNo, minuteAt: facts.minutes[i]!.minuteAt, reason }))

tableTest(lowValidShare, [
  { name: 'no earlier verdicts: not judged', facts: base },
  { name: 'all valid', facts: withPriorVerdicts(base, []) },
  { name: '45 of 60 valid is exactly 75 % (boundary)', facts: withPriorVerdicts(base, invalid(base, range(0, 15))) },
  {
    name: '44 of 60 valid: finding, credit 44/45',
    facts: withPriorVerdicts(base, invalid(base, range(0, 16))),
    findings: 1,
    summary: /有效分钟 44\/60（73\.3%），低于 75\.0%；按 97\.8% 折算学时/,
  },
  {
    name: 'a minute invalid for two reasons counts once',
    facts: withPriorVerdicts(base, [...invalid(base, range(0, 15)), ...invalid(base, range(0, 15), 'engine-off')]),
  },
  {
    name: 'an open session is not judged',
    facts: withPriorVerdicts({ ...base, session: { ...base.session, endedAt: null } }, invalid(base, range(0, 30))),
  },
  {
    name: 'the threshold is the syllabus policy version’s',
    facts: withPriorVerdicts(
      { ...base, syllabus: { ...base.syllabus, minValidShare: 0.8 } },
      invalid(base, range(0, 13)),
    ),
    findings: 1,
  },
])

describe('low-valid-share ordering', () => {
  it('is marked to run after the other rules and invalidates nothing', () => {
    assert.ok(RUN_AFTER_OTHER_RULES.has(lowValidShare.id))
    assert.equal(lowValidShare.invalidates, false)
  })
})
