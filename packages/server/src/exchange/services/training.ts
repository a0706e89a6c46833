/**
 * 电子教学日志 (classrecord) and 阶段培训记录报审 (stagetrainningtime) from a third-party platform.
 *
 * A classrecord becomes a training_session with terminal_id NULL, source_platform_id = the
 * caller and source_record_no = recnum (unique per platform), and one minute_record per minute
 * from starttime to endtime, so the same hour accounting and detection run on it as on gateway
 * data. The minutes' 学时记录编号 is `X` + 平台编号 + `-` + recnum: the `-` never occurs in a
 * terminal's 26-character number, so the two sources cannot collide. Mileage (km, UNCERTAIN unit)
 * is spread evenly over the minutes of practical records; classroom, simulator and remote records
 * carry none. Sending the same recnum again answers the same session; a different content under
 * the same recnum is refused.
 */
import { parseCourseCode } from '@jiapei/jt808-training'
import { Type } from '@sinclair/typebox'
import { type BatchColumn, ensurePartitions, insertBatch } from '../../db/batch.ts'
import type { Sql } from '../../db/client.ts'
import { markDue } from '../../detection/engine/due.ts'
import { appError } from '../../errors/catalogue.ts'
import { requestStageReview } from '../../hours/service.ts'
import type { SyllabusPart } from '../../policy/syllabus.ts'
import type { ServiceHandler } from '../gate.ts'
import {
  IntLike,
  instant,
  invalid,
  NumLike,
  Opt,
  ownedId,
  ownerText,
  platformPrincipal,
  RegNo,
  Str,
  servedInstitution,
  Time,
  toInt,
} from './common.ts'

/** The longest record accepted (minutes): a day. */
const MAX_RECORD_MINUTES = 24 * 60

export function minuteRecordNo(platformNo: string, recnum: string): string {
  return `X${platformNo}-${recnum}`
}

const Recnum = Type.String({
  pattern: '^[0-9A-Za-z]{1,40}$',
  description: '电子教学日志编号',
  errorMessage: '应为 1–40 位数字或字母',
})

const ClassRecordBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    stunum: RegNo('学员编号'),
    coachnum: Opt(RegNo('教练员编号')),
    carnum: Opt(RegNo('教练车编号')),
    simunum: Opt(Str('计时终端编号', 16)),
    platnum: Opt(Str('计时平台编号', 5)),
    recnum: Recnum,
    subjcode: Type.String({ pattern: '^\\d{10}$', description: '课程编码', errorMessage: '应为 10 位课程编码' }),
    photo1: Opt(IntLike('签到照片文件编号')),
    photo2: Opt(IntLike('培训过程照片文件编号')),
    photo3: Opt(IntLike('签退照片文件编号')),
    starttime: Time('开始时间'),
    endtime: Time('结束时间'),
    duration: IntLike('培训时长（分钟）', 0, MAX_RECORD_MINUTES),
    mileage: Opt(NumLike('培训里程（公里）')),
    avevelocity: Opt(NumLike('平均速度（公里/小时）')),
  },
  { additionalProperties: true },
)

const MINUTE_COLUMNS: BatchColumn[] = [
  { name: 'minute_at', type: 'timestamptz' },
  { name: 'record_no', type: 'text' },
  { name: 'session_id', type: 'int8' },
  { name: 'student_id', type: 'int8' },
  { name: 'coach_id', type: 'int4' },
  { name: 'institution_id', type: 'int4' },
  { name: 'county_code', type: 'text' },
  { name: 'course_code', type: 'text' },
  { name: 'mileage_m', type: 'int4' },
  { name: 'is_backfill', type: 'bool' },
  { name: 'arrived_at', type: 'timestamptz' },
  { name: 'vehicle_id', type: 'int4' },
]

/** 签到 / 过程 / 签退 photos and the 拍照事件 they stand for (学员登录 17, 培训中 19, 学员登出 18). */
const PHOTO_EVENTS: [key: 'photo1' | 'photo2' | 'photo3', event: number][] = [
  ['photo1', 17],
  ['photo2', 19],
  ['photo3', 18],
]

interface SessionRow {
  id: number
  studentId: number | null
  startedAt: Date
  endedAt: Date | null
  courseCode: string | null
  coachId: number | null
  vehicleId: number | null
}

async function existingSession(q: Sql, platformId: number, recnum: string): Promise<SessionRow | undefined> {
  const [row] = await q.query<SessionRow>(
    `SELECT id, student_id AS "studentId", started_at AS "startedAt", ended_at AS "endedAt",
            course_code AS "courseCode", coach_id AS "coachId", vehicle_id AS "vehicleId"
       FROM training_session WHERE source_platform_id = $1 AND source_record_no = $2`,
    [platformId, recnum],
  )
  return row
}

/**
 * The minutes of a record: as many as its length in whole minutes (a started minute counts),
 * the first one being the minute `start` falls in. A record of 08:00:30–08:45:30 has 45 minutes,
 * 08:00 … 08:44.
 */
