/** Photo analysis: measures (dHash, luma), face descriptors in a worker thread, the analysis loop. */
export { hammingDistance, measurePhoto, type PhotoMeasures } from './analysis.ts'
export { fleetPeople, prepareDemoFaces, registerDemoPhotos } from './demo.ts'
export {
  closeSharedFaceEngine,
  createFaceEngine,
  type FaceDescriptor,
  type FaceEngine,
  faceDistance,
  sharedFaceEngine,
} from './faces.ts'
export { type FaceLibrary, loadFaceLibrary } from './library.ts'
export { analyzePendingPhotos, photoSubject, startPhotoAnalyzer } from './worker.ts'
