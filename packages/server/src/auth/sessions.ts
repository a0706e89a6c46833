/**
 * Login sessions and API tokens. Only the sha256 of a secret is stored; the raw value lives in the
 * browser cookie (`jiapei_session`) or with the API client (`jp_…` bearer token).
 */
import crypto from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { apiToken, appUser, userSession } from '../db/schema/index.ts'
import { appError } from '../errors/catalogue.ts'
import { writeAudit } from './audit.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import { loadPrincipalUser, type Principal, principalFor } from './principal.ts'

export const SESSION_COOKIE = 'jiapei_session'
export const TOKEN_PREFIX = 'jp_'

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export interface ClientInfo {
  ip?: string | null
  userAgent?: string | null
}

/** Hash verified when the username is unknown, so both failures take the same time. */
let decoyHash: Promise<string> | undefined

/**
 * Checks a username and password and opens a session. Failures are audit-logged and answered
 * with one code for unknown user and wrong password alike.
 */
export async function login(
  db: Db,
  input: { username: string; password: string },
  options: { ttlHours: number; client?: ClientInfo },
): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const username = input.username.trim()
  const [account] = await db.select().from(appUser).where(eq(appUser.username, username))
  decoyHash ??= hashPassword('decoy-password-0')
  const ok = await verifyPassword(account?.passwordHash ?? (await decoyHash), input.password)
  if (!account || !ok) {
    await writeAudit(db, {
      actor: account ? { id: account.id, username: account.username, role: account.role } : null,
      action: 'login_failed',
      entity: 'app_user',
      entityId: account?.id ?? null,
      regionCode: account?.regionCode ?? null,
      detail: { username },
      ip: options.client?.ip ?? null,
    })
    throw appError('ERR_AUTH_BAD_CREDENTIALS')
  }
  if (account.disabled) throw appError('ERR_AUTH_ACCOUNT_DISABLED')
  const user = await loadPrincipalUser(db, account.id)
  if (!user) throw appError('ERR_AUTH_BAD_CREDENTIALS')

  const token = randomSecret()
  const expiresAt = new Date(Date.now() + options.ttlHours * 3600_000)
  await db.transaction(async (tx) => {
    await tx.insert(userSession).values({
      tokenHash: sha256(token),
      userId: account.id,
      expiresAt,
      ip: options.client?.ip ?? null,
      userAgent: options.client?.userAgent?.slice(0, 500) ?? null,
    })
    await tx.update(appUser).set({ lastLoginAt: new Date() }).where(eq(appUser.id, account.id))
    await writeAudit(tx, {
      actor: { id: account.id, username: account.username, role: account.role },
      action: 'login',
      entity: 'app_user',
      entityId: account.id,
      regionCode: user.regionCode,
      ip: options.client?.ip ?? null,
    })
  })
  return { token, expiresAt, principal: principalFor(user, 'session') }
}

/** The principal of a session cookie value. */
export async function principalFromSession(db: Db, token: string): Promise<Principal> {
  const hash = sha256(token)
  const [session] = await db.select().from(userSession).where(eq(userSession.tokenHash, hash))
  if (!session) throw appError('ERR_AUTH_REQUIRED')
  if (session.expiresAt.getTime() <= Date.now()) {
    await db.delete(userSession).where(eq(userSession.tokenHash, hash))
    throw appError('ERR_AUTH_SESSION_EXPIRED')
  }
  const user = await loadPrincipalUser(db, session.userId)
  if (!user) throw appError('ERR_AUTH_REQUIRED')
  if (user.disabled) throw appError('ERR_AUTH_ACCOUNT_DISABLED')
  return principalFor(user, 'session')
}

export async function logout(db: Db, token: string, principal: Principal | null, client?: ClientInfo): Promise<void> {
  await db.delete(userSession).where(eq(userSession.tokenHash, sha256(token)))
  if (principal) {
    await writeAudit(db, {
      actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
      action: 'logout',
      entity: 'app_user',
      entityId: principal.user.id,
      regionCode: principal.user.regionCode,
      ip: client?.ip ?? null,
    })
  }
}

/** The principal of an `Authorization: Bearer jp_…` token. */
export async function principalFromToken(db: Db, token: string): Promise<Principal> {
  const [row] = await db
    .select()
    .from(apiToken)
    .where(eq(apiToken.tokenHash, sha256(token)))
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) {
    throw appError('ERR_AUTH_TOKEN_INVALID')
  }
  const user = await loadPrincipalUser(db, row.userId)
  if (!user) throw appError('ERR_AUTH_TOKEN_INVALID')
  if (user.disabled) throw appError('ERR_AUTH_ACCOUNT_DISABLED')
  await db.update(apiToken).set({ lastUsedAt: new Date() }).where(eq(apiToken.id, row.id))
  return principalFor(user, 'token')
}

const tokenColumns = {
  id: apiToken.id,
  name: apiToken.name,
  prefix: apiToken.prefix,
  createdAt: apiToken.createdAt,
  expiresAt: apiToken.expiresAt,
  lastUsedAt: apiToken.lastUsedAt,
  revokedAt: apiToken.revokedAt,
}

export async function listTokens(db: Db, principal: Principal) {
  return db.select(tokenColumns).from(apiToken).where(eq(apiToken.userId, principal.user.id)).orderBy(desc(apiToken.id))
}

/** Creates a token; the raw value is returned once and never stored. */
export async function createToken(
  db: Db,
  principal: Principal,
  input: { name: string; expiresInDays?: number | null },
  client?: ClientInfo,
) {
  const token = `${TOKEN_PREFIX}${randomSecret()}`
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiToken)
      .values({
        userId: principal.user.id,
        name: input.name.trim(),
        prefix: token.slice(0, 10),
        tokenHash: sha256(token),
        expiresAt,
      })
      .returning(tokenColumns)
    await writeAudit(tx, {
      actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
      action: 'token_create',
      entity: 'api_token',
      entityId: row!.id,
      regionCode: principal.user.regionCode,
      detail: { name: row!.name },
      ip: client?.ip ?? null,
    })
    return { ...row!, token }
  })
}

export async function revokeToken(db: Db, principal: Principal, id: number, client?: ClientInfo): Promise<void> {
  const rows = await db
    .update(apiToken)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiToken.id, id), eq(apiToken.userId, principal.user.id), isNull(apiToken.revokedAt)))
    .returning({ id: apiToken.id })
  if (rows.length === 0) throw appError('ERR_REG_NOT_FOUND', { entity: 'API 令牌', id })
  await writeAudit(db, {
    actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
    action: 'token_revoke',
    entity: 'api_token',
    entityId: id,
    regionCode: principal.user.regionCode,
    ip: client?.ip ?? null,
  })
}

/** Ends every session of an account (used when it is disabled). */
export async function endSessions(db: Pick<Db, 'delete'>, userId: number): Promise<void> {
  await db.delete(userSession).where(eq(userSession.userId, userId))
}
