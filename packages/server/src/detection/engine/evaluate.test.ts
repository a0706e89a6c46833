/**
 * The pure evaluation step: which rules run under a policy, with which parameters; how minute
 * verdicts of several rules combine; what a finding carries; a failing rule does not stop others.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DETECTION_DEFAULT, type DetectionPolicy } from '../../policy/detection.ts'
import type { PolicyVersion } from '../../policy/store.ts'
import { SYLLABUS_2016 } from '../../policy/syllabus.ts'
import type { CrossRule, FindingDraft, SessionFacts, SessionRule } from '../rule.ts'
import { crossFacts, crossSession } from '../rules/cross-testing.ts'
import { practicalSession } from '../rules/fixtures.ts'
import { activeRules, evaluateCross, evaluateSession } from './evaluate.ts'
import type { LoadedSession } from './facts.ts'

const version = <K extends 'detection' | 'syllabus'>(kind: K, body: unknown, v = 1) =>
  ({ kind, version: v, effectiveFrom: new Date(0), body, note: null, createdAt: new Date(0) }) as PolicyVersion<K>

function loaded(facts: SessionFacts, policy: DetectionPolicy = DETECTION_DEFAULT): LoadedSession {
  return { facts, detection: version('detection', policy, 3), syllabus: version('syllabus', SYLLABUS_2016, 2) }
}

/** A rule that invalidates the minutes at the given indexes with its own id. */
function marks(
  id: string,
  indexes: number[],
  options: { invalidates?: boolean; threshold?: number } = {},
): SessionRule {
  return {
    id,
    version: 4,
    title: { zh: id, en: id },
    severity: 'low',
    requirements: ['M2'],
    basis: 'test',
    scope: 'session',
    invalidates: options.invalidates ?? true,
    params: { threshold: { default: options.threshold ?? 1, description: '阈值' } },
    evaluate(facts, params) {
      const minutes = indexes.map((i) => facts.minutes[i]!)
      return {
        invalidMinutes: minutes.map((m) => ({ recordNo: m.recordNo, minuteAt: m.minuteAt, reason: id })),
        findings: [
          {
            subjectKind: 'session',
            subjectId: String(facts.session.id),
            sessionId: facts.session.id,
            occurredAt: facts.session.startedAt,
            summary: `threshold ${params.threshold}`,
            evidence: { sessions: [facts.session.id] },
            key: 'k',
          },
        ],
      }
    },
  }
}

const failing: SessionRule = {
  ...marks('boom', []),
  evaluate: () => {
    throw new Error('broken rule')
  },
}

describe('session evaluation', () => {
  const facts = practicalSession({ minutes: 5 })

  it('unions the reasons of every invalidating rule, sorted and unique; other minutes are valid', () => {
    const verdict = evaluateSession(loaded(facts), [marks('zeta', [0, 1]), marks('alpha', [1, 2]), marks('alpha', [2])])
    assert.deepEqual(
      verdict.minutes.map((m) => [m.valid, m.reasons]),
      [
        [false, ['zeta']],
        [false, ['alpha', 'zeta']],
        [false, ['alpha']],
        [true, []],
        [true, []],
      ],
    )
    assert.equal(verdict.syllabusVersion, 2)
    assert.equal(verdict.detectionVersion, 3)
  })

  it('a finding-only rule never invalidates, even when it returns minutes', () => {
    const verdict = evaluateSession(loaded(facts), [marks('soft', [0], { invalidates: false })])
    assert.ok(verdict.minutes.every((m) => m.valid))
    assert.equal(verdict.findings.length, 1)
  })

  it('a disabled rule does not run; policy parameters override the defaults', () => {
    const policy: DetectionPolicy = {
      ...DETECTION_DEFAULT,
      rules: { off: { enabled: false, params: {} }, on: { enabled: true, params: { threshold: 9 } } },
    }
    const verdict = evaluateSession(loaded(facts, policy), [marks('off', [0]), marks('on', [])])
    assert.deepEqual(
      verdict.findings.map((f) => f.ruleId),
      ['on'],
    )
    const f = verdict.findings[0]!
    assert.equal(f.summary, 'threshold 9')
    assert.deepEqual(f.params, { threshold: 9 })
    assert.equal(f.ruleVersion, 4)
    assert.equal(f.policyVersion, 3)
    assert.equal(f.dedupeKey, `on:session:${facts.session.id}:k`)
    assert.equal(f.cityCode, facts.session.cityCode)
    assert.equal(f.countyCode, facts.session.countyCode)
    assert.equal(f.institutionId, facts.session.institutionId)
    assert.equal(f.studentId, facts.session.studentId)
    assert.equal(f.detectedBy, 'stream')
    assert.ok(verdict.minutes.every((m) => m.valid))
  })

  it('a rule that throws is reported and the others still run', () => {
    const verdict = evaluateSession(loaded(facts), [failing, marks('fine', [4])])
    assert.deepEqual(verdict.errors, [{ ruleId: 'boom', sessionId: facts.session.id, message: 'broken rule' }])
    assert.equal(verdict.minutes[4]?.valid, false)
  })

  it('activeRules keeps the scope asked for', () => {
    assert.deepEqual(
      activeRules([marks('a', []), marks('b', [])], DETECTION_DEFAULT, 'cross').map((r) => r.rule.id),
      [],
    )
  })
})

