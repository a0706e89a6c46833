/**
 * Account management within the manager's own jurisdiction: a city creates accounts inside its
 * city, a county inside its county; only the province creates platform-operator accounts.
 */
import { and, asc, count, eq, like, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { appUser, coach, institution, region, student, timingPlatform } from '../db/schema/index.ts'
import { levelOf } from '../domain/regions.ts'
import { appError } from '../errors/catalogue.ts'
import { writeAudit } from './audit.ts'
import { hashPassword, isStrongEnough } from './passwords.ts'
import { accountColumns, type Principal } from './principal.ts'
import { isRole, ROLE_LABELS, type Role } from './roles.ts'
import { type Scope, scopeContains, scopeRegionPrefix } from './scope.ts'
import { endSessions } from './sessions.ts'

export interface NewUser {
  username: string
  displayName: string
  password: string
  role: string
  regionCode?: string | null
  institutionId?: number | null
  timingPlatformId?: number | null
  subjectId?: number | null
}

function requireManager(principal: Principal): void {
  if (!principal.permissions.includes('user:manage')) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '管理用户账号' })
  }
}

function field(key: string, label: string, reason: string) {
  return appError('ERR_REG_INVALID_FIELD', { field: label, reason }, { field: key, label, reason })
}

/** Accounts a manager sees: region accounts inside its region, accounts of institutions inside it. */
function managedCondition(scope: Scope): SQL {
  const prefix = scopeRegionPrefix(scope)
  if (!prefix) return sql`false`
  if (prefix.length === 2) return sql`true`
  const pattern = `${prefix}%`
  return or(like(appUser.regionCode, pattern), like(institution.countyCode, pattern)) as SQL
}

const userColumns = {
  ...accountColumns,
  createdAt: appUser.createdAt,
  lastLoginAt: appUser.lastLoginAt,
}

function withLabel<T extends { role: string }>(row: T) {
  return { ...row, roleLabel: isRole(row.role) ? ROLE_LABELS[row.role] : row.role }
}

function baseQuery(db: Pick<Db, 'select'>) {
  return db
    .select(userColumns)
    .from(appUser)
    .leftJoin(institution, eq(institution.id, appUser.institutionId))
    .leftJoin(region, sql`${region.code} = coalesce(${appUser.regionCode}, ${institution.countyCode})`)
    .leftJoin(timingPlatform, eq(timingPlatform.id, appUser.timingPlatformId))
    .$dynamic()
}

export async function listUsers(
  db: Db,
  principal: Principal,
  query: { page: number; pageSize: number; q?: string; role?: string },
) {
  requireManager(principal)
  const where: SQL[] = [managedCondition(principal.scope)]
  if (query.q?.trim()) {
    const pattern = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(or(sql`${appUser.username} ilike ${pattern}`, sql`${appUser.displayName} ilike ${pattern}`) as SQL)
  }
  if (query.role) where.push(eq(appUser.role, query.role))
  const [items, totals] = await Promise.all([
    baseQuery(db)
      .where(and(...where))
      .orderBy(asc(appUser.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ n: count() })
      .from(appUser)
      .leftJoin(institution, eq(institution.id, appUser.institutionId))
      .where(and(...where)),
  ])
  return { items: items.map(withLabel), total: Number(totals[0]?.n ?? 0), page: query.page, pageSize: query.pageSize }
}

const REGION_LEVEL: Partial<Record<Role, readonly string[]>> = {
  province: ['province'],
  city: ['city'],
  county: ['county'],
  officer: ['province', 'city', 'county'],
  police: ['province', 'city', 'county'],
}

