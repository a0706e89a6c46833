/** Photo analysis: measures (dHash, luma), face descriptors in a worker thread, the analysis loop. */
export { hammingDistance, measurePhoto, type PhotoMeasures } from './analysis.ts'
export {
  closeSharedFaceEngine,
  createFaceEngine,
  type FaceDescriptor,
  type FaceEngine,
  faceDistance,
  sharedFaceEngine,
} from './faces.ts'
export { analyzePendingPhotos, photoSubject, startPhotoAnalyzer } from './worker.ts'
