/**
 * What the gateway reads from the registry: the terminal behind a phone or IMEI, its vehicle,
 * institution and timing platform, its current credential, and the coach and student rows a
 * login names. Read-only except for storing an issued credential. Plain SQL on either engine.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import type { Sql } from '../db/client.ts'

export interface RegistryTerminal {
  id: number
  deviceNo: string
  phone: string
  imei: string
  status: 'active' | 'banned' | 'retired'
  institutionId: number
  insCode: string
  vehicleId: number | null
  vehiclePlate: string | null
  vehicleType: string | null
  timingPlatformId: number
  platformNo: string
}

interface TerminalRow {
  id: number
  device_no: string
  phone: string
  imei: string
  status: RegistryTerminal['status']
  institution_id: number
  ins_code: string
  vehicle_id: number | null
  plate: string | null
  vehicle_type: string | null
  timing_platform_id: number
  platform_no: string
}

const TERMINAL_SELECT = `
  select t.id, t.device_no, t.phone, t.imei, t.status, t.institution_id, i.ins_code, t.vehicle_id,
         v.plate, v.vehicle_type, t.timing_platform_id, p.platform_no
    from terminal t
    join institution i on i.id = t.institution_id
    join timing_platform p on p.id = t.timing_platform_id
    left join vehicle v on v.id = t.vehicle_id`

function toTerminal(r: TerminalRow): RegistryTerminal {
  return {
    id: r.id,
    deviceNo: r.device_no,
    phone: r.phone,
    imei: r.imei,
    status: r.status,
    institutionId: r.institution_id,
    insCode: r.ins_code,
    vehicleId: r.vehicle_id,
    vehiclePlate: r.plate,
    vehicleType: r.vehicle_type,
    timingPlatformId: r.timing_platform_id,
    platformNo: r.platform_no,
  }
}

/** Header phone → the registry's form (digits, leading zeros removed). */
export function normalizePhone(phone: string): string {
  return phone.replace(/^0+/, '') || '0'
}

export async function terminalByPhone(sql: Sql, phone: string): Promise<RegistryTerminal | undefined> {
  const p = normalizePhone(phone)
  const rows = await sql.query<TerminalRow>(`${TERMINAL_SELECT} where t.phone = $1 or t.phone = $2 limit 1`, [
    p,
    `0${p}`,
  ])
  return rows[0] && toTerminal(rows[0])
}

export async function terminalByImei(sql: Sql, imei: string): Promise<RegistryTerminal | undefined> {
  const rows = await sql.query<TerminalRow>(`${TERMINAL_SELECT} where t.imei = $1 limit 1`, [imei])
  return rows[0] && toTerminal(rows[0])
}

/** The vehicle with this plate and the terminal bound to it, if any. */
export async function vehicleByPlate(
  sql: Sql,
  plate: string,
): Promise<{ id: number; terminalId: number | null } | undefined> {
  const rows = await sql.query<{ id: number; terminal_id: number | null }>(
    'select v.id, t.id as terminal_id from vehicle v left join terminal t on t.vehicle_id = v.id where v.plate = $1 limit 1',
    [plate],
  )
  return rows[0] && { id: rows[0].id, terminalId: rows[0].terminal_id }
}

/**
 * Parsed public keys of current credentials, by terminal: a re-authentication (every reconnect)
 * skips parsing the PEM again. The database stays the authority — each authentication still reads
 * the terminal's current credential, and a key is reused only for the same credential (id and PEM,
 * so two databases opened by one process never share an entry); storing
 * a new credential (re-registration, which revokes the old ones) drops the terminal's entry.
 */
const parsedKeys = new Map<number, { credentialId: number; pem: string; key: KeyObject }>()
/** DESIGN §8: 100k terminals per node; beyond this the oldest entries are dropped. */
const PARSED_KEYS_MAX = 200_000

