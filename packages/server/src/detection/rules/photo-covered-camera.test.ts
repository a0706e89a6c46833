import assert from 'node:assert/strict'
import { patchPhotos, practicalSession } from './fixtures.ts'
import { photoCoveredCamera } from './photo-covered-camera.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 60 })
tableTest(photoCoveredCamera, [
  { name: 'well-lit photos', facts: base },
  {
    name: 'a dark photo',
    facts: patchPhotos(base, [2], { meanLuma: 12.5 }),
    findings: 1,
    summary: /1 张照片过暗或纯色（首张平均亮度 12\.5，阈值 30/,
    check: (r, f) => assert.deepEqual(r.findings[0]!.evidence.photos, [f.photos[2]!.id]),
  },
  { name: 'mean luma exactly 30 passes (boundary)', facts: patchPhotos(base, [2], { meanLuma: 30 }) },
  {
    name: 'a uniform photo (stddev 3)',
    facts: patchPhotos(base, [1, 3], { lumaStddev: 3 }),
    findings: 1,
    summary: /2 张/,
  },
  { name: 'stddev exactly 8 passes (boundary)', facts: patchPhotos(base, [1], { lumaStddev: 8 }) },
  {
    name: 'stricter policy',
    facts: patchPhotos(base, [1], { meanLuma: 40 }),
    params: { minMeanLuma: 50 },
    findings: 1,
  },
  { name: 'not analysed yet', facts: patchPhotos(base, [1], { meanLuma: null, lumaStddev: null }) },
])