export async function createUser(db: Db, principal: Principal, input: NewUser, ip?: string | null) {
  requireManager(principal)
  const scope = principal.scope
  if (!isRole(input.role)) throw field('role', '角色', `未知角色 ${input.role}`)
  const role = input.role
  if (!isStrongEnough(input.password)) throw appError('ERR_AUTH_WEAK_PASSWORD')
  const username = input.username.trim()
  if (!/^[A-Za-z0-9_.@-]{3,40}$/.test(username)) {
    throw field('username', '用户名', '用户名应为 3–40 位字母、数字或 _ . @ -')
  }
  const values = {
    username,
    displayName: input.displayName.trim() || username,
    role,
    regionCode: null as string | null,
    institutionId: null as number | null,
    timingPlatformId: null as number | null,
    subjectId: null as number | null,
  }

  const levels = REGION_LEVEL[role]
  if (levels) {
    const code = input.regionCode?.trim()
    if (!code) throw field('regionCode', '管辖区域', '该角色必须指定管辖区域')
    const [r] = await db.select().from(region).where(eq(region.code, code))
    if (!r) throw appError('ERR_REG_REGION_UNKNOWN', { code }, { field: 'regionCode' })
    if (!levels.includes(r.level)) throw field('regionCode', '管辖区域', `${ROLE_LABELS[role]}账号不能设在${r.name}`)
    if (!regionInside(scope, code)) throw appError('ERR_AUTH_OUT_OF_SCOPE', { detail: r.name })
    values.regionCode = code
  } else if (role === 'institution' || role === 'coach' || role === 'student') {
    let institutionId = input.institutionId ?? null
    if (role !== 'institution') {
      const table = role === 'coach' ? coach : student
      if (!input.subjectId) throw field('subjectId', '对应人员', '教练员、学员账号必须关联本人的备案记录')
      const [person] = await db
        .select({ id: table.id, institutionId: table.institutionId })
        .from(table)
        .where(eq(table.id, input.subjectId))
      if (!person) throw field('subjectId', '对应人员', `备案记录 ${input.subjectId} 不存在`)
      values.subjectId = person.id
      institutionId = person.institutionId
    }
    if (!institutionId) throw field('institutionId', '所属机构', '该角色必须指定所属机构')
    const [inst] = await db.select().from(institution).where(eq(institution.id, institutionId))
    if (!inst) throw field('institutionId', '所属机构', `机构 ${institutionId} 不存在`)
    if (!scopeContains(scope, { cityCode: inst.cityCode, countyCode: inst.countyCode, institutionId: inst.id })) {
      throw appError('ERR_AUTH_OUT_OF_SCOPE', { detail: inst.name })
    }
    values.institutionId = inst.id
  } else if (role === 'operator') {
    if (!principal.permissions.includes('platform:write')) {
      throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '创建计时平台运营商账号' })
    }
    if (!input.timingPlatformId) throw field('timingPlatformId', '计时平台', '运营商账号必须指定计时平台')
    const [p] = await db.select().from(timingPlatform).where(eq(timingPlatform.id, input.timingPlatformId))
    if (!p) throw field('timingPlatformId', '计时平台', `计时平台 ${input.timingPlatformId} 不存在`)
    values.timingPlatformId = p.id
  }

  const [taken] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.username, username))
  if (taken) throw appError('ERR_AUTH_USERNAME_TAKEN', { username })
  const passwordHash = await hashPassword(input.password)
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(appUser)
      .values({ ...values, passwordHash })
      .returning({ id: appUser.id })
    await writeAudit(tx, {
      actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
      action: 'user_create',
      entity: 'app_user',
      entityId: row!.id,
      regionCode: values.regionCode ?? principal.user.regionCode,
      detail: { username, role },
      ip,
    })
    return row!.id
  })
  return getManagedUser(db, principal, id)
}

function regionInside(scope: Scope, code: string): boolean {
  if (scope.kind !== 'region') return false
  const prefix = scopeRegionPrefix(scope)!
  if (!code.startsWith(prefix)) return false
  // A county manager may only create accounts of its own county, not of the whole city.
  return levelOf(scope.regionCode) !== 'county' || code === scope.regionCode
}

export async function getManagedUser(db: Db, principal: Principal, id: number) {
  requireManager(principal)
  const [row] = await baseQuery(db).where(and(eq(appUser.id, id), managedCondition(principal.scope)))
  if (!row) throw appError('ERR_REG_NOT_FOUND', { entity: '用户账号', id })
  return withLabel(row)
}

export async function updateUser(
  db: Db,
  principal: Principal,
  id: number,
  patch: { disabled?: boolean; displayName?: string; password?: string },
  ip?: string | null,
) {
  const current = await getManagedUser(db, principal, id)
  if (id === principal.user.id && patch.disabled) {
    throw appError('ERR_AUTH_FORBIDDEN', { role: principal.user.roleLabel, action: '停用自己的账号' })
  }
  const set: Partial<typeof appUser.$inferInsert> = {}
  if (patch.disabled !== undefined) set.disabled = patch.disabled
  if (patch.displayName?.trim()) set.displayName = patch.displayName.trim()
  if (patch.password !== undefined) {
    if (!isStrongEnough(patch.password)) throw appError('ERR_AUTH_WEAK_PASSWORD')
    set.passwordHash = await hashPassword(patch.password)
  }
  if (Object.keys(set).length === 0) return current
  await db.transaction(async (tx) => {
    await tx.update(appUser).set(set).where(eq(appUser.id, id))
    if (set.disabled || set.passwordHash) await endSessions(tx, id)
    await writeAudit(tx, {
      actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
      action: 'user_update',
      entity: 'app_user',
      entityId: id,
      regionCode: current.regionCode,
      detail: { changed: Object.keys(set).map((k) => (k === 'passwordHash' ? 'password' : k)) },
      ip,
    })
  })
  return getManagedUser(db, principal, id)
}