/** The public key of the terminal's newest unrevoked credential, parsed once per credential. */
export async function currentPublicKeyObject(sql: Sql, terminalId: number): Promise<KeyObject | undefined> {
  const rows = await sql.query<{ id: number; public_key_pem: string }>(
    `select id, public_key_pem from terminal_credential
      where terminal_id = $1 and revoked_at is null order by issued_at desc, id desc limit 1`,
    [terminalId],
  )
  const row = rows[0]
  if (!row) {
    parsedKeys.delete(terminalId)
    return undefined
  }
  const hit = parsedKeys.get(terminalId)
  if (hit && hit.credentialId === row.id && hit.pem === row.public_key_pem) return hit.key
  const key = createPublicKey(row.public_key_pem)
  parsedKeys.delete(terminalId)
  parsedKeys.set(terminalId, { credentialId: row.id, pem: row.public_key_pem, key })
  if (parsedKeys.size > PARSED_KEYS_MAX) parsedKeys.delete(parsedKeys.keys().next().value as number)
  return key
}

/** Stores a new credential and revokes the terminal's earlier ones, in one transaction. */
export async function storeCredential(
  sql: Sql & { transaction?: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T> },
  terminalId: number,
  credential: { serialNo: string; certPem: string; publicKeyPem: string },
): Promise<void> {
  const run = async (tx: Sql) => {
    await tx.query('update terminal_credential set revoked_at = now() where terminal_id = $1 and revoked_at is null', [
      terminalId,
    ])
    await tx.query(
      'insert into terminal_credential (terminal_id, serial_no, cert_pem, public_key_pem) values ($1, $2, $3, $4)',
      [terminalId, credential.serialNo, credential.certPem, credential.publicKeyPem],
    )
  }
  parsedKeys.delete(terminalId)
  if (sql.transaction) await sql.transaction(run)
  else await run(sql)
  parsedKeys.delete(terminalId)
}

export interface RegistryCoach {
  id: number
  institutionId: number
  teachPermitted: string
  employmentStatus: string
}

export async function coachByNo(sql: Sql, coachNo: string): Promise<RegistryCoach | undefined> {
  const rows = await sql.query<{
    id: number
    institution_id: number
    teach_permitted: string
    employment_status: string
  }>('select id, institution_id, teach_permitted, employment_status from coach where coach_no = $1', [coachNo])
  const r = rows[0]
  return (
    r && {
      id: r.id,
      institutionId: r.institution_id,
      teachPermitted: r.teach_permitted,
      employmentStatus: r.employment_status,
    }
  )
}

export interface RegistryStudent {
  id: number
  institutionId: number
  licenseType: string
  status: string
}

export async function studentByNo(sql: Sql, stuNo: string): Promise<RegistryStudent | undefined> {
  const rows = await sql.query<{ id: number; institution_id: number; license_type: string; status: string }>(
    'select id, institution_id, license_type, status from student where stu_no = $1',
    [stuNo],
  )
  const r = rows[0]
  return r && { id: r.id, institutionId: r.institution_id, licenseType: r.license_type, status: r.status }
}

/** Minutes and mileage (0.1 km) recorded for a student, overall and in one 培训部分 (course code digit 4). */
export async function studentProgress(
  sql: Sql,
  studentId: number,
  part: number,
): Promise<{ totalMinutes: number; partMinutes: number; totalMileage: number; partMileage: number }> {
  const rows = await sql.query<{ tm: number; pm: number; tk: number; pk: number }>(
    `select count(*)::int as tm,
            count(*) filter (where substr(course_code, 4, 1) = $2)::int as pm,
            coalesce(sum(mileage_m), 0)::bigint as tk,
            coalesce(sum(mileage_m) filter (where substr(course_code, 4, 1) = $2), 0)::bigint as pk
       from minute_record where student_id = $1`,
    [studentId, String(part)],
  )
  const r = rows[0] ?? { tm: 0, pm: 0, tk: 0, pk: 0 }
  const clamp = (v: number) => Math.min(0xffff, Math.max(0, Math.round(v)))
  return {
    totalMinutes: clamp(Number(r.tm)),
    partMinutes: clamp(Number(r.pm)),
    totalMileage: clamp(Number(r.tk) / 100),
    partMileage: clamp(Number(r.pk) / 100),
  }
}
