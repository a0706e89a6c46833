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
import { noCoachSignedIn } from './no-coach-signed-in.ts'
import { outsideTeachingArea } from './outside-teaching-area.ts'
import { photoDuplicate } from './photo-duplicate.ts'
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