export function minutesOf(start: Date, end: Date): Date[] {
  const first = Math.floor(start.getTime() / 60_000) * 60_000
  const n = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 60_000))
  return Array.from({ length: n }, (_, i) => new Date(first + i * 60_000))
}

/** `total` metres spread over `n` minutes, the remainder on the first ones. */
export function spread(total: number, n: number): number[] {
  const base = Math.floor(total / n)
  const extra = total - base * n
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0))
}

export const classRecordService: ServiceHandler = {
  schema: ClassRecordBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, string | number | undefined>
    const q = env.database
    const inscode = String(b.inscode)
    const recnum = String(b.recnum)
    if (b.platnum !== undefined && String(b.platnum) !== caller.platformNo) {
      throw invalid('platnum', `与证书所属计时平台 ${caller.platformNo} 不符`)
    }
    const course = parseCourseCode(String(b.subjcode))
    if (!course.ok) throw invalid('subjcode', course.detail)
    const start = instant('starttime', String(b.starttime))
    const end = instant('endtime', String(b.endtime))
    if (end.getTime() <= start.getTime()) throw invalid('endtime', '应晚于开始时间')
    if (end.getTime() - start.getTime() > MAX_RECORD_MINUTES * 60_000)
      throw invalid('endtime', '一条日志不能超过 24 小时')
    const now = env.now?.() ?? new Date()
    if (end.getTime() > now.getTime() + env.config.replayWindowSeconds * 1000) {
      throw invalid('endtime', '不能晚于当前时间')
    }

    const inst = await servedInstitution(q, caller, inscode)
    const stu = await ownedId(q, 'student', 'stu_no', String(b.stunum))
    if (!stu || stu.institutionId !== inst.id)
      throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum: b.stunum, owner: ownerText(inscode) })
    let coachId: number | null = null
    if (b.coachnum) {
      const c = await ownedId(q, 'coach', 'coach_no', String(b.coachnum))
      if (!c || c.institutionId !== inst.id)
        throw appError('ERR_EXCHANGE_COACH_UNKNOWN', { coachnum: b.coachnum, owner: ownerText(inscode) })
      coachId = c.id
    }
    let vehicleId: number | null = null
    if (b.carnum) {
      const v = await ownedId(q, 'vehicle', 'car_no', String(b.carnum))
      if (!v || v.institutionId !== inst.id)
        throw appError('ERR_EXCHANGE_VEHICLE_UNKNOWN', { carnum: b.carnum, owner: ownerText(inscode) })
      vehicleId = v.id
    }
    const photoIds = PHOTO_EVENTS.flatMap(([key, event]) =>
      b[key] === undefined || b[key] === '' ? [] : [{ key, event, fileId: String(toInt(b[key])) }],
    )
    if (photoIds.length > 0) {
      const known = await q.query<{ photoNo: string }>(
        `SELECT photo_no AS "photoNo" FROM photo WHERE source_platform_id = $1 AND terminal_id IS NULL AND photo_no = ANY($2::text[])`,
        [caller.platformId, photoIds.map((p) => p.fileId)],
      )
      const missing = photoIds.find((p) => !known.some((k) => k.photoNo === p.fileId))
      if (missing)
        throw appError('ERR_EXCHANGE_FILE_INVALID', { reason: `${missing.key} 照片 ${missing.fileId} 未上传` })
    }

    const c = course.value
    const reportedMinutes = toInt(b.duration) ?? null
    const mileageKm = b.mileage === undefined || b.mileage === '' ? null : Number(b.mileage)
    const reportedMileageM = mileageKm === null ? null : Math.round(mileageKm * 1000)
    const classId = /^\d{1,15}$/.test(recnum) ? Number(recnum) : 0

    return q.transaction(async (tx) => {
      const inserted = await tx.query<{ id: number }>(
        `INSERT INTO training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id, coach_id,
            vehicle_id, course_code, source_platform_id, started_at, ended_at, source_record_no, part, mode, license_type,
            reported_minutes, reported_mileage_m)
         VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (source_platform_id, source_record_no) WHERE source_record_no IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          classId,
          inst.id,
          inst.cityCode,
          inst.countyCode,
          stu.id,
          coachId,
          vehicleId,
          c.code,
          caller.platformId,
          start,
          end,
          recnum,
          c.part,
          c.mode,
          c.licenseType,
          reportedMinutes,
          reportedMileageM,
        ],
      )
      if (!inserted[0]) {
        const prior = (await existingSession(tx, caller.platformId, recnum)) as SessionRow
        const differs = [
          prior.studentId !== stu.id && 'stunum',
          new Date(prior.startedAt).getTime() !== start.getTime() && 'starttime',
          new Date(prior.endedAt ?? 0).getTime() !== end.getTime() && 'endtime',
          prior.courseCode !== c.code && 'subjcode',
          prior.coachId !== coachId && 'coachnum',
          prior.vehicleId !== vehicleId && 'carnum',
        ].filter(Boolean)
        if (differs.length > 0) {
          throw appError('ERR_EXCHANGE_RECORD_CONFLICT', { recnum, detail: `${differs.join('、')} 不同` })
        }
        return { id: prior.id, recnum, created: false }
      }
      const sessionId = inserted[0].id
      const minutes = minutesOf(start, end)
      const perMinute =
        c.mode === 1 && reportedMileageM !== null ? spread(reportedMileageM, minutes.length) : minutes.map(() => null)
      const recordNo = minuteRecordNo(caller.platformNo, recnum)
      await ensurePartitions(tx, 'minute_record', minutes)
      await insertBatch(
        tx,
        'minute_record',
        MINUTE_COLUMNS,
        minutes.map((m, i) => [
          m,
          recordNo,
          sessionId,
          stu.id,
          coachId,
          inst.id,
          inst.countyCode,
          c.code,
          perMinute[i],
          false,
          now,
          vehicleId,
        ]),
        { onConflict: 'DO NOTHING' },
      )
      for (const p of photoIds) {
        await tx.query(
          `UPDATE photo SET session_id = $1, student_id = $2, coach_id = $3, institution_id = $4, county_code = $5,
                  event_type = COALESCE(event_type, $6)
            WHERE source_platform_id = $7 AND terminal_id IS NULL AND photo_no = $8`,
          [sessionId, stu.id, coachId, inst.id, inst.countyCode, p.event, caller.platformId, p.fileId],
        )
      }
      await markDue(tx, [sessionId])
      return { id: sessionId, recnum, created: true, minutes: minutes.length }
    })
  },
}

const StageBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    stunum: RegNo('学员编号'),
    subject: IntLike('培训部分 1–4', 1, 4),
    totaltime: Opt(IntLike('总学时（分钟）')),
    vehicletime: Opt(IntLike('实操学时（分钟）')),
    classtime: Opt(IntLike('课堂学时（分钟）')),
    simulatortime: Opt(IntLike('模拟学时（分钟）')),
    networktime: Opt(IntLike('远程学时（分钟）')),
    duration: Opt(IntLike('总时长（分钟）')),
    mileage: Opt(NumLike('总里程（公里）')),
    examresult: Opt(Str('考核结果', 10)),
    rectype: Opt(IntLike('报审类型', 0, 9)),
    pdfid: Opt(IntLike('学时证明 PDF 文件编号')),
    esignature: Opt(Str('电子签章', 4096)),
    recarray: Type.Array(Type.Object({ rnum: Recnum }, { additionalProperties: true }), {
      minItems: 1,
      maxItems: 2000,
      errorMessage: '应为至少一条 {rnum} 的列表',
    }),
  },
  { additionalProperties: true },
)

/**
 * 阶段培训记录报审 from the platform goes through the hour accounting's own stage review
 * (hours/service.ts requestStageReview): the part must be complete by the platform's own credits,
 * whatever totals the platform reports, and a part with a pending or approved review is refused
 * (4001 ERR_HOURS_INCOMPLETE, 4004 ERR_HOURS_REVIEW_PENDING, 4005 ERR_HOURS_REVIEW_APPROVED). Every
 * listed classrecord must have been reported by this platform for the student (3010). The review
 * is marked source 'exchange' with the platform; the reported figures stay in the request log.
 */
export const stageService: ServiceHandler = {
  schema: StageBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, unknown>
    const q = env.database
    const inst = await servedInstitution(q, caller, String(b.inscode))
    const stu = await ownedId(q, 'student', 'stu_no', String(b.stunum))
    if (!stu || stu.institutionId !== inst.id) {
      throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum: b.stunum, owner: ownerText(inst.insCode) })
    }
    const part = toInt(b.subject) as SyllabusPart
    const rnums = [...new Set((b.recarray as { rnum: string }[]).map((r) => r.rnum))]
    const sessions = await q.query<{ recnum: string; studentId: number | null }>(
      `SELECT source_record_no AS recnum, student_id AS "studentId" FROM training_session
        WHERE source_platform_id = $1 AND source_record_no = ANY($2::text[])`,
      [caller.platformId, rnums],
    )
    const missing = rnums.find((r) => !sessions.some((s) => s.recnum === r && s.studentId === stu.id))
    if (missing) throw appError('ERR_EXCHANGE_RECORD_UNKNOWN', { recnum: missing })
    const review = await requestStageReview(q, platformPrincipal(caller, inst.id), stu.id, part, {
      now: env.now?.() ?? new Date(),
    })
    await q.query(`UPDATE stage_review SET source = 'exchange', source_platform_id = $2 WHERE id = $1`, [
      review.id,
      caller.platformId,
    ])
    return { id: review.id, status: review.status }
  },
}
