/**
 * 审计日志查询 (audit:read), scoped by the region recorded on each entry.
 */
import { and, count, desc, eq, like, type SQL, sql } from 'drizzle-orm'
import type { Principal } from '../auth/principal.ts'
import { scopeRegionPrefix } from '../auth/scope.ts'
import type { Db } from '../db/client.ts'
import { auditLog } from '../db/schema/index.ts'
import { appError } from '../errors/catalogue.ts'

export interface AuditQuery {
  page: number
  pageSize: number
  action?: string
  entity?: string
  entityId?: string
  username?: string
}

export async function listAudit(db: Db, principal: Principal, query: AuditQuery) {
  if (!principal.permissions.includes('audit:read')) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '查看审计日志' })
  }
  const prefix = scopeRegionPrefix(principal.scope)
  const where: SQL[] = []
  // The province sees everything (also entries without a region, e.g. platforms); others their subtree.
  if (!prefix) where.push(sql`false`)
  else if (prefix.length > 2) where.push(like(auditLog.regionCode, `${prefix}%`))
  if (query.action) where.push(eq(auditLog.action, query.action))
  if (query.entity) where.push(eq(auditLog.entity, query.entity))
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId))
  if (query.username) where.push(eq(auditLog.username, query.username))
  const condition = where.length ? and(...where) : undefined
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(condition)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(auditLog).where(condition),
  ])
  return { items, total: Number(totals[0]?.n ?? 0), page: query.page, pageSize: query.pageSize }
}
