/**
 * photo-low-confidence — a photo whose terminal-reported 人脸置信度 (0–100) is below
 * `minFaceConfidence` (default 60, UNCERTAIN). Findings only; photo-cadence invalidates minutes.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { photoFindingResult } from './photo-findings.ts'
import { num, PHOTO_QUALITY_PARAMS } from './support.ts'

export const photoLowConfidence: SessionRule = {
  id: 'photo-low-confidence',
  version: 1,
  title: { zh: '照片人脸置信度低', en: 'Low face confidence' },
  severity: 'low',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（终端每张照片上报人脸置信度 0–100；阈值无公开来源）',
  scope: 'session',
  invalidates: false,
  params: { minFaceConfidence: PHOTO_QUALITY_PARAMS.minFaceConfidence },
  evaluate(facts: SessionFacts, params) {
    const limit = num(params, 'minFaceConfidence')
    const flagged = facts.photos
      .filter((p) => p.faceConfidence !== null && p.faceConfidence < limit)
      .map((photo) => ({ photo, measured: { faceConfidence: photo.faceConfidence } }))
    const lowest = Math.min(...flagged.map((f) => f.photo.faceConfidence ?? 0))
    return photoFindingResult(facts, flagged, (n) => `${n} 张照片人脸置信度低于 ${limit}（最低 ${lowest}）`, {
      minFaceConfidence: limit,
      lowestFaceConfidence: flagged.length ? lowest : null,
    })
  },
}
