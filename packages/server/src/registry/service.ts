/**
 * Registry use cases behind `/api/registry/*`: list, read, create, update, delete, transfer.
 * Every change runs in one transaction together with its audit_log row.
 */
import { and, eq, type SQL } from 'drizzle-orm'
import { writeAudit } from '../auth/audit.ts'
import type { Principal } from '../auth/principal.ts'
import type { Permission } from '../auth/roles.ts'
import { scopeContains } from '../auth/scope.ts'
import type { Db } from '../db/client.ts'
import {
  coach,
  contract,
  institution,
  student,
  studentTransfer,
  terminal,
  trainingField,
  vehicle,
} from '../db/schema/index.ts'
import { appError } from '../errors/catalogue.ts'
import { column, ENTITIES, type EntityDef, type EntityName, entityDef } from './definitions.ts'
import { hasPersonalFields, maskRow } from './mask.ts'
import { invalidField, prepareCreate, prepareUpdate, type Row } from './prepare.ts'
import { findRow, type ListFilters, listRows, type Page } from './repository.ts'

export interface RequestInfo {
  ip?: string | null
}

/** Institution fields an institution account may maintain itself (公示信息). */
export const DISCLOSURE_FIELDS = [
  'shortName',
  'address',
  'contactPhone',
  'feeItems',
  'disclosure',
  'lng',
  'lat',
] as const

function actor(principal: Principal) {
  return { id: principal.user.id, username: principal.user.username, role: principal.user.role }
}

function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.includes(permission)
}

export function requirePermission(principal: Principal, permission: Permission, action: string): void {
  if (!can(principal, permission)) throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action })
}

function notFound(def: EntityDef, id: number | string) {
  return appError('ERR_REG_NOT_FOUND', { entity: def.label, id }, { entity: def.name, id })
}

function regionOf(row: Row): string | null {
  return (row.countyCode as string | undefined) ?? null
}

/** Errors of the database that mean "duplicate" or "still referenced", found through wrappers. */
function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  let e: unknown = error
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const candidate = e as { code?: unknown; constraint?: unknown; cause?: unknown }
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
      }
    }
    e = candidate.cause
  }
  return undefined
}

const TABLE_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(ENTITIES).map((d) => [d.table, d.label])),
  student_transfer: '转学记录',
  app_user: '用户账号',
}

/** A constraint violation as the coded error a user can act on (a row written concurrently, a row still referenced). */
export function translateDbError(def: EntityDef, error: unknown): unknown {
  const pg = pgError(error)
  if (pg?.code === '23505') {
    const f = def.fields.find((x) => x.unique && pg.constraint?.includes(column(def, x.key).name))
    return appError(
      'ERR_REG_DUPLICATE',
      { entity: def.label, field: f?.label ?? pg.constraint ?? '', value: '' },
      { field: f?.key ?? null },
    )
  }
  if (pg?.code === '23503') {
    const table = Object.keys(TABLE_LABELS)
      .sort((a, b) => b.length - a.length)
      .find((t) => pg.constraint?.startsWith(`${t}_`))
    return appError('ERR_REG_IN_USE', { entity: def.label, detail: table ? `仍有${TABLE_LABELS[table]}引用` : '' })
  }
  return error
}

export async function listEntity(
  db: Db,
  entity: EntityName,
  principal: Principal,
  filters: ListFilters,
  page: Page,
): Promise<{ items: Row[]; total: number; page: number; pageSize: number }> {
  requirePermission(principal, 'registry:read', '查看备案信息')
  const def = entityDef(entity)
  const { items, total } = await listRows(db, entity, principal.scope, filters, page)
  return { items: items.map((row) => maskRow(def, row)), total, page: page.page, pageSize: page.pageSize }
}

/**
 * One row. Readers with personal:read get unmasked personal data and the read is audit-logged;
 * coaches and students see their own record unmasked.
 */
export async function getEntity(db: Db, entity: EntityName, principal: Principal, id: number, info: RequestInfo = {}) {
  requirePermission(principal, 'registry:read', '查看备案信息')
  const def = entityDef(entity)
  const row = await findRow(db, entity, principal.scope, id)
  if (!row) throw notFound(def, id)
  if (!hasPersonalFields(def) || principal.scope.kind === 'self') return row
  if (!can(principal, 'personal:read')) return maskRow(def, row)
  await writeAudit(db, {
    actor: actor(principal),
    action: 'read_personal',
    entity: def.table,
    entityId: id,
    regionCode: regionOf(row),
    detail: { fields: def.fields.filter((f) => f.personal).map((f) => f.key) },
    ip: info.ip,
  })
  return row
}

/** The row as returned after a write (personal data masked unless the caller may read it). */
async function afterWrite(db: Pick<Db, 'select'>, def: EntityDef, principal: Principal, id: number) {
  const row = await findRow(db, def.name, principal.scope, id)
  if (!row) throw notFound(def, id)
  return can(principal, 'personal:read') ? row : maskRow(def, row)
}

export async function createEntity(
  db: Db,
  entity: EntityName,
  principal: Principal,
  input: Record<string, unknown>,
  info: RequestInfo = {},
) {
  const def = entityDef(entity)
  requirePermission(principal, def.write, `新增${def.label}`)
  try {
    return await db.transaction(async (tx) => {
      const values = await prepareCreate(entity, input, { db: tx, scope: principal.scope })
      const [created] = (await tx
        .insert(def.drizzle)
        .values(values)
        .returning({ id: column(def, 'id') })) as { id: number }[]
      await writeAudit(tx, {
        actor: actor(principal),
        action: 'create',
        entity: def.table,
        entityId: created!.id,
        regionCode: regionOf(values),
        detail: { fields: Object.keys(values), title: values[def.titleKey] ?? null },
        ip: info.ip,
      })
      return afterWrite(tx, def, principal, created!.id)
    })
  } catch (error) {
    throw translateDbError(def, error)
  }
}

