/**
 * DELETE services (STANDARDS §3.2): a platform ends the filing of a coach, training car, timing
 * terminal or teaching area of an institution it serves. Nothing is deleted: the relationship is
 * ended the way the registry models it, through the registry service with the console's
 * validation and an `update` audit row under the platform's certificate, so history (sessions,
 * findings, credits that name the object) stays intact:
 *
 *   coach-{coachnum}          供职状态 → 离职, 离职日期 = today (kept when already set)
 *   trainingCar-{carnum}      教练车状态 在用 → 停用 (停用 and 报废 stay as they are)
 *   device-{devnum}           终端状态 → 停用 and unbound from its car (a 禁用 terminal stays 禁用)
 *   {inscode}-region-{seq}    教练场地 → 停用; seq is the field's number in this platform
 *
 * Deleting what is already ended changes nothing and answers `changed: false`. Examiners,
 * security guards and numbered fee standards are not filed here: their DELETE answers
 * ERR_EXCHANGE_NOT_SUPPORTED (1010) after the usual checks, so the refusal is logged with the caller.
 */
import { labelsOf, TERMINAL_STATUS, VEHICLE_STATUS } from '../../domain/vocabulary.ts'
import { appError } from '../../errors/catalogue.ts'
import type { EntityName } from '../../registry/definitions.ts'
import { updateEntity } from '../../registry/service.ts'
import type { Caller, ExchangeEnv } from '../gate.ts'
import { beijingToday, ownerText, platformPrincipal, servedInstitution, servedRow, ymd } from './common.ts'
import type { KeyedService } from './keyed.ts'

const NUMBER = '([0-9A-Za-z]{16})'
const VEHICLE_ZH = labelsOf(VEHICLE_STATUS)
const TERMINAL_ZH = labelsOf(TERMINAL_STATUS)

/** Applies `patch` (only what differs) through the registry service; true when anything changed. */
async function end(
  env: ExchangeEnv,
  caller: Caller,
  entity: EntityName,
  ref: { id: number; institutionId: number },
  patch: Record<string, unknown>,
): Promise<boolean> {
  if (Object.keys(patch).length === 0) return false
  await updateEntity(env.database.db, entity, platformPrincipal(caller, ref.institutionId), ref.id, patch, {
    ip: null,
  })
  return true
}

const today = (env: ExchangeEnv) => beijingToday(env.now?.() ?? new Date())

const coachDelete: KeyedService = {
  name: 'coach',
  pattern: new RegExp(`^coach-${NUMBER}$`),
  keys: ['coachnum'],
  async handle(caller, { coachnum }, env) {
    const number = String(coachnum).toUpperCase()
    const coach = await servedRow<{ status: string; leftOn: string | Date | null }>(
      env.database,
      caller,
      'coach',
      'coach_no',
      number,
      () => appError('ERR_EXCHANGE_COACH_UNKNOWN', { coachnum: number, owner: ownerText() }),
      `t.employment_status AS status, t.left_on AS "leftOn"`,
    )
    const patch: Record<string, unknown> = {}
    if (coach.status !== 'left') patch.employmentStatus = 'left'
    if (!coach.leftOn) patch.leftOn = today(env)
    const changed = await end(env, caller, 'coaches', coach, patch)
    return {
      coachnum: number,
      inscode: coach.insCode,
      employstatus: 1,
      leavedate: ymd(patch.leftOn ?? coach.leftOn),
      changed,
    }
  },
}

const trainingCarDelete: KeyedService = {
  name: 'trainingcar',
  // The national path spells it `trainingCar-` (capital C), unlike the POST service `trainingcar`.
  pattern: new RegExp(`^trainingCar-${NUMBER}$`),
  keys: ['carnum'],
  async handle(caller, { carnum }, env) {
    const number = String(carnum).toUpperCase()
    const car = await servedRow<{ status: string }>(
      env.database,
      caller,
      'vehicle',
      'car_no',
      number,
      () => appError('ERR_EXCHANGE_VEHICLE_UNKNOWN', { carnum: number, owner: ownerText() }),
      't.status',
    )
    const changed = await end(env, caller, 'vehicles', car, car.status === 'active' ? { status: 'suspended' } : {})
    const status = changed ? 'suspended' : car.status
    return { carnum: number, inscode: car.insCode, status, statusText: VEHICLE_ZH[status] ?? status, changed }
  },
}

