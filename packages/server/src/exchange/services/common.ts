/**
 * What the exchange services share: field schemas with Chinese refusal reasons, national date and
 * time formats, and the lookups that tie a request to an institution the calling platform serves.
 */
import { type TSchema, Type } from '@sinclair/typebox'
import type { Principal } from '../../auth/principal.ts'
import type { Sql } from '../../db/client.ts'
import { appError } from '../../errors/catalogue.ts'
import { beijingToUtc } from '../../ingestion/normalize/time.ts'
import type { Caller } from '../gate.ts'

/** A 16-character 全国统一编号 (inscode, coachnum, carnum, devnum, stunum). */
export const RegNo = (description: string) =>
  Type.String({ pattern: '^[0-9A-Za-z]{16}$', description, errorMessage: '应为 16 位全国统一编号（数字或字母）' })
export const Str = (description: string, maxLength = 100) =>
  Type.String({ maxLength, description, errorMessage: `应为不超过 ${maxLength} 个字符的文本` })
/** `YYYYMMDD`. */
export const Day = (description: string) =>
  Type.String({ pattern: '^\\d{8}$', description, errorMessage: '应为日期 YYYYMMDD' })
/** `YYYYMMDDHHmmss` (Beijing time). */
export const Time = (description: string) =>
  Type.String({ pattern: '^\\d{14}$', description, errorMessage: '应为时间 YYYYMMDDHHmmss（北京时间）' })
/** An integer given as a number or a numeric string, as platforms send both. */
export const IntLike = (description: string, min = 0, max = 2_147_483_647) =>
  Type.Union([Type.Integer({ minimum: min, maximum: max }), Type.String({ pattern: '^\\d{1,10}$' })], {
    description,
    errorMessage: `应为 ${min}–${max} 的整数`,
  })
export const NumLike = (description: string) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\d+(\\.\\d+)?$' })], {
    description,
    errorMessage: '应为非负数',
  })
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema)

export function toInt(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  return Number(v)
}

/** `YYYYMMDD` → `YYYY-MM-DD` (other text unchanged, for the registry's own check to refuse). */
export function isoDay(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined
  return /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v
}

/** `YYYYMMDDHHmmss` Beijing → UTC instant, or a field-level refusal. */
export function instant(field: string, v: string): Date {
  const at = /^20\d{12}$/.test(v) ? beijingToUtc(v.slice(2)) : null
  if (!at)
    throw appError('ERR_EXCHANGE_BODY_INVALID', { field, reason: '不是有效时间' }, { field, reason: '不是有效时间' })
  return at
}

export function invalid(field: string, reason: string) {
  return appError('ERR_EXCHANGE_BODY_INVALID', { field, reason }, { field, reason })
}

/** 性别: national 1 男 2 女. */
export function sexOf(v: unknown): string | undefined {
  const s = v === undefined || v === null ? '' : String(v)
  if (s === '1') return 'M'
  if (s === '2') return 'F'
  return s || undefined
}

export interface InstitutionRef {
  id: number
  insCode: string
  cityCode: string
  countyCode: string
}

/**
 * Whom a person, car or terminal that was not found should belong to, for the *_UNKNOWN messages:
 * the institution named in the request, or, for a look-up by number alone, the institutions the
 * calling platform serves.
 */
export function ownerText(inscode?: string): string {
  return inscode ? `机构 ${inscode}` : '本平台服务的机构'
}

/** The institution of `inscode`, which must be served by the calling platform. */
export async function servedInstitution(q: Sql, caller: Caller, inscode: string): Promise<InstitutionRef> {
  const [row] = await q.query<InstitutionRef & { timingPlatformId: number | null }>(
    `SELECT id, ins_code AS "insCode", city_code AS "cityCode", county_code AS "countyCode",
            timing_platform_id AS "timingPlatformId"
       FROM institution WHERE ins_code = $1`,
    [inscode.toUpperCase()],
  )
  if (!row) throw appError('ERR_EXCHANGE_INSTITUTION_UNKNOWN', { inscode })
  if (row.timingPlatformId !== caller.platformId) throw appError('ERR_EXCHANGE_INSTITUTION_NOT_SERVED', { inscode })
  return { id: row.id, insCode: row.insCode, cityCode: row.cityCode, countyCode: row.countyCode }
}