describe('cross evaluation', () => {
  const draft = (patch: Partial<FindingDraft>): FindingDraft => ({
    subjectKind: 'student',
    subjectId: '201',
    sessionId: null,
    occurredAt: new Date(0),
    summary: 's',
    evidence: {},
    key: 'x',
    ...patch,
  })
  const rule = (drafts: FindingDraft[]): CrossRule => ({
    id: 'pair',
    version: 1,
    title: { zh: 'p', en: 'p' },
    severity: 'high',
    requirements: ['M6'],
    basis: 'test',
    scope: 'cross',
    reach: 'student',
    params: {},
    evaluate: () => drafts,
  })
  const facts = crossFacts([
    crossSession('practical', 1, { local: '2026-03-10T10:00:00' }),
    crossSession('practical', 2, { local: '2026-03-10T14:00:00', session: { countyCode: '330110' } }),
  ])

  it('places a finding in its anchor session’s jurisdiction, else in its student’s latest session, else not at all', () => {
    const verdict = evaluateCross(
      facts,
      [
        rule([
          draft({ sessionId: 1, key: 'a' }),
          draft({ studentId: 201, key: 'b' }),
          draft({ studentId: 999, subjectId: '999', key: 'c' }),
        ]),
      ],
      version('detection', DETECTION_DEFAULT, 5),
    )
    assert.deepEqual(
      verdict.findings.map((f) => [f.key, f.sessionId, f.countyCode, f.policyVersion, f.detectedBy]),
      [
        ['a', 1, '330106', 5, 'batch'],
        ['b', 2, '330110', 5, 'batch'],
      ],
    )
    assert.equal(verdict.unplaced, 1)
  })

  it('one finding per dedupe key', () => {
    const verdict = evaluateCross(
      facts,
      [rule([draft({ sessionId: 1 }), draft({ sessionId: 2 })])],
      version('detection', DETECTION_DEFAULT),
    )
    assert.equal(verdict.findings.length, 1)
  })
})

describe('rules that judge the others', () => {
  it('low-valid-share runs after the other rules, whatever their order, and sees their verdicts', async () => {
    const { lowValidShare } = await import('../rules/low-valid-share.ts')
    const facts = practicalSession()
    const total = facts.minutes.length
    // Invalidate just over a quarter of the minutes: the valid share falls under 75 %.
    const bad = Array.from({ length: Math.floor(total / 4) + 1 }, (_, i) => i)
    const verdict = evaluateSession(loaded(facts), [lowValidShare, marks('first', bad)])
    const share = verdict.findings.find((f) => f.ruleId === 'low-valid-share')
    assert.ok(share, 'low-valid-share raised a finding')
    assert.equal(share.evidence.details?.validMinutes, total - bad.length)
    // With only a few invalid minutes the share stays above the minimum: no finding.
    const fine = evaluateSession(loaded(facts), [lowValidShare, marks('first', [0, 1])])
    assert.equal(
      fine.findings.some((f) => f.ruleId === 'low-valid-share'),
      false,
    )
  })
})
