/**
 * photo-covered-camera — a photo that is dark (mean luma below `minMeanLuma`) or uniform (luma
 * standard deviation below `minLumaStddev`): the camera was covered or pointed away (STANDARDS
 * §7.3 “遮挡摄像头”). The photo analysis fills both figures; photos not yet analysed are not judged.
 * Findings only: photo-cadence invalidates the minutes around a bad photo.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { photoFindingResult } from './photo-findings.ts'
import { num, PHOTO_QUALITY_PARAMS } from './support.ts'

export const photoCoveredCamera: SessionRule = {
  id: 'photo-covered-camera',
  version: 1,
  title: { zh: '照片过暗或纯色（遮挡镜头）', en: 'Dark or uniform photo (covered camera)' },
  severity: 'medium',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（遮挡摄像头；阈值无公开来源）',
  scope: 'session',
  invalidates: false,
  params: { minMeanLuma: PHOTO_QUALITY_PARAMS.minMeanLuma, minLumaStddev: PHOTO_QUALITY_PARAMS.minLumaStddev },
  evaluate(facts: SessionFacts, params) {
    const minLuma = num(params, 'minMeanLuma')
    const minStd = num(params, 'minLumaStddev')
    const flagged = facts.photos
      .filter((p) => (p.meanLuma !== null && p.meanLuma < minLuma) || (p.lumaStddev !== null && p.lumaStddev < minStd))
      .map((photo) => ({ photo, measured: { meanLuma: photo.meanLuma, lumaStddev: photo.lumaStddev } }))
    return photoFindingResult(
      facts,
      flagged,
      (n, f) =>
        `${n} 张照片过暗或纯色（首张平均亮度 ${f.photo.meanLuma?.toFixed(1) ?? '未知'}，阈值 ${minLuma}；亮度标准差 ${f.photo.lumaStddev?.toFixed(1) ?? '未知'}，阈值 ${minStd}）`,
      { minMeanLuma: minLuma, minLumaStddev: minStd },
    )
  },
}
