/**
 * `imageup/{type}`: files a platform uploads before it references them by number (photo,
 * photo1–3, pdfid). The bytes go to the content-addressed photo store; a photo row with
 * terminal_id NULL and source_platform_id = the caller is the file's record, and its id is the
 * file number answered as `data.id`.
 *
 * - stuimg   学员照片 (field stunum): registered as the student's 备案照片 exactly as the console
 *            does (one face required, descriptor kept) — face matching compares training photos
 *            with it.
 * - vehimg   教练车照片 (field carnum).
 * - trainimg 培训过程照片 (trainimginfo: stunum, optional recnum and ptime YYYYMMDDHHmmss,
 *            optional event 拍照事件 and faceconf 0–100): bound to the session of recnum.
 * - epdfimg  学时 / 结业 PDF 三联单 (stunum): kept, never analysed as a photo.
 */
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import { registerPersonPhoto } from '../../photos/registration.ts'
import type { Caller, ExchangeEnv, ServiceHandler } from '../gate.ts'
import { bodyError } from '../gate.ts'
import { IntLike, instant, Opt, ownerText, RegNo, Time, toInt } from './common.ts'

export const IMAGE_TYPES = ['stuimg', 'vehimg', 'trainimg', 'epdfimg'] as const
export type ImageType = (typeof IMAGE_TYPES)[number]

/** Largest accepted file. */
export const IMAGE_MAX_MB = 5

const Recnum = Type.String({ pattern: '^[0-9A-Za-z]{1,40}$', errorMessage: '应为 1–40 位数字或字母' })

const FIELDS = {
  stuimg: Type.Object({ stunum: RegNo('学员编号') }, { additionalProperties: true }),
  vehimg: Type.Object({ carnum: RegNo('教练车编号') }, { additionalProperties: true }),
  trainimg: Type.Object(
    {
      stunum: RegNo('学员编号'),
      recnum: Opt(Recnum),
      ptime: Opt(Time('拍照时间')),
      event: Opt(IntLike('拍照事件', 0, 255)),
      faceconf: Opt(IntLike('人脸识别置信度 0–100', 0, 100)),
    },
    { additionalProperties: true },
  ),
  epdfimg: Type.Object({ stunum: RegNo('学员编号') }, { additionalProperties: true }),
} as const

export function isImageType(v: string): v is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(v)
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
}

function isPdf(b: Uint8Array): boolean {
  return Buffer.from(b.subarray(0, 5)).toString('latin1') === '%PDF-'
}

interface Owner {
  institutionId: number
  countyCode: string
  studentId: number | null
  timingPlatformId: number | null
  insCode: string
}

async function ownerOf(env: ExchangeEnv, kind: 'student' | 'vehicle', number: string): Promise<Owner | undefined> {
  const table = kind === 'student' ? 'student' : 'vehicle'
  const column = kind === 'student' ? 'stu_no' : 'car_no'
  const [row] = await env.database.query<Owner>(
    `SELECT t.institution_id AS "institutionId", t.county_code AS "countyCode",
            ${kind === 'student' ? 't.id' : 'NULL::bigint'} AS "studentId",
            i.timing_platform_id AS "timingPlatformId", i.ins_code AS "insCode"
       FROM ${table} t JOIN institution i ON i.id = t.institution_id WHERE t.${column} = $1`,
    [number.toUpperCase()],
  )
  return row
}

