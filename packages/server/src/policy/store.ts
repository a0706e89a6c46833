/**
 * Versioned policies in the database (table policy_version). A version is immutable once
 * published; the one in force at a time is the highest version whose effective_from is not after
 * that time. When a kind has no row yet, version 1 is created from the built-in default, so every
 * decision can name the version it was made under.
 */
import type { Sql } from '../db/client.ts'
import { appError } from '../errors/catalogue.ts'
import { DETECTION_DEFAULT, type DetectionPolicy } from './detection.ts'
import { SYLLABUS_2016, type SyllabusPolicy } from './syllabus.ts'

export interface PolicyBodies {
  syllabus: SyllabusPolicy
  detection: DetectionPolicy
}
export type PolicyKind = keyof PolicyBodies

export const POLICY_KINDS: readonly PolicyKind[] = ['syllabus', 'detection']

export const POLICY_DEFAULTS: PolicyBodies = { syllabus: SYLLABUS_2016, detection: DETECTION_DEFAULT }

/** The date the built-in defaults are in force from: the 2016 大纲's effective date. */
export const DEFAULT_EFFECTIVE_FROM = new Date('2016-09-30T16:00:00Z')

export interface PolicyVersion<K extends PolicyKind = PolicyKind> {
  kind: K
  version: number
  effectiveFrom: Date
  body: PolicyBodies[K]
  note: string | null
  createdAt: Date
}

interface Row {
  kind: string
  version: number
  effective_from: Date
  body: unknown
  note: string | null
  created_at: Date
}

const toVersion = <K extends PolicyKind>(row: Row): PolicyVersion<K> => ({
  kind: row.kind as K,
  version: row.version,
  effectiveFrom: new Date(row.effective_from),
  body: row.body as PolicyBodies[K],
  note: row.note,
  createdAt: new Date(row.created_at),
})

export function assertPolicyKind(kind: string): asserts kind is PolicyKind {
  if (!(POLICY_KINDS as readonly string[]).includes(kind)) throw appError('ERR_POLICY_KIND_UNKNOWN', { kind })
}

/** Creates version 1 of a kind from the built-in default when the kind has no version yet. */
export async function ensureDefaultPolicy(q: Sql, kind: PolicyKind): Promise<void> {
  await q.query(
    `INSERT INTO policy_version (kind, version, effective_from, body, note)
     SELECT $1, 1, $2, $3::jsonb, '内置默认值'
      WHERE NOT EXISTS (SELECT 1 FROM policy_version WHERE kind = $1)
     ON CONFLICT DO NOTHING`,
    [kind, DEFAULT_EFFECTIVE_FROM, JSON.stringify(POLICY_DEFAULTS[kind])],
  )
}

/** The version in force at `at` (default now). */
export async function policyAt<K extends PolicyKind>(
  q: Sql,
  kind: K,
  at: Date = new Date(),
): Promise<PolicyVersion<K>> {
  await ensureDefaultPolicy(q, kind)
  const rows = await q.query<Row>(
    `SELECT kind, version, effective_from, body, note, created_at FROM policy_version
      WHERE kind = $1 AND effective_from <= $2 ORDER BY version DESC LIMIT 1`,
    [kind, at],
  )
  if (rows[0]) return toVersion<K>(rows[0])
  // Every version starts after `at`: the earliest one governs history before it.
  const first = await q.query<Row>(
    `SELECT kind, version, effective_from, body, note, created_at FROM policy_version
      WHERE kind = $1 ORDER BY version ASC LIMIT 1`,
    [kind],
  )
  return toVersion<K>(first[0] as Row)
}

/** One exact version (credits and findings name the version they were decided under). */
export async function policyVersion<K extends PolicyKind>(
  q: Sql,
  kind: K,
  version: number,
): Promise<PolicyVersion<K> | undefined> {
  await ensureDefaultPolicy(q, kind)
  const rows = await q.query<Row>(
    `SELECT kind, version, effective_from, body, note, created_at FROM policy_version WHERE kind = $1 AND version = $2`,
    [kind, version],
  )
  return rows[0] ? toVersion<K>(rows[0]) : undefined
}

export async function listPolicyVersions<K extends PolicyKind>(q: Sql, kind: K): Promise<PolicyVersion<K>[]> {
  await ensureDefaultPolicy(q, kind)
  const rows = await q.query<Row>(
    `SELECT kind, version, effective_from, body, note, created_at FROM policy_version WHERE kind = $1 ORDER BY version DESC`,
    [kind],
  )
  return rows.map((r) => toVersion<K>(r))
}

/**
 * Publishes a new version. Its effective time may not precede the latest version's: decisions
 * already made under the latest version stay attributed to it.
 */
export async function publishPolicy<K extends PolicyKind>(
  q: Sql,
  kind: K,
  body: PolicyBodies[K],
  options: { effectiveFrom?: Date; note?: string; createdBy?: number } = {},
): Promise<PolicyVersion<K>> {
  const latest = (await listPolicyVersions(q, kind))[0] as PolicyVersion<K>
  const effectiveFrom = options.effectiveFrom ?? new Date()
  if (effectiveFrom < latest.effectiveFrom) {
    throw appError('ERR_POLICY_EFFECTIVE_IN_PAST', {
      effectiveFrom: effectiveFrom.toISOString(),
      version: latest.version,
    })
  }
  const rows = await q.query<Row>(
    `INSERT INTO policy_version (kind, version, effective_from, body, note, created_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     RETURNING kind, version, effective_from, body, note, created_at`,
    [kind, latest.version + 1, effectiveFrom, JSON.stringify(body), options.note ?? null, options.createdBy ?? null],
  )
  return toVersion<K>(rows[0] as Row)
}
