import assert from 'node:assert/strict'
import type { SessionFacts } from '../rule.ts'
import { crossFacts, crossSession, crossTableTest } from './cross-testing.ts'
import { photoDuplicate } from './photo-duplicate.ts'

/** Session `to` whose photo `index` has the bytes of `from`'s photo `fromIndex`. */
function reuse(from: SessionFacts, fromIndex: number, to: SessionFacts, index: number): SessionFacts {
  const original = from.photos[fromIndex]!
  return { ...to, photos: to.photos.map((p, i) => (i === index ? { ...p, sha256: original.sha256 } : p)) }
}

const a = crossSession('practical', 1, { local: '2026-03-10T10:00:00' })
const b = crossSession('practical', 2, { local: '2026-03-11T10:00:00' })
const other = crossSession('practical', 3, { local: '2026-03-11T10:00:00', session: { studentId: 202 } })

crossTableTest(photoDuplicate, [
  { name: 'photos of their own in every session', facts: crossFacts([a, b, other]), findings: 0 },
  {
    name: 'a photo of yesterday sent again today → one finding on today’s photo',
    facts: crossFacts([a, reuse(a, 1, b, 2)]),
    findings: 1,
    summary: /照片 202（2026-03-11 .+，课堂 2）与照片 101（2026-03-10 .+，课堂 1）内容完全相同/,
    check: ([f]) => {
      assert.equal(f?.subjectKind, 'photo')
      assert.equal(f?.subjectId, '202')
      assert.deepEqual(f?.evidence.photos, [101, 202])
      assert.equal(f?.sessionId, 2)
    },
  },
  {
    name: 'another student’s photo → finding, not the same student',
    facts: crossFacts([a, reuse(a, 0, other, 0)]),
    findings: 1,
    check: ([f]) => assert.equal(f?.evidence.details?.sameStudent, false),
  },
  {
    name: 'the same bytes twice within one session (a repeated upload) are not reported',
    facts: crossFacts([reuse(a, 0, a, 1)]),
    findings: 0,
  },
  {
    name: 'one picture replayed in three sessions → two findings',
    facts: crossFacts([a, reuse(a, 0, b, 1), reuse(a, 0, other, 1)]),
    findings: 2,
  },
])
