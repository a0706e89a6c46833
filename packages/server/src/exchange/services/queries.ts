/**
 * GET services (STANDARDS §3.2), each about an object of an institution the caller serves; an
 * object of another platform's institution is refused with ERR_EXCHANGE_INSTITUTION_NOT_SERVED
 * (3002). Answers name their fields like the national interface; dates are `YYYYMMDD`, times
 * `YYYYMMDDHHmmss` in Beijing time.
 *
 *   {stunum}-stagetrainningtimereview-{subject}  阶段报审审核结果
 *   student-{stunum}                             注销学员 (a GET that changes data — UNCERTAIN, see docs)
 *   {cardnum}-stuinfo-{name}                     查询学员编号
 *   stuinfoquery-{stunum}                        学员资料
 *   traininfo-{stunum}                           学员培训信息 (the hour ledger per part)
 *   {inscode}-evaluationquery-{YYYYMMDD}         评价
 *   {inscode}-complaintquery-{YYYYMMDD}          投诉
 *   {coachnum}-coachreview / {carnum}-carreview  教练员 / 教练车 备案状态
 *   {inscode}-regionreview-{seq}                 教学区域（教练场地）状态
 */

import { normalizeIdCard } from '../../domain/identity.ts'
import { FIELD_KIND, FIELD_STATUS, labelsOf, STUDENT_STATUS, VEHICLE_STATUS } from '../../domain/vocabulary.ts'
import { appError } from '../../errors/catalogue.ts'
import { studentLedger } from '../../hours/service.ts'
import { getEntity, updateEntity } from '../../registry/service.ts'
import type { Caller } from '../gate.ts'
import {
  beijingDay,
  beijingTime,
  NATIONAL_BUSINESS,
  NATIONAL_EMPLOY,
  NATIONAL_SEX,
  ownerText,
  platformPrincipal,
  servedInstitution,
  servedRow,
  ymd,
} from './common.ts'
import type { KeyedService } from './keyed.ts'

const NUMBER = '([0-9A-Za-z]{16})'
const REVIEW_ZH: Record<string, string> = { pending: '待审核', approved: '通过', rejected: '不通过' }
const STUDENT_ZH = labelsOf(STUDENT_STATUS)
const VEHICLE_ZH = labelsOf(VEHICLE_STATUS)
const FIELD_ZH = labelsOf(FIELD_STATUS)
const FIELD_KIND_ZH = labelsOf(FIELD_KIND)
const EMPLOY_ZH: Record<string, string> = { employed: '在职', left: '离职', suspended: '停教' }

const studentUnknown = (stunum: string) => () =>
  appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum, owner: ownerText() })

/** The student of `stunum`, of an institution the caller serves. */
function servedStudent<T extends object = Record<string, never>>(
  caller: Caller,
  env: Parameters<KeyedService['handle']>[2],
  stunum: string,
  extra = '',
) {
  const number = stunum.toUpperCase()
  return servedRow<T>(env.database, caller, 'student', 'stu_no', number, studentUnknown(number), extra)
}

const stageReviewResult: KeyedService = {
  name: 'stagetrainningtimereview',
  pattern: new RegExp(`^${NUMBER}-stagetrainningtimereview-([1-4])$`),
  keys: ['stunum', 'subject'],
  async handle(caller, { stunum, subject }, env) {
    const s = await servedStudent(caller, env, String(stunum))
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
      statusText: REVIEW_ZH[review.status] ?? review.status,
      note: review.note,
      requestedAt: new Date(review.requestedAt).toISOString(),
      decidedAt: review.decidedAt ? new Date(review.decidedAt).toISOString() : null,
    }
  },
}

/**
 * 注销学员. [SOFTCF] `delstudent` sends `GET student-{stunum}` (signed data stunum) under the comment
 * 注销学员, and STANDARDS §3.2 lists it as "GET = 注销". The student's enrolment ends (状态 已退学)
 * through the registry service with its audit row; a graduated or withdrawn student is unchanged.
 */
const studentCancel: KeyedService = {
  name: 'student',
  pattern: new RegExp(`^student-${NUMBER}$`),
  keys: ['stunum'],
  async handle(caller, { stunum }, env) {
    const s = await servedStudent<{ status: string }>(caller, env, String(stunum), 't.status')
    const ends = s.status === 'enrolled' || s.status === 'training'
    if (ends) {
      await updateEntity(
        env.database.db,
        'students',
        platformPrincipal(caller, s.institutionId),
        Number(s.id),
        { status: 'withdrawn' },
        { ip: null },
      )
    }
    const status = ends ? 'withdrawn' : s.status
    return {
      stunum: String(stunum).toUpperCase(),
      inscode: s.insCode,
      status,
      statusText: STUDENT_ZH[status] ?? status,
      changed: ends,
    }
  },
}

