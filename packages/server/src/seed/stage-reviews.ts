/**
 * 阶段报审 of the demo: after the training history has been detected and credited, every student
 * with a complete part gets a stage review, requested and decided through the hour accounting
 * services (hours/service.ts) the console uses, so the review list, the ledgers and the exchange
 * interface's review result show the same real records. In student order, one review in three is
 * approved (or, when the service refuses because findings on the part's sessions are still open,
 * rejected with that refusal as the reason), one in three rejected with a reason for the
 * institution, and one in three left pending for the reviewer.
 */
import type { Principal } from '../auth/principal.ts'
import { loadPrincipalUser, principalFor } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { isAppError } from '../errors/catalogue.ts'
import { PART_LABELS } from '../hours/account.ts'
import { decideStageReview, requestStageReview, studentLedger } from '../hours/service.ts'
import type { SyllabusPart } from '../policy/syllabus.ts'

export interface StageReviewSummary {
  requested: number
  approved: number
  rejected: number
  pending: number
}

/** The reason given when a review is sent back for the institution to complete. */
export const DEMO_REJECTION_NOTE = '报审材料不全：请机构补充学员签字确认的学时汇总表后重新报审'

type Who = Pick<Principal, 'scope' | 'user'>

/** The demo accounts by username, as principals. */
async function demoPrincipals(database: Database): Promise<Map<string, Who>> {
  const rows = await database.query<{ id: number; username: string }>(
    `SELECT id, username FROM app_user WHERE disabled = false`,
  )
  const out = new Map<string, Who>()
  for (const row of rows) {
    const user = await loadPrincipalUser(database.db, row.id)
    if (user) out.set(user.username, principalFor(user, 'session'))
  }
  return out
}

/** The narrowest region account (county, city, then province) whose region holds the county. */
function regionAccount(accounts: Map<string, Who>, countyCode: string, roles: readonly string[]): Who | undefined {
  const candidates = [...accounts.values()].filter(
    (a) => roles.includes(a.user.role) && a.scope.kind === 'region' && a.user.regionCode,
  )
  const within = (code: string) =>
    code.endsWith('0000')
      ? countyCode.startsWith(code.slice(0, 2))
      : code.endsWith('00')
        ? countyCode.startsWith(code.slice(0, 4))
        : countyCode === code
  return candidates
    .filter((a) => within(a.user.regionCode as string))
    .sort(
      (a, b) =>
        (b.user.regionCode as string).replace(/0+$/, '').length -
        (a.user.regionCode as string).replace(/0+$/, '').length,
    )[0]
}

/** Requests and decides the stage reviews of every complete part of the students with credits. */
export async function seedStageReviews(database: Database, options: { now?: Date } = {}): Promise<StageReviewSummary> {
  const summary: StageReviewSummary = { requested: 0, approved: 0, rejected: 0, pending: 0 }
  const accounts = await demoPrincipals(database)
  const province = regionAccount(accounts, '330000', ['province'])
  if (!province) return summary
  const students = await database.query<{ id: number; institutionId: number; countyCode: string }>(
    `SELECT DISTINCT s.id, s.institution_id AS "institutionId", s.county_code AS "countyCode"
       FROM student s JOIN training_session t ON t.student_id = s.id
       JOIN session_credit c ON c.session_id = t.id
      ORDER BY s.id`,
  )
  const institutionAccounts = new Map(
    [...accounts.values()].filter((a) => a.user.role === 'institution').map((a) => [a.user.institutionId, a]),
  )
  const now = options.now
  for (const s of students) {
    const { ledger, reviews } = await studentLedger(database, province.scope, s.id, now ? { now } : {})
    const requester =
      institutionAccounts.get(s.institutionId) ?? regionAccount(accounts, s.countyCode, ['county', 'city', 'province'])
    const reviewer = regionAccount(accounts, s.countyCode, ['county', 'city', 'province'])
    if (!requester || !reviewer) continue
    for (const part of ledger.parts) {
      if (!part.complete || reviews.some((r) => r.part === part.part)) continue
      const review = await requestStageReview(database, requester, s.id, part.part as SyllabusPart, now ? { now } : {})
      const slot = summary.requested % 3
      summary.requested++
      if (slot === 2) {
        summary.pending++
        continue
      }
      if (slot === 1) {
        await decideStageReview(database, reviewer, review.id, { approve: false, note: DEMO_REJECTION_NOTE })
        summary.rejected++
        continue
      }
      try {
        await decideStageReview(database, reviewer, review.id, { approve: true }, now ? { now } : {})
        summary.approved++
      } catch (error) {
        if (!isAppError(error)) throw error
        // The refusal (open findings, hours no longer complete) is the reviewer's reason.
        await decideStageReview(database, reviewer, review.id, {
          approve: false,
          note: `${PART_LABELS[part.part as SyllabusPart]}暂不能通过：${error.message}`,
        })
        summary.rejected++
      }
    }
  }
  return summary
}
