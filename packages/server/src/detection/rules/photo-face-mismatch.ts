/**
 * photo-face-mismatch — the face in a photo does not match the registered photo of the person it
 * should show: face-descriptor distance above `maxFaceDistance` (default 0.6, face-api's usual
 * threshold), or no face at all in a sign-in photo (学员登录 17 / 教练员登录 20) when
 * `noFaceAtSignIn` is set. Distances are filled by the photo analysis; photos not analysed, or whose
 * person has no registered photo, are not judged. Findings only; photo-cadence invalidates minutes.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { photoFindingResult } from './photo-findings.ts'
import { bool, num, PHOTO_QUALITY_PARAMS, SIGN_IN_EVENTS } from './support.ts'

export const photoFaceMismatch: SessionRule = {
  id: 'photo-face-mismatch',
  version: 1,
  title: { zh: '人脸与备案照片不符', en: 'Face does not match the registered photo' },
  severity: 'high',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（人脸比对，非本人则停止计时）；MISSION M6',
  scope: 'session',
  invalidates: false,
  params: {
    maxFaceDistance: PHOTO_QUALITY_PARAMS.maxFaceDistance,
    noFaceAtSignIn: {
      default: true,
      description: '登录照片（事件 17、20）未检出人脸是否报告',
    },
  },
  evaluate(facts: SessionFacts, params) {
    const limit = num(params, 'maxFaceDistance')
    const noFace = bool(params, 'noFaceAtSignIn')
    const flagged = facts.photos
      .filter(
        (p) =>
          (p.faceDistance !== null && p.faceDistance > limit) ||
          (noFace && p.faceCount === 0 && p.eventType !== null && SIGN_IN_EVENTS.has(p.eventType)),
      )
      .map((photo) => ({ photo, measured: { faceDistance: photo.faceDistance, faceCount: photo.faceCount } }))
    const distances = flagged.flatMap((f) => (f.photo.faceDistance !== null ? [f.photo.faceDistance] : []))
    const noFaces = flagged.filter((f) => f.photo.faceCount === 0).length
    return photoFindingResult(
      facts,
      flagged,
      (n) =>
        `${n} 张照片人脸与备案照片不符` +
        (distances.length ? `（最大距离 ${Math.max(...distances).toFixed(2)}，阈值 ${limit}）` : '') +
        (noFaces ? `，其中 ${noFaces} 张登录照片未检出人脸` : ''),
      { maxFaceDistance: limit, noFaceAtSignIn: noFace, signInWithoutFace: noFaces },
    )
  },
}
