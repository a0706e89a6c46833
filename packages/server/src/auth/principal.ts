/**
 * The signed-in principal: the account, the jurisdiction it governs (`Scope`) and its permissions.
 * Scope and permissions are derived from the account here and nowhere else.
 */
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { appUser, institution, region, timingPlatform } from '../db/schema/index.ts'
import { isRole, type Permission, ROLE_LABELS, ROLE_PERMISSIONS, type Role } from './roles.ts'
import type { Scope } from './scope.ts'

export interface PrincipalUser {
  id: number
  username: string
  displayName: string
  role: Role
  roleLabel: string
  /** The region the account governs; for institution, coach and student accounts the institution's county. */
  regionCode: string | null
  regionName: string | null
  institutionId: number | null
  institutionName: string | null
  timingPlatformId: number | null
  timingPlatformName: string | null
  /** For coach and student accounts: the id of the person's own registry row. */
  subjectId: number | null
  disabled: boolean
}

export interface Principal {
  user: PrincipalUser
  scope: Scope
  permissions: readonly Permission[]
  /** How the request authenticated. */
  via: 'session' | 'token'
}

const REGION_ROLES: readonly Role[] = ['province', 'city', 'county', 'officer', 'police']

/** The jurisdiction of an account, from its role and the place it is attached to. */
export function resolveScope(user: {
  role: Role
  regionCode: string | null
  institutionId: number | null
  timingPlatformId: number | null
  subjectId: number | null
}): Scope {
  if (REGION_ROLES.includes(user.role)) {
    return user.regionCode ? { kind: 'region', regionCode: user.regionCode } : { kind: 'none' }
  }
  switch (user.role) {
    case 'institution':
      return user.institutionId ? { kind: 'institution', institutionId: user.institutionId } : { kind: 'none' }
    case 'operator':
      return user.timingPlatformId ? { kind: 'platform', timingPlatformId: user.timingPlatformId } : { kind: 'none' }
    case 'coach':
    case 'student':
      return user.subjectId
        ? { kind: 'self', entity: user.role, id: user.subjectId, institutionId: user.institutionId ?? 0 }
        : { kind: 'none' }
    default:
      return { kind: 'none' }
  }
}

/** The columns of an account with the names the console shows (region, institution, platform). */
export const accountColumns = {
  id: appUser.id,
  username: appUser.username,
  displayName: appUser.displayName,
  role: appUser.role,
  regionCode: sql<string | null>`coalesce(${appUser.regionCode}, ${institution.countyCode})`,
  regionName: region.name,
  institutionId: appUser.institutionId,
  institutionName: institution.name,
  timingPlatformId: appUser.timingPlatformId,
  timingPlatformName: timingPlatform.name,
  subjectId: appUser.subjectId,
  disabled: appUser.disabled,
}

/** Loads an account with the names the console shows; null when it does not exist. */
export async function loadPrincipalUser(db: Pick<Db, 'select'>, userId: number): Promise<PrincipalUser | null> {
  const rows = await db
    .select(accountColumns)
    .from(appUser)
    .leftJoin(institution, eq(institution.id, appUser.institutionId))
    .leftJoin(region, sql`${region.code} = coalesce(${appUser.regionCode}, ${institution.countyCode})`)
    .leftJoin(timingPlatform, eq(timingPlatform.id, appUser.timingPlatformId))
    .where(eq(appUser.id, userId))
  const row = rows[0]
  if (!row || !isRole(row.role)) return null
  return { ...row, role: row.role, roleLabel: ROLE_LABELS[row.role] }
}

export function principalFor(user: PrincipalUser, via: Principal['via']): Principal {
  return {
    user,
    scope: resolveScope({
      role: user.role,
      // Region roles govern their own region code; the coalesced code only labels the others.
      regionCode: REGION_ROLES.includes(user.role) ? user.regionCode : null,
      institutionId: user.institutionId,
      timingPlatformId: user.timingPlatformId,
      subjectId: user.subjectId,
    }),
    permissions: ROLE_PERMISSIONS[user.role],
    via,
  }
}

/** The account as `/api/auth/me` and login return it. */
export function publicUser(user: PrincipalUser) {
  const { disabled: _disabled, ...rest } = user
  return rest
}