/** A person or car of the institution by its number; undefined when it is not filed there. */
export async function ownedId(
  q: Sql,
  table: 'student' | 'coach' | 'vehicle' | 'terminal',
  column: 'stu_no' | 'coach_no' | 'car_no' | 'device_no',
  number: string,
): Promise<{ id: number; institutionId: number } | undefined> {
  const [row] = await q.query<{ id: number; institutionId: number }>(
    `SELECT id, institution_id AS "institutionId" FROM ${table} WHERE ${column} = $1`,
    [number.toUpperCase()],
  )
  return row
}

/**
 * The principal a platform's registry upload acts as: the institution's own jurisdiction, with
 * the registry write permissions and the institution's 公示信息 — never the 备案 fields the
 * regulator keeps. There is no account behind it; the audit row names the certificate.
 */
export function platformPrincipal(caller: Caller, institutionId: number): Principal {
  return {
    user: {
      id: null as unknown as number,
      username: `exchange:${caller.certSn}`,
      displayName: caller.platformName,
      role: 'operator',
      roleLabel: '计时平台运营商',
      regionCode: null,
      regionName: null,
      institutionId,
      institutionName: null,
      timingPlatformId: caller.platformId,
      timingPlatformName: caller.platformName,
      subjectId: null,
      disabled: false,
    },
    scope: { kind: 'institution', institutionId },
    permissions: ['registry:read', 'registry:write', 'terminal:write', 'institution:disclosure'],
    via: 'token',
  }
}

/** A registry date (`YYYY-MM-DD` text or a Date) as national `YYYYMMDD`; null stays null. */
export function ymd(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null
  if (v instanceof Date) return beijingTime(v).slice(0, 8)
  return String(v).slice(0, 10).replace(/-/g, '')
}

/** An instant as national `YYYYMMDDHHmmss` in Beijing time. */
export function beijingTime(v: Date | string): string {
  const at = v instanceof Date ? v : new Date(v)
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** Today in Beijing as `YYYY-MM-DD` (the registry's date form). */
export function beijingToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** `YYYYMMDD` → the UTC instants that bound that Beijing day, or a field-level refusal naming `field`. */
export function beijingDay(field: string, v: string): { from: Date; to: Date } {
  const y = Number(v.slice(0, 4))
  const m = Number(v.slice(4, 6))
  const d = Number(v.slice(6, 8))
  const midnight = new Date(Date.UTC(y, m - 1, d))
  if (
    !/^\d{8}$/.test(v) ||
    midnight.getUTCFullYear() !== y ||
    midnight.getUTCMonth() !== m - 1 ||
    midnight.getUTCDate() !== d
  ) {
    throw invalid(field, '不是有效日期（YYYYMMDD）')
  }
  const from = new Date(midnight.getTime() - 8 * 3600_000)
  return { from, to: new Date(from.getTime() + 86_400_000) }
}

/** National codes of registry values (性别 1/2, 业务类型 0/1/9, 供职状态 0/1/2 — the last two UNCERTAIN). */
export const NATIONAL_SEX: Readonly<Record<string, number>> = { M: 1, F: 2 }
export const NATIONAL_BUSINESS: Readonly<Record<string, number>> = { initial: 0, upgrade: 1, other: 9 }
export const NATIONAL_EMPLOY: Readonly<Record<string, number>> = { employed: 0, left: 1, suspended: 2 }

/** A registry object found by its number, with the institution it is filed under. */
export interface ServedRef {
  id: number
  institutionId: number
  insCode: string
}

/**
 * The row of `table` whose `column` is `number`, which must belong to an institution the calling
 * platform serves: `unknown` when there is none, ERR_EXCHANGE_INSTITUTION_NOT_SERVED when another
 * platform serves its institution.
 */
export async function servedRow<T extends object = Record<string, never>>(
  q: Sql,
  caller: Caller,
  table: 'student' | 'coach' | 'vehicle' | 'terminal',
  column: 'stu_no' | 'coach_no' | 'car_no' | 'device_no',
  number: string,
  unknown: () => Error,
  extra = '',
): Promise<ServedRef & T> {
  const [row] = await q.query<ServedRef & T & { platformId: number | null }>(
    `SELECT t.id, t.institution_id AS "institutionId", i.ins_code AS "insCode",
            i.timing_platform_id AS "platformId"${extra ? `, ${extra}` : ''}
       FROM ${table} t JOIN institution i ON i.id = t.institution_id WHERE t.${column} = $1`,
    [number.toUpperCase()],
  )
  if (!row) throw unknown()
  if (row.platformId !== caller.platformId)
    throw appError('ERR_EXCHANGE_INSTITUTION_NOT_SERVED', { inscode: row.insCode })
  return row
}