const OWNED_TABLES = [trainingField, coach, vehicle, terminal, student, contract]

export async function updateEntity(
  db: Db,
  entity: EntityName,
  principal: Principal,
  id: number,
  patch: Record<string, unknown>,
  info: RequestInfo = {},
) {
  const def = entityDef(entity)
  const disclosureOnly =
    entity === 'institutions' && !can(principal, def.write) && can(principal, 'institution:disclosure')
  if (!disclosureOnly) requirePermission(principal, def.write, `修改${def.label}`)
  if (disclosureOnly) {
    const other = Object.keys(patch).find(
      (k) => patch[k] !== undefined && !(DISCLOSURE_FIELDS as readonly string[]).includes(k),
    )
    if (other) throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: `修改机构的${other}` })
  }
  try {
    return await db.transaction(async (tx) => {
      const existing = await findRow(tx, entity, principal.scope, id)
      if (!existing) throw notFound(def, id)
      const { values, changed } = await prepareUpdate(entity, existing, patch, { db: tx, scope: principal.scope })
      if (changed.length === 0) return afterWrite(tx, def, principal, id)
      await tx
        .update(def.drizzle)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(column(def, 'id'), id))
      if (entity === 'institutions' && ('cityCode' in values || 'countyCode' in values)) {
        // Rows below an institution carry its placement; move them along.
        const next = { ...existing, ...values }
        for (const table of OWNED_TABLES) {
          await tx
            .update(table)
            .set({ cityCode: next.cityCode as string, countyCode: next.countyCode as string })
            .where(eq(table.institutionId, id))
        }
      }
      await writeAudit(tx, {
        actor: actor(principal),
        action: 'update',
        entity: def.table,
        entityId: id,
        regionCode: regionOf({ ...existing, ...values }),
        detail: { changed, title: existing[def.titleKey] ?? null },
        ip: info.ip,
      })
      return afterWrite(tx, def, principal, id)
    })
  } catch (error) {
    throw translateDbError(def, error)
  }
}

export async function deleteEntity(
  db: Db,
  entity: EntityName,
  principal: Principal,
  id: number,
  info: RequestInfo = {},
) {
  const def = entityDef(entity)
  requirePermission(principal, def.write, `删除${def.label}`)
  try {
    await db.transaction(async (tx) => {
      const existing = await findRow(tx, entity, principal.scope, id)
      if (!existing) throw notFound(def, id)
      await tx.delete(def.drizzle).where(eq(column(def, 'id'), id))
      await writeAudit(tx, {
        actor: actor(principal),
        action: 'delete',
        entity: def.table,
        entityId: id,
        regionCode: regionOf(existing),
        detail: { title: existing[def.titleKey] ?? null },
        ip: info.ip,
      })
    })
  } catch (error) {
    throw translateDbError(def, error)
  }
}

/** 转学: moves a student to another institution (inside the caller's jurisdiction) and records it. */
export async function transferStudent(
  db: Db,
  principal: Principal,
  id: number,
  input: { toInstitutionId: number; reason?: string | null },
  info: RequestInfo = {},
) {
  const def = entityDef('students')
  requirePermission(principal, def.write, '办理学员转学')
  const target = { key: 'toInstitutionId', label: '转入机构' }
  return db.transaction(async (tx) => {
    const existing = await findRow(tx, 'students', principal.scope, id)
    if (!existing) throw notFound(def, id)
    const [to] = await tx
      .select({ id: institution.id, cityCode: institution.cityCode, countyCode: institution.countyCode })
      .from(institution)
      .where(eq(institution.id, input.toInstitutionId))
    if (!to) throw invalidField(target, `机构 ${input.toInstitutionId} 不存在`)
    if (to.id === existing.institutionId) throw invalidField(target, '转入机构与当前机构相同')
    if (!scopeContains(principal.scope, { cityCode: to.cityCode, countyCode: to.countyCode, institutionId: to.id })) {
      throw appError('ERR_AUTH_OUT_OF_SCOPE', { detail: `机构 ${to.id}` })
    }
    await tx.insert(studentTransfer).values({
      studentId: id,
      fromInstitutionId: existing.institutionId as number,
      toInstitutionId: to.id,
      reason: input.reason?.trim() || null,
      byUserId: principal.user.id,
    })
    await tx
      .update(student)
      .set({ institutionId: to.id, cityCode: to.cityCode, countyCode: to.countyCode, updatedAt: new Date() })
      .where(and(eq(student.id, id)) as SQL)
    await writeAudit(tx, {
      actor: actor(principal),
      action: 'transfer',
      entity: def.table,
      entityId: id,
      regionCode: to.countyCode,
      detail: {
        fromInstitutionId: existing.institutionId,
        toInstitutionId: to.id,
        fromCountyCode: existing.countyCode,
        reason: input.reason ?? null,
      },
      ip: info.ip,
    })
    // The caller may no longer see the student (moved out of an institution's own scope).
    const row = await findRow(tx, 'students', principal.scope, id)
    return row ? (can(principal, 'personal:read') ? row : maskRow(def, row)) : null
  })
}
