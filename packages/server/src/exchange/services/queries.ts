/**
 * GET services, keyed by path (STANDARDS §3.1: the key values are in the path and are what the
 * signature covers, concatenated in order). Offered: `{stunum}-stagetrainningtimereview-{subject}`
 * — the latest stage review of a student's part, for a student of an institution the caller serves.
 */
import { appError } from '../../errors/catalogue.ts'
import type { ServiceHandler } from '../gate.ts'

export interface KeyedService {
  /** Service name as logged. */
  name: string
  pattern: RegExp
  /** The key values in signing order, from the path match. */
  keys(match: RegExpMatchArray): string[]
  handler: ServiceHandler
}

const STATUS_ZH: Record<string, string> = { pending: '待审核', approved: '通过', rejected: '不通过' }

const stageReviewResult: KeyedService = {
  name: 'stagetrainningtimereview',
  pattern: /^([0-9A-Za-z]{16})-stagetrainningtimereview-([1-4])$/,
  keys: (m) => [m[1] as string, m[2] as string],
  handler: {
    async handle(caller, raw, env) {
      const { stunum, subject } = raw as { stunum: string; subject: string }
      const [s] = await env.database.query<{ id: number; platformId: number | null; insCode: string }>(
        `SELECT s.id, i.timing_platform_id AS "platformId", i.ins_code AS "insCode"
           FROM student s JOIN institution i ON i.id = s.institution_id WHERE s.stu_no = $1`,
        [stunum.toUpperCase()],
      )
      if (!s) throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum, inscode: '—' })
      if (s.platformId !== caller.platformId)
        throw appError('ERR_EXCHANGE_INSTITUTION_NOT_SERVED', { inscode: s.insCode })
      const [review] = await env.database.query<{
        id: number
        status: string
        note: string | null
        requestedAt: Date
        decidedAt: Date | null
      }>(
        `SELECT id, status, note, requested_at AS "requestedAt", decided_at AS "decidedAt" FROM stage_review
          WHERE student_id = $1 AND part = $2 ORDER BY id DESC LIMIT 1`,
        [s.id, Number(subject)],
      )
      if (!review) throw appError('ERR_HOURS_REVIEW_NOT_FOUND', { id: `${stunum}-${subject}` })
      return {
        id: review.id,
        stunum,
        subject: Number(subject),
        status: review.status,
        statusText: STATUS_ZH[review.status] ?? review.status,
        note: review.note,
        requestedAt: new Date(review.requestedAt).toISOString(),
        decidedAt: review.decidedAt ? new Date(review.decidedAt).toISOString() : null,
      }
    },
  },
}

export const GET_SERVICES: readonly KeyedService[] = [stageReviewResult]

/** The keyed service a path names, with its key values. */
export function keyedService(path: string): { service: KeyedService; keys: string[] } | undefined {
  for (const service of GET_SERVICES) {
    const m = path.match(service.pattern)
    if (m) return { service, keys: service.keys(m) }
  }
  return undefined
}
