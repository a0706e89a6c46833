/**
 * Table-driven tests of cross rules: each case builds CrossFacts from fixture sessions (fixtures.ts)
 * and expects a number of findings, a summary and, optionally, more checks. `crossSession` gives
 * every session its own id and its own photos (the fixtures number photos alike in every session,
 * which would look like reused photos).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SYLLABUS_2016 } from '../../policy/syllabus.ts'
import {
  type CrossFacts,
  type CrossRule,
  type FindingDraft,
  type ParamValues,
  resolveParams,
  type SessionFacts,
} from '../rule.ts'
import { classroomSession, practicalSession, type SessionOptions } from './fixtures.ts'

/** A deterministic 64-bit hex hash of a number. */
export function hexHash(n: number): string {
  let a = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0
  let b = Math.imul((n + 0x7f4a7c15) ^ (a >>> 13), 0xc2b2ae35) >>> 0
  a = Math.imul(a ^ (b >>> 16), 0x27d4eb2f) >>> 0
  b = Math.imul(b ^ (a >>> 15), 0x165667b1) >>> 0
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
}

/** A fixture session with id `id` whose photos have ids id*100+i and hashes of their own. */
export function crossSession(
  kind: 'practical' | 'classroom',
  id: number,
  options: SessionOptions & { local?: string } = {},
): SessionFacts {
  const startAt = options.local ? new Date(`${options.local}+08:00`) : options.startAt
  const base = (kind === 'practical' ? practicalSession : classroomSession)({
    ...options,
    ...(startAt ? { startAt } : {}),
    session: { id, ...(options.session ?? {}) },
  })
  return {
    ...base,
    minutes: base.minutes.map((m) => ({ ...m, sessionId: id })),
    photos: base.photos.map((p, i) => {
      const photoId = id * 100 + i
      return { ...p, id: photoId, sha256: hexHash(photoId).repeat(4), phash: hexHash(photoId + 7) }
    }),
  }
}

export function crossFacts(sessions: SessionFacts[], extra: Partial<CrossFacts> = {}): CrossFacts {
  const times = sessions.map((s) => s.session.startedAt.getTime())
  return {
    from: new Date(Math.min(...times, Date.UTC(2026, 2, 9))),
    to: new Date(Math.max(...times, Date.UTC(2026, 2, 9)) + 86_400_000),
    sessions,
    exams: [],
    credits: [],
    syllabus: SYLLABUS_2016,
    now: new Date('2026-04-01T00:00:00Z'),
    ...extra,
  }
}

export interface CrossCase {
  name: string
  facts: CrossFacts
  params?: ParamValues
  findings: number
  summary?: RegExp
  check?: (findings: FindingDraft[]) => void
}

export function crossTableTest(rule: CrossRule, cases: CrossCase[]): void {
  describe(`rule ${rule.id}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const findings = rule.evaluate(c.facts, resolveParams(rule, c.params))
        assert.equal(findings.length, c.findings, `findings: ${findings.map((f) => f.summary).join(' | ')}`)
        const keys = findings.map((f) => `${f.subjectKind}:${f.subjectId}:${f.key}`)
        assert.equal(new Set(keys).size, keys.length, 'one finding per subject and key')
        for (const f of findings) {
          if (c.summary) assert.match(f.summary, c.summary)
          assert.ok(f.key.length > 0)
          assert.ok(f.sessionId !== null, 'a cross finding is anchored on a session')
          assert.ok(f.evidence.sessions?.includes(f.sessionId as number), 'its anchor session is evidence')
        }
        c.check?.(findings)
      })
    }
  })
}