/** 查询学员编号: the student numbers filed for an ID card and name, at institutions the caller serves. */
const studentNumber: KeyedService = {
  name: 'stuinfo',
  pattern: /^([0-9A-Za-z]{15,18})-stuinfo-([^/]{1,50})$/,
  keys: ['cardnum', 'name'],
  async handle(caller, { cardnum, name }, env) {
    const rows = await env.database.query<{
      stunum: string
      insCode: string
      platformId: number | null
      licenseType: string
      enrolledOn: string | Date
      status: string
    }>(
      `SELECT s.stu_no AS stunum, i.ins_code AS "insCode", i.timing_platform_id AS "platformId",
              s.license_type AS "licenseType", s.enrolled_on AS "enrolledOn", s.status
         FROM student s JOIN institution i ON i.id = s.institution_id
        WHERE s.id_card = $1 AND s.name = $2
        ORDER BY s.enrolled_on DESC, s.id DESC`,
      [normalizeIdCard(String(cardnum)), String(name).trim()],
    )
    // Only students of institutions this platform serves: a person enrolled elsewhere is answered
    // exactly like nobody, so the lookup tells a platform nothing about other schools' students.
    const mine = rows.filter((r) => r.platformId === caller.platformId)
    if (mine.length === 0) throw appError('ERR_EXCHANGE_STUINFO_NOT_FOUND')
    const students = mine.map((r) => ({
      stunum: r.stunum,
      inscode: r.insCode,
      traintype: r.licenseType,
      applydate: ymd(r.enrolledOn),
      status: r.status,
      statusText: STUDENT_ZH[r.status] ?? r.status,
    }))
    // The latest enrolment first; `stuinfoarray` has every one (a person may enrol again for another licence).
    return { ...students[0], cardnum, name, stuinfoarray: students }
  },
}

/** 学员资料查询: the filed student in national field names; unmasked, read through the registry and audit-logged. */
const studentInfo: KeyedService = {
  name: 'stuinfoquery',
  pattern: new RegExp(`^stuinfoquery-${NUMBER}$`),
  keys: ['stunum'],
  async handle(caller, { stunum }, env) {
    const s = await servedStudent(caller, env, String(stunum))
    const base = platformPrincipal(caller, s.institutionId)
    // The platform filed these personal data itself; reading them back is audit-logged like a console read.
    const principal = { ...base, permissions: [...base.permissions, 'personal:read' as const] }
    const row = (await getEntity(env.database.db, 'students', principal, Number(s.id), { ip: null })) as Record<
      string,
      unknown
    >
    const status = String(row.status)
    return {
      stunum: row.stuNo,
      inscode: s.insCode,
      // The registry files 居民身份证 only (18 digits with check character).
      cardtype: 1,
      idcard: row.idCard,
      nationality: row.nationality,
      name: row.name,
      sex: NATIONAL_SEX[String(row.sex)] ?? null,
      phone: row.phone ?? null,
      address: row.address ?? null,
      busitype: NATIONAL_BUSINESS[String(row.businessType)] ?? null,
      traintype: row.licenseType,
      applydate: ymd(row.enrolledOn),
      status,
      statusText: STUDENT_ZH[status] ?? status,
    }
  },
}

/** 学员培训信息: the student's hour ledger per part (minutes; mileage in km), as the hour accounting keeps it. */
const trainInfo: KeyedService = {
  name: 'traininfo',
  pattern: new RegExp(`^traininfo-${NUMBER}$`),
  keys: ['stunum'],
  async handle(caller, { stunum }, env) {
    const s = await servedStudent(caller, env, String(stunum))
    const view = await studentLedger(
      env.database,
      { kind: 'institution', institutionId: s.institutionId },
      Number(s.id),
      env.now ? { now: env.now() } : {},
    )
    const { ledger } = view
    const minutesOf = (part: { byMode: { mode: number; finalMinutes: number }[] }, mode: number) =>
      part.byMode.find((m) => m.mode === mode)?.finalMinutes ?? 0
    return {
      stunum: view.student.stuNo,
      inscode: s.insCode,
      traintype: ledger.licenseType,
      totaltime: ledger.parts.reduce((sum, p) => sum + p.finalMinutes, 0),
      countedtime: ledger.totalMinutes.counted,
      requiredtime: ledger.totalMinutes.required,
      mileage: ledger.mileage.km,
      requiredmileage: ledger.mileage.requiredKm,
      complete: ledger.complete,
      uncertain: ledger.uncertain,
      gracertnum: view.certificate?.certNo ?? null,
      openfindings: view.openFindings,
      partarray: ledger.parts.map((p) => {
        const review = view.reviews.find((r) => r.part === p.part)
        const credits = view.credits.filter((c) => c.part === p.part)
        return {
          subject: p.part,
          totaltime: p.finalMinutes,
          countedtime: p.countedMinutes,
          requiredtime: p.requiredMinutes,
          vehicletime: minutesOf(p, 1),
          classtime: minutesOf(p, 2),
          simulatortime: minutesOf(p, 3),
          networktime: minutesOf(p, 4),
          mileage: Math.round(credits.reduce((sum, c) => sum + c.mileageM, 0) / 100) / 10,
          complete: p.complete,
          shortfalls: p.shortfalls.map((x) => x.message),
          reviewstatus: review?.status ?? null,
          reviewText: review ? (REVIEW_ZH[review.status] ?? review.status) : null,
        }
      }),
    }
  },
}

