/**
 * One finding per session listing the photos that fail a check, for the three photo rules.
 */
import type { PhotoFact, RuleResult, SessionFacts } from '../rule.ts'
import { localStamp, sessionFinding } from './support.ts'

export interface FlaggedPhoto {
  photo: PhotoFact
  /** Measured value, e.g. the mean luma. */
  measured: Record<string, number | null>
}

export function photoFindingResult(
  facts: SessionFacts,
  flagged: readonly FlaggedPhoto[],
  summary: (count: number, first: FlaggedPhoto) => string,
  details: Record<string, unknown>,
): RuleResult {
  const first = flagged[0]
  if (!first) return { invalidMinutes: [], findings: [] }
  const occurredAt = first.photo.takenAt ?? facts.session.startedAt
  return {
    invalidMinutes: [],
    findings: [
      sessionFinding(facts, {
        occurredAt,
        summary: summary(flagged.length, first),
        evidence: {
          photos: flagged.map((f) => f.photo.id),
          details: {
            ...details,
            photos: flagged.map((f) => ({
              id: f.photo.id,
              takenAt: f.photo.takenAt ? localStamp(f.photo.takenAt) : null,
              eventType: f.photo.eventType,
              ...f.measured,
            })),
          },
        },
      }),
    ],
  }
}
