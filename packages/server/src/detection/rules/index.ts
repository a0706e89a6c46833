/**
 * The rule registry: every detection rule, session and cross scope, as a plain list. Add a rule
 * with one import and one entry; the integrity test (integrity.test.ts) checks that each has a
 * unique kebab-case id, titles, a doc page docs/rules/<id>.md and a table-driven test <id>.test.ts.
 */
import type { Rule } from '../rule.ts'
import { coachConsistency } from './coach-consistency.ts'
import { coachNotQualified } from './coach-not-qualified.ts'
import { coachTwoVehicles } from './coach-two-vehicles.ts'
import { crossTraining } from './cross-training.ts'
import { dailyCapExceeded } from './daily-cap-exceeded.ts'
import { engineOff } from './engine-off.ts'
import { examCityAudit } from './exam-city-audit.ts'
import { gnssJump } from './gnss-jump.ts'
import { gnssMissing } from './gnss-missing.ts'
import { lateBackfill } from './late-backfill.ts'
import { logLowMileage } from './log-low-mileage.ts'
import { lowValidShare } from './low-valid-share.ts'
import { noCoachSignedIn } from './no-coach-signed-in.ts'
import { outsideTeachingArea } from './outside-teaching-area.ts'
import { photoCadence } from './photo-cadence.ts'
import { photoCoveredCamera } from './photo-covered-camera.ts'
import { photoDuplicate } from './photo-duplicate.ts'
import { photoFaceMismatch } from './photo-face-mismatch.ts'
import { photoLowConfidence } from './photo-low-confidence.ts'
import { photoNearDuplicate } from './photo-near-duplicate.ts'
import { stationary } from './stationary.ts'
import { studentOverlap } from './student-overlap.ts'
import { trainingWindow } from './training-window.ts'
import { vehicleNotQualified } from './vehicle-not-qualified.ts'
import { zeroMileage } from './zero-mileage.ts'

export const RULES: Rule[] = [
  trainingWindow,
  coachNotQualified,
  vehicleNotQualified,
  engineOff,
  stationary,
  zeroMileage,
  outsideTeachingArea,
  noCoachSignedIn,
  logLowMileage,
  photoCadence,
  gnssJump,
  gnssMissing,
  lateBackfill,
  photoCoveredCamera,
  photoLowConfidence,
  photoFaceMismatch,
  lowValidShare,
  coachTwoVehicles,
  studentOverlap,
  crossTraining,
  dailyCapExceeded,
  photoDuplicate,
  photoNearDuplicate,
  examCityAudit,
  coachConsistency,
]

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]))

/** The registered rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id)
}