/** The handler of one upload: the file travels beside the text fields the gate validates and logs. */
export function imageService(type: ImageType, file: Uint8Array | null): ServiceHandler {
  return {
    async handle(caller: Caller, raw, env) {
      const fields = raw as Record<string, string>
      const invalidFields = bodyError(FIELDS[type], fields)
      if (invalidFields) throw invalidFields
      if (!file || file.length === 0)
        throw appError('ERR_EXCHANGE_FILE_INVALID', { reason: '请求中没有名为 file 的文件' })
      if (type === 'epdfimg' ? !isPdf(file) : !isJpeg(file)) {
        throw appError('ERR_EXCHANGE_FILE_INVALID', { reason: type === 'epdfimg' ? '应为 PDF 文件' : '应为 JPEG 照片' })
      }
      const byCar = type === 'vehimg'
      const number = byCar ? fields.carnum : fields.stunum
      const owner = await ownerOf(env, byCar ? 'vehicle' : 'student', number as string)
      if (!owner) {
        throw byCar
          ? appError('ERR_EXCHANGE_VEHICLE_UNKNOWN', { carnum: number, owner: ownerText() })
          : appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum: number, owner: ownerText() })
      }
      if (owner.timingPlatformId !== caller.platformId) {
        throw appError('ERR_EXCHANGE_INSTITUTION_NOT_SERVED', { inscode: owner.insCode })
      }
      let sessionId: number | null = null
      let coachId: number | null = null
      if (type === 'trainimg' && fields.recnum) {
        const [s] = await env.database.query<{ id: number; coachId: number | null; studentId: number | null }>(
          `SELECT id, coach_id AS "coachId", student_id AS "studentId" FROM training_session
            WHERE source_platform_id = $1 AND source_record_no = $2`,
          [caller.platformId, fields.recnum],
        )
        if (!s || s.studentId !== owner.studentId)
          throw appError('ERR_EXCHANGE_RECORD_UNKNOWN', { recnum: fields.recnum })
        sessionId = s.id
        coachId = s.coachId
      }
      if (type === 'stuimg' && owner.studentId !== null) {
        // The 备案照片 as the console registers it: exactly one face, its descriptor kept, photos
        // already analysed rescored. A refusal (ERR_PHOTO_*) answers 2002 and stores nothing.
        if (!env.faces)
          throw appError('ERR_EXCHANGE_UNAVAILABLE', { service: '学员照片上传', reason: '人脸模型未加载' })
        await registerPersonPhoto(
          env.database,
          env.photoStore,
          env.faces(),
          { kind: 'student', id: owner.studentId },
          file,
        )
      }
      const stored = await env.photoStore.put(file)
      const now = env.now?.() ?? new Date()
      const takenAt = type === 'trainimg' && fields.ptime ? instant('ptime', fields.ptime) : null
      return env.database.transaction(async (tx) => {
        const [seq] = await tx.query<{ id: number }>(
          `SELECT nextval(pg_get_serial_sequence('photo', 'id'))::int8 AS id`,
        )
        const id = seq?.id as number
        await tx.query(
          `INSERT INTO photo (id, terminal_id, photo_no, institution_id, county_code, session_id, student_id, coach_id,
              event_type, taken_at, face_confidence, size_bytes, sha256, detail, received_at, source_platform_id,
              analyzed_at, analysis_error)
           VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17)`,
          [
            id,
            String(id),
            owner.institutionId,
            owner.countyCode,
            sessionId,
            owner.studentId,
            coachId,
            toInt(fields.event) ?? null,
            takenAt,
            toInt(fields.faceconf) ?? null,
            stored.sizeBytes,
            stored.sha256,
            JSON.stringify({ upload: type, fields }),
            now,
            caller.platformId,
            type === 'epdfimg' ? now : null,
            type === 'epdfimg' ? '非照片文件（PDF 三联单），不做照片分析' : null,
          ],
        )
        return { id, sha256: stored.sha256, sizeBytes: stored.sizeBytes }
      })
    },
  }
}

const TrainImgInfoBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    stunum: RegNo('学员编号'),
    recnum: Recnum,
    fileid: IntLike('照片文件编号（imageup 返回的 id）', 1),
    ptime: Opt(Time('拍照时间')),
    event: Opt(IntLike('拍照事件', 0, 255)),
    faceconf: Opt(IntLike('人脸识别置信度 0–100', 0, 100)),
  },
  { additionalProperties: true },
)

/**
 * trainimginfo — 培训过程图片信息: binds a photo uploaded before (`imageup/trainimg` or any
 * upload of this platform) to the session of recnum, with its time, event and face confidence,
 * for a photo uploaded before the record existed.
 */
export const trainImgInfoService: ServiceHandler = {
  schema: TrainImgInfoBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, string | number | undefined>
    const [s] = await env.database.query<{
      id: number
      coachId: number | null
      studentId: number | null
      institutionId: number
      countyCode: string
    }>(
      `SELECT t.id, t.coach_id AS "coachId", t.student_id AS "studentId", t.institution_id AS "institutionId",
              t.county_code AS "countyCode"
         FROM training_session t JOIN student s ON s.id = t.student_id
        WHERE t.source_platform_id = $1 AND t.source_record_no = $2 AND s.stu_no = $3`,
      [caller.platformId, String(b.recnum), String(b.stunum).toUpperCase()],
    )
    if (!s) throw appError('ERR_EXCHANGE_RECORD_UNKNOWN', { recnum: b.recnum })
    const fileId = String(toInt(b.fileid))
    const takenAt = b.ptime ? instant('ptime', String(b.ptime)) : null
    const updated = await env.database.query<{ id: number }>(
      `UPDATE photo SET session_id = $1, student_id = $2, coach_id = $3, institution_id = $4, county_code = $5,
              taken_at = COALESCE($6, taken_at), event_type = COALESCE($7, event_type),
              face_confidence = COALESCE($8, face_confidence)
        WHERE source_platform_id = $9 AND terminal_id IS NULL AND photo_no = $10 AND (session_id IS NULL OR session_id = $1)
        RETURNING id`,
      [
        s.id,
        s.studentId,
        s.coachId,
        s.institutionId,
        s.countyCode,
        takenAt,
        toInt(b.event) ?? null,
        toInt(b.faceconf) ?? null,
        caller.platformId,
        fileId,
      ],
    )
    if (!updated[0]) throw appError('ERR_EXCHANGE_FILE_INVALID', { reason: `照片 ${fileId} 未上传或已属于其他日志` })
    return { id: updated[0].id, sessionId: s.id }
  },
}
