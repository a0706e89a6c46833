/**
 * The audit trail: who saw or changed what. Every registry change, personal-data read, login and
 * token operation lands in `audit_log` with the region of the touched record, so auditors are
 * scoped like everyone else.
 */
import type { Db } from '../db/client.ts'
import { auditLog } from '../db/schema/index.ts'

export type AuditAction =
  | 'read_personal'
  | 'create'
  | 'update'
  | 'delete'
  | 'transfer'
  | 'import'
  | 'export'
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'token_create'
  | 'token_revoke'
  | 'user_create'
  | 'user_update'

/** Anything that can run a Drizzle insert: the database or an open transaction. */
export type Queryable = Pick<Db, 'insert' | 'select' | 'update' | 'delete' | 'execute'>

export interface AuditActor {
  id: number | null
  username: string | null
  role: string | null
}

export interface AuditEntry {
  actor: AuditActor | null
  action: AuditAction
  entity: string
  entityId?: string | number | null
  regionCode?: string | null
  detail?: Record<string, unknown>
  ip?: string | null
}

export async function writeAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.insert(auditLog).values({
    userId: entry.actor?.id ?? null,
    username: entry.actor?.username ?? null,
    role: entry.actor?.role ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    regionCode: entry.regionCode ?? null,
    detail: entry.detail ?? {},
    ip: entry.ip ?? null,
  })
}
