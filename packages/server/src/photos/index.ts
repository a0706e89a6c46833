/** Photo analysis: measures (pHash, luma), face descriptors in model threads, the analysis loop. */
export { hammingDistance, measurePhoto, type PhotoMeasures } from './analysis.ts'
export { fleetPeople, prepareDemoFaces, registerDemoPhotos } from './demo.ts'
export {
  closeSharedFaceEngine,
  configureSharedFaceEngine,
  createFaceEngine,
  type FaceDescriptor,
  type FaceEngine,
  faceDistance,
  sharedFaceEngine,
} from './faces.ts'
export { type FaceLibrary, loadFaceLibrary } from './library.ts'
export { analyzePendingPhotos, claimPendingPhotos, photoSubject, startPhotoAnalyzer } from './worker.ts'