interface FeedbackRow {
  stunum: string
  targetKind: 'coach' | 'institution'
  coachnum: string | null
  part: number | null
  stars: number | null
  content: string | null
  occurredAt: Date
  detail: Record<string, unknown> | string | null
}

async function feedbackOf(
  caller: Caller,
  env: Parameters<KeyedService['handle']>[2],
  kind: 'evaluation' | 'complaint',
  inscode: string,
  querydate: string,
) {
  const inst = await servedInstitution(env.database, caller, inscode)
  const { from, to } = beijingDay('querydate', querydate)
  const rows = await env.database.query<FeedbackRow>(
    `SELECT s.stu_no AS stunum, f.target_kind AS "targetKind", c.coach_no AS coachnum, f.part, f.stars, f.content,
            f.occurred_at AS "occurredAt", f.detail
       FROM training_feedback f JOIN student s ON s.id = f.student_id LEFT JOIN coach c ON c.id = f.coach_id
      WHERE f.kind = $1 AND f.institution_id = $2 AND f.occurred_at >= $3 AND f.occurred_at < $4
      ORDER BY f.occurred_at, f.id`,
    [kind, inst.id, from.toISOString(), to.toISOString()],
  )
  return { inst, rows }
}

const detailOf = (d: FeedbackRow['detail']): Record<string, unknown> =>
  (typeof d === 'string' ? JSON.parse(d) : d) ?? {}

const evaluationQuery: KeyedService = {
  name: 'evaluationquery',
  pattern: new RegExp(`^${NUMBER}-evaluationquery-(\\d{8})$`),
  keys: ['inscode', 'querydate'],
  async handle(caller, { inscode, querydate }, env) {
    const { inst, rows } = await feedbackOf(caller, env, 'evaluation', String(inscode), String(querydate))
    return {
      inscode: inst.insCode,
      querydate,
      evaluationarray: rows.map((r) => {
        const d = detailOf(r.detail)
        return {
          stunum: r.stunum,
          type: r.targetKind === 'coach' ? 1 : 2,
          evalobject: r.targetKind === 'coach' ? r.coachnum : inst.insCode,
          overall: r.stars,
          part: r.part,
          evaluatetime: beijingTime(r.occurredAt),
          srvmanner: d.srvmanner ?? null,
          teachlevel: d.teachlevel ?? null,
        }
      }),
    }
  },
}

const complaintQuery: KeyedService = {
  name: 'complaintquery',
  pattern: new RegExp(`^${NUMBER}-complaintquery-(\\d{8})$`),
  keys: ['inscode', 'querydate'],
  async handle(caller, { inscode, querydate }, env) {
    const { inst, rows } = await feedbackOf(caller, env, 'complaint', String(inscode), String(querydate))
    return {
      inscode: inst.insCode,
      querydate,
      complaintarray: rows.map((r) => ({
        stunum: r.stunum,
        type: r.targetKind === 'coach' ? 1 : 2,
        objectnum: r.targetKind === 'coach' ? r.coachnum : inst.insCode,
        content: r.content,
        cdate: beijingTime(r.occurredAt),
      })),
    }
  },
}

/**
 * 教练员备案状态. Filing here is checked when it is uploaded (no separate review): a coach that
 * exists is filed, and the answer gives its current 供职状态.
 */
