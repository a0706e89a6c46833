import { patchPhotos, practicalSession } from './fixtures.ts'
import { photoLowConfidence } from './photo-low-confidence.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 60 })
tableTest(photoLowConfidence, [
  { name: 'confident faces', facts: base },
  {
    name: 'confidence 59',
    facts: patchPhotos(base, [0, 4], { faceConfidence: 59 }),
    findings: 1,
    summary: /2 张照片人脸置信度低于 60（最低 59）/,
  },
  { name: 'confidence exactly 60 passes (boundary)', facts: patchPhotos(base, [0], { faceConfidence: 60 }) },
  {
    name: 'a policy of 80',
    facts: patchPhotos(base, [0], { faceConfidence: 75 }),
    params: { minFaceConfidence: 80 },
    findings: 1,
  },
  { name: 'unknown confidence', facts: patchPhotos(base, [0], { faceConfidence: null }) },
])
