/**
 * photo-duplicate — the same photo (identical sha256 of its bytes) in different sessions or for
 * different students: a stored picture replayed instead of a live capture (照片机, 照片重复).
 * Photos are taken in time order; every photo whose bytes were already seen in another session
 * (or of another student) gives one finding on that photo, anchored on its session, with the
 * first occurrence as evidence. The same bytes sent twice within one session of one student
 * (a terminal repeating an upload) are not reported. Only the window's photos are compared: a
 * longer batch window finds older originals.
 */
import type { CrossFacts, CrossRule, FindingDraft, PhotoFact, SessionFacts } from '../rule.ts'
import { localStamp } from './support.ts'

export interface PhotoOccurrence {
  photo: PhotoFact
  facts: SessionFacts
}

/** Every photo of the window with its session, in capture order (untimed photos last, then by id). */
export function photosInOrder(facts: CrossFacts): PhotoOccurrence[] {
  const all = facts.sessions.flatMap((s) => s.photos.map((photo) => ({ photo, facts: s })))
  const time = (p: PhotoFact) => p.takenAt?.getTime() ?? Number.POSITIVE_INFINITY
  return all.sort((x, y) => time(x.photo) - time(y.photo) || x.photo.id - y.photo.id)
}

/** True when two photo occurrences belong to different sessions or show different students. */
export function fromDifferentTrainings(x: PhotoOccurrence, y: PhotoOccurrence): boolean {
  return x.facts.session.id !== y.facts.session.id || x.facts.session.studentId !== y.facts.session.studentId
}

export const photoDuplicate: CrossRule = {
  id: 'photo-duplicate',
  version: 1,
  title: { zh: '照片重复使用', en: 'Photo reused across sessions' },
  severity: 'high',
  requirements: ['M5', 'M2'],
  basis: 'MISSION M5（照片机）；STANDARDS §7.3（照片重复/翻拍）',
  scope: 'cross',
  reach: 'photos',
  params: {},
  evaluate(facts: CrossFacts): FindingDraft[] {
    const first = new Map<string, PhotoOccurrence>()
    const out: FindingDraft[] = []
    for (const occ of photosInOrder(facts)) {
      const earlier = first.get(occ.photo.sha256)
      if (!earlier) {
        first.set(occ.photo.sha256, occ)
        continue
      }
      if (!fromDifferentTrainings(earlier, occ)) continue
      const s = occ.facts.session
      const when = occ.photo.takenAt ? localStamp(occ.photo.takenAt) : '时间未知'
      const then = earlier.photo.takenAt ? localStamp(earlier.photo.takenAt) : '时间未知'
      out.push({
        subjectKind: 'photo',
        subjectId: String(occ.photo.id),
        sessionId: s.id,
        studentId: s.studentId,
        coachId: s.coachId,
        vehicleId: s.vehicleId,
        occurredAt: occ.photo.takenAt ?? s.startedAt,
        summary: `照片 ${occ.photo.id}（${when}，课堂 ${s.id}）与照片 ${earlier.photo.id}（${then}，课堂 ${earlier.facts.session.id}）内容完全相同`,
        evidence: {
          sessions: [earlier.facts.session.id, s.id],
          photos: [earlier.photo.id, occ.photo.id],
          details: {
            sha256: occ.photo.sha256,
            firstPhotoId: earlier.photo.id,
            firstSessionId: earlier.facts.session.id,
            sameStudent: earlier.facts.session.studentId === s.studentId,
          },
        },
        key: 'sha256',
      })
    }
    return out
  },
}
