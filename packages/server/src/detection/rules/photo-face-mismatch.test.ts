import { patchPhotos, practicalSession } from './fixtures.ts'
import { photoFaceMismatch } from './photo-face-mismatch.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 60 })
tableTest(photoFaceMismatch, [
  { name: 'the registered face', facts: base },
  {
    name: 'distance 0.72 from the registered photo',
    facts: patchPhotos(base, [2], { faceDistance: 0.72 }),
    findings: 1,
    summary: /1 张照片人脸与备案照片不符（最大距离 0\.72，阈值 0\.6）/,
  },
  { name: 'distance exactly 0.6 passes (boundary)', facts: patchPhotos(base, [2], { faceDistance: 0.6 }) },
  {
    name: 'a stricter policy',
    facts: patchPhotos(base, [2], { faceDistance: 0.55 }),
    params: { maxFaceDistance: 0.5 },
    findings: 1,
  },
  {
    name: 'no face in the sign-in photo',
    facts: patchPhotos(base, [0], { faceCount: 0, faceDistance: null }),
    findings: 1,
    summary: /1 张登录照片未检出人脸/,
  },
  {
    name: 'no face in the sign-in photo, not reported by policy',
    facts: patchPhotos(base, [0], { faceCount: 0, faceDistance: null }),
    params: { noFaceAtSignIn: false },
  },
  {
    name: 'no face in a training photo is left to the other rules',
    facts: patchPhotos(base, [2], { faceCount: 0, faceDistance: null }),
  },
  { name: 'not compared (no registered photo)', facts: patchPhotos(base, [2], { faceDistance: null }) },
])