const deviceDelete: KeyedService = {
  name: 'device',
  pattern: new RegExp(`^device-${NUMBER}$`),
  keys: ['devnum'],
  async handle(caller, { devnum }, env) {
    const number = String(devnum).toUpperCase()
    const device = await servedRow<{ status: string; vehicleId: number | null; carnum: string | null; runBy: number }>(
      env.database,
      caller,
      'terminal',
      'device_no',
      number,
      () => appError('ERR_EXCHANGE_DEVICE_UNKNOWN', { devnum: number, owner: ownerText() }),
      `t.status, t.vehicle_id AS "vehicleId", t.timing_platform_id AS "runBy",
       (SELECT v.car_no FROM vehicle v WHERE v.id = t.vehicle_id) AS carnum`,
    )
    // A terminal is connected through one platform; the institution's platform may not retire another's.
    if (device.runBy !== caller.platformId) throw appError('ERR_EXCHANGE_DEVICE_OTHER_PLATFORM', { devnum: number })
    const patch: Record<string, unknown> = {}
    // 禁用 is the regulator's sanction: it stays visible; the terminal is still unbound.
    if (device.status === 'active') patch.status = 'retired'
    if (device.vehicleId !== null) patch.vehicleId = null
    const changed = await end(env, caller, 'terminals', device, patch)
    const status = (patch.status as string | undefined) ?? device.status
    return {
      devnum: number,
      inscode: device.insCode,
      status,
      statusText: TERMINAL_ZH[status] ?? status,
      unboundcarnum: device.vehicleId !== null ? device.carnum : null,
      changed,
    }
  },
}

const regionDelete: KeyedService = {
  name: 'region',
  pattern: new RegExp(`^${NUMBER}-region-(\\d{1,9})$`),
  keys: ['inscode', 'seq'],
  async handle(caller, { inscode, seq }, env) {
    const inst = await servedInstitution(env.database, caller, String(inscode))
    const [field] = await env.database.query<{ id: number; name: string; status: string }>(
      'SELECT id, name, status FROM training_field WHERE id = $1 AND institution_id = $2',
      [Number(seq), inst.id],
    )
    if (!field) throw appError('ERR_EXCHANGE_FIELD_UNKNOWN', { inscode: inst.insCode, seq })
    const changed = await end(
      env,
      caller,
      'fields',
      { id: field.id, institutionId: inst.id },
      field.status === 'inactive' ? {} : { status: 'inactive' },
    )
    return { inscode: inst.insCode, seq: field.id, name: field.name, status: 'inactive', statusText: '停用', changed }
  },
}

/** A national service for objects this platform does not file: refused after the checks, with the reason. */
export function notSupported(name: string, pattern: RegExp, keys: readonly string[], reason: string): KeyedService {
  return {
    name,
    pattern,
    keys,
    async handle() {
      throw appError('ERR_EXCHANGE_NOT_SUPPORTED', { service: name, reason }, { service: name, reason })
    },
  }
}

/** Why a national service does not apply here (ERR_EXCHANGE_NOT_SUPPORTED, 1010). */
export const NOT_FILED = {
  examiner: '本平台不备案考核员',
  securityguard: '本平台不备案安全员',
  CharStandard: '收费标准是机构的公示信息，不按编号备案，由机构在监管平台维护',
  region: '教学区域（教练场地）由机构在监管平台备案，本平台不接受上报；可查询其状态或注销',
} as const

export const DELETE_SERVICES: readonly KeyedService[] = [
  coachDelete,
  trainingCarDelete,
  deviceDelete,
  regionDelete,
  notSupported('examiner', new RegExp(`^examiner-${NUMBER}$`), ['examnum'], NOT_FILED.examiner),
  notSupported('securityguard', new RegExp(`^securityguard-${NUMBER}$`), ['secunum'], NOT_FILED.securityguard),
  notSupported(
    'CharStandard',
    new RegExp(`^${NUMBER}-CharStandard-(\\d{1,9})$`),
    ['inscode', 'seq'],
    NOT_FILED.CharStandard,
  ),
]
