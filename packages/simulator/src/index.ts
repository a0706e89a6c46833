/**
 * @jiapei/simulator — virtual 驾培 timing terminals built on the project's codec: registration
 * with the platform's PKCS#12, signed authentication, lessons in compressed time (coach and student
 * login, a minute record a minute, positions, photos, logouts), platform commands, reconnects with
 * 补传, and fleets drawn from the registry.
 */
export { authCiphertext, openPkcs12, type TerminalCredentials } from './credentials.ts'
export {
  cabPhoto,
  coveredFrame,
  createFacePhotoSource,
  type FacePhotoOptions,
  faceIndexFor,
  PHOTO_VARIANTS,
  type PhotoVariant,
} from './faces.ts'
export {
  type FleetOptions,
  type FleetProgress,
  type FleetSummary,
  loadFleetProfiles,
  type RegistryQuery,
  runFleet,
} from './fleet.ts'
export {
  bearing,
  centroid,
  distance,
  type LngLat,
  outerRing,
  type PolygonGeometry,
  pointInPolygon,
  randomPointInside,
} from './geo.ts'
export {
  type Lesson,
  type LessonEvent,
  type LessonOptions,
  minuteRecordNo,
  PHOTO_EVENTS,
  type PhotoPlan,
  planLesson,
  simulateTrack,
  type TrackPoint,
  type TrainingPart,
} from './lesson.ts'
export { generatedPhotos, generateJpeg, PHOTO_SIZES, type PhotoSource } from './photo.ts'
export type { CoachProfile, StudentProfile, TerminalProfile } from './profile.ts'
export { hashSeed, Rng } from './random.ts'
export {
  type LessonResult,
  TerminalError,
  type TerminalState,
  type TerminalStats,
  VirtualTerminal,
  type VirtualTerminalOptions,
} from './terminal.ts'
export { bcdClock, bcdDate, bcdDateTime, minuteOfDay, parseBcdDateTime } from './time.ts'
