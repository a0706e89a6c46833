/**
 * 评价 (evaluation) and 投诉 (complaint) from the student's timing platform, kept queryably in
 * training_feedback (migration 0004) and placed in the student's institution. Reporting the same
 * student, kind, target and time again changes nothing.
 */
import { Type } from '@sinclair/typebox'
import type { Sql } from '../../db/client.ts'
import { appError } from '../../errors/catalogue.ts'
import type { Caller, ServiceHandler } from '../gate.ts'
import { IntLike, instant, invalid, Opt, ownedId, ownerText, RegNo, Str, Time, toInt } from './common.ts'

interface Placement {
  studentId: number
  institutionId: number
  cityCode: string
  countyCode: string
  insCode: string
}

/** The student and the institution it belongs to, which the calling platform must serve. */
async function studentOfPlatform(q: Sql, caller: Caller, stunum: string): Promise<Placement> {
  const [row] = await q.query<Placement & { timingPlatformId: number | null }>(
    `SELECT s.id AS "studentId", s.institution_id AS "institutionId", s.city_code AS "cityCode",
            s.county_code AS "countyCode", i.ins_code AS "insCode", i.timing_platform_id AS "timingPlatformId"
       FROM student s JOIN institution i ON i.id = s.institution_id WHERE s.stu_no = $1`,
    [stunum.toUpperCase()],
  )
  if (!row) throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum, owner: ownerText() })
  if (row.timingPlatformId !== caller.platformId) {
    throw appError('ERR_EXCHANGE_INSTITUTION_NOT_SERVED', { inscode: row.insCode })
  }
  return row
}

/** The evaluated / complained-about target: type 1 教练员 (number = coachnum), 2 培训机构 (number = inscode). */
async function targetOf(
  q: Sql,
  place: Placement,
  type: number,
  number: string | undefined,
  field: string,
): Promise<{ targetKind: 'coach' | 'institution'; coachId: number | null }> {
  if (type === 1) {
    if (!number) throw invalid(field, '评价或投诉教练员时不能为空')
    const coach = await ownedId(q, 'coach', 'coach_no', number)
    if (!coach || coach.institutionId !== place.institutionId) {
      throw appError('ERR_EXCHANGE_COACH_UNKNOWN', { coachnum: number, owner: ownerText(place.insCode) })
    }
    return { targetKind: 'coach', coachId: coach.id }
  }
  if (number && number.toUpperCase() !== place.insCode) throw invalid(field, `与学员所属机构 ${place.insCode} 不符`)
  return { targetKind: 'institution', coachId: null }
}

async function store(
  q: Sql,
  caller: Caller,
  kind: 'evaluation' | 'complaint',
  place: Placement,
  target: { targetKind: string; coachId: number | null },
  row: { part: number | null; stars: number | null; content: string | null; occurredAt: Date; detail: unknown },
): Promise<{ id: number | null; created: boolean }> {
  const [inserted] = await q.query<{ id: number }>(
    `INSERT INTO training_feedback (kind, student_id, institution_id, city_code, county_code, target_kind, coach_id,
        part, stars, content, occurred_at, source_platform_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      kind,
      place.studentId,
      place.institutionId,
      place.cityCode,
      place.countyCode,
      target.targetKind,
      target.coachId,
      row.part,
      row.stars,
      row.content,
      row.occurredAt,
      caller.platformId,
      JSON.stringify(row.detail),
    ],
  )
  if (inserted) return { id: inserted.id, created: true }
  const [prior] = await q.query<{ id: number }>(
    `SELECT id FROM training_feedback WHERE kind = $1 AND student_id = $2 AND target_kind = $3 AND occurred_at = $4`,
    [kind, place.studentId, target.targetKind, row.occurredAt],
  )
  return { id: prior?.id ?? null, created: false }
}

const EvaluationBody = Type.Object(
  {
    stunum: RegNo('学员编号'),
    evalobject: Opt(Str('评价对象编号（教练员编号或培训机构编号）', 16)),
    type: IntLike('评价对象类型 1 教练员 2 培训机构', 1, 2),
    overall: IntLike('总体满意度 1–5 星', 1, 5),
    part: Opt(IntLike('培训部分 1–4', 1, 4)),
    evaluatetime: Time('评价时间'),
    srvmanner: Opt(Str('服务态度评价', 500)),
    teachlevel: Opt(Str('教学质量评价', 500)),
  },
  { additionalProperties: true },
)

export const evaluationService: ServiceHandler = {
  schema: EvaluationBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, string | number | undefined>
    const place = await studentOfPlatform(env.database, caller, String(b.stunum))
    const target = await targetOf(env.database, place, toInt(b.type) as number, b.evalobject as string, 'evalobject')
    return store(env.database, caller, 'evaluation', place, target, {
      part: toInt(b.part) ?? null,
      stars: toInt(b.overall) as number,
      content: [b.srvmanner, b.teachlevel].filter(Boolean).join('；') || null,
      occurredAt: instant('evaluatetime', String(b.evaluatetime)),
      detail: { srvmanner: b.srvmanner ?? null, teachlevel: b.teachlevel ?? null },
    })
  },
}

const ComplaintBody = Type.Object(
  {
    stunum: RegNo('学员编号'),
    type: IntLike('投诉对象类型 1 教练员 2 培训机构', 1, 2),
    objectnum: Opt(Str('投诉对象编号（教练员编号或培训机构编号）', 16)),
    content: Type.String({ minLength: 1, maxLength: 2000, description: '投诉内容', errorMessage: '应为 1–2000 字' }),
    cdate: Time('投诉时间'),
  },
  { additionalProperties: true },
)

export const complaintService: ServiceHandler = {
  schema: ComplaintBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, string | number | undefined>
    const place = await studentOfPlatform(env.database, caller, String(b.stunum))
    const target = await targetOf(env.database, place, toInt(b.type) as number, b.objectnum as string, 'objectnum')
    return store(env.database, caller, 'complaint', place, target, {
      part: null,
      stars: null,
      content: String(b.content),
      occurredAt: instant('cdate', String(b.cdate)),
      detail: {},
    })
  },
}
