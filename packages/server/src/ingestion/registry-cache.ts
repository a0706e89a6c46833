/**
 * Registry look-ups the ingestion needs for every batch — terminal by phone or id, student and
 * coach by their 16-character 全国统一编号 — with a per-process cache. Only hits are cached (a
 * terminal or person registered a moment later is found on the next batch); entries expire so a
 * re-assigned terminal is picked up.
 */
import type { Sql } from '../db/client.ts'

export interface TerminalPlacement {
  id: number
  phone: string
  institutionId: number
  cityCode: string
  countyCode: string
  vehicleId: number | null
  timingPlatformId: number | null
}

interface Entry<T> {
  value: T
  expires: number
}

export class RegistryCache {
  private readonly terminalsByPhone = new Map<string, Entry<TerminalPlacement>>()
  private readonly terminalsById = new Map<number, Entry<TerminalPlacement>>()
  private readonly students = new Map<string, Entry<number>>()
  private readonly coaches = new Map<string, Entry<number>>()
  /** `table:YYYY-MM` of the month partitions made sure of (see persist.ts). */
  readonly preparedMonths = new Set<string>()

  constructor(private readonly ttlMs = 5 * 60_000) {}

  /** Forgets everything (after a failed transaction). */
  clear(): void {
    this.terminalsByPhone.clear()
    this.terminalsById.clear()
    this.students.clear()
    this.coaches.clear()
    this.preparedMonths.clear()
  }

  /** Terminals of the given phones and ids, keyed both ways. */
  async terminals(
    q: Sql,
    phones: Iterable<string>,
    ids: Iterable<number>,
  ): Promise<{ byPhone: Map<string, TerminalPlacement>; byId: Map<number, TerminalPlacement> }> {
    const now = Date.now()
    const byPhone = new Map<string, TerminalPlacement>()
    const byId = new Map<number, TerminalPlacement>()
    const missingPhones: string[] = []
    const missingIds: number[] = []
    for (const phone of new Set(phones)) {
      const hit = this.terminalsByPhone.get(phone)
      if (hit && hit.expires > now) byPhone.set(phone, hit.value)
      else missingPhones.push(phone)
    }
    for (const id of new Set(ids)) {
      const hit = this.terminalsById.get(id)
      if (hit && hit.expires > now) byId.set(id, hit.value)
      else missingIds.push(id)
    }
    if (missingPhones.length > 0 || missingIds.length > 0) {
      const rows = await q.query<TerminalPlacement>(
        `SELECT id, phone, institution_id AS "institutionId", city_code AS "cityCode", county_code AS "countyCode",
                vehicle_id AS "vehicleId", timing_platform_id AS "timingPlatformId"
           FROM terminal WHERE phone = ANY($1::text[]) OR id = ANY($2::int4[])`,
        [missingPhones, missingIds],
      )
      for (const row of rows) {
        const entry = { value: row, expires: now + this.ttlMs }
        this.terminalsByPhone.set(row.phone, entry)
        this.terminalsById.set(row.id, entry)
        byPhone.set(row.phone, row)
        byId.set(row.id, row)
      }
    }
    return { byPhone, byId }
  }

  /** Student ids by 学员编号. */
  studentIds(q: Sql, numbers: Iterable<string>): Promise<Map<string, number>> {
    return this.lookup(q, this.students, numbers, 'SELECT id, stu_no AS no FROM student WHERE stu_no = ANY($1::text[])')
  }

  /** Coach ids by 教练员编号. */
  coachIds(q: Sql, numbers: Iterable<string>): Promise<Map<string, number>> {
    return this.lookup(
      q,
      this.coaches,
      numbers,
      'SELECT id, coach_no AS no FROM coach WHERE coach_no = ANY($1::text[])',
    )
  }

  private async lookup(
    q: Sql,
    cache: Map<string, Entry<number>>,
    numbers: Iterable<string>,
    sql: string,
  ): Promise<Map<string, number>> {
    const now = Date.now()
    const out = new Map<string, number>()
    const missing: string[] = []
    for (const no of new Set(numbers)) {
      const hit = cache.get(no)
      if (hit && hit.expires > now) out.set(no, hit.value)
      else missing.push(no)
    }
    if (missing.length > 0) {
      for (const row of await q.query<{ id: number; no: string }>(sql, [missing])) {
        cache.set(row.no, { value: row.id, expires: now + this.ttlMs })
        out.set(row.no, row.id)
      }
    }
    return out
  }
}