const coachReview: KeyedService = {
  name: 'coachreview',
  pattern: new RegExp(`^${NUMBER}-coachreview$`),
  keys: ['coachnum'],
  async handle(caller, { coachnum }, env) {
    const number = String(coachnum).toUpperCase()
    const c = await servedRow<{
      name: string
      teachPermitted: string
      status: string
      hiredOn: string | null
      leftOn: string | null
      createdAt: Date
      updatedAt: Date
    }>(
      env.database,
      caller,
      'coach',
      'coach_no',
      number,
      () => appError('ERR_EXCHANGE_COACH_UNKNOWN', { coachnum: number, owner: ownerText() }),
      `t.name, t.teach_permitted AS "teachPermitted", t.employment_status AS status, t.hired_on AS "hiredOn",
       t.left_on AS "leftOn", t.created_at AS "createdAt", t.updated_at AS "updatedAt"`,
    )
    return {
      coachnum: number,
      inscode: c.insCode,
      name: c.name,
      teachpermitted: c.teachPermitted,
      filed: true,
      fileddate: ymd(new Date(c.createdAt)),
      employstatus: NATIONAL_EMPLOY[c.status] ?? null,
      status: c.status,
      statusText: EMPLOY_ZH[c.status] ?? c.status,
      hiredate: ymd(c.hiredOn),
      leavedate: ymd(c.leftOn),
      updatetime: beijingTime(new Date(c.updatedAt)),
    }
  },
}

/** 教练车备案状态: as for coaches, the car's current 状态 (在用 / 停用 / 报废). */
const carReview: KeyedService = {
  name: 'carreview',
  pattern: new RegExp(`^${NUMBER}-carreview$`),
  keys: ['carnum'],
  async handle(caller, { carnum }, env) {
    const number = String(carnum).toUpperCase()
    const v = await servedRow<{
      plate: string
      plateColor: number
      vehicleType: string
      status: string
      inspectionValidUntil: string | null
      createdAt: Date
      updatedAt: Date
    }>(
      env.database,
      caller,
      'vehicle',
      'car_no',
      number,
      () => appError('ERR_EXCHANGE_VEHICLE_UNKNOWN', { carnum: number, owner: ownerText() }),
      `t.plate, t.plate_color AS "plateColor", t.vehicle_type AS "vehicleType", t.status,
       t.inspection_valid_until AS "inspectionValidUntil", t.created_at AS "createdAt", t.updated_at AS "updatedAt"`,
    )
    return {
      carnum: number,
      inscode: v.insCode,
      licnum: v.plate,
      platecolor: v.plateColor,
      perdritype: v.vehicleType,
      filed: true,
      fileddate: ymd(new Date(v.createdAt)),
      status: v.status,
      statusText: VEHICLE_ZH[v.status] ?? v.status,
      inspectiondate: ymd(v.inspectionValidUntil),
      updatetime: beijingTime(new Date(v.updatedAt)),
    }
  },
}

/** 教学区域状态: the training field numbered `seq` (its number in this platform) of the institution. */
const regionReview: KeyedService = {
  name: 'regionreview',
  pattern: new RegExp(`^${NUMBER}-regionreview-(\\d{1,9})$`),
  keys: ['inscode', 'seq'],
  async handle(caller, { inscode, seq }, env) {
    const inst = await servedInstitution(env.database, caller, String(inscode))
    const [f] = await env.database.query<{
      id: number
      name: string
      kind: string
      address: string | null
      areaM2: number | null
      vehicleTypes: string[]
      status: string
      createdAt: Date
      updatedAt: Date
    }>(
      `SELECT id, name, kind, address, area_m2 AS "areaM2", vehicle_types AS "vehicleTypes", status,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM training_field WHERE id = $1 AND institution_id = $2`,
      [Number(seq), inst.id],
    )
    if (!f) throw appError('ERR_EXCHANGE_FIELD_UNKNOWN', { inscode: inst.insCode, seq })
    return {
      inscode: inst.insCode,
      seq: f.id,
      name: f.name,
      type: f.kind,
      typeText: FIELD_KIND_ZH[f.kind] ?? f.kind,
      address: f.address,
      area: f.areaM2 === null ? null : Math.round(f.areaM2),
      vehicletype: (f.vehicleTypes ?? []).join(','),
      filed: true,
      fileddate: ymd(new Date(f.createdAt)),
      status: f.status,
      statusText: FIELD_ZH[f.status] ?? f.status,
      updatetime: beijingTime(new Date(f.updatedAt)),
    }
  },
}

export const GET_SERVICES: readonly KeyedService[] = [
  stageReviewResult,
  studentCancel,
  studentNumber,
  studentInfo,
  trainInfo,
  evaluationQuery,
  complaintQuery,
  coachReview,
  carReview,
  regionReview,
]
