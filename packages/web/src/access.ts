/**
 * The only place where the permissions of `/api/auth/me` become booleans for menus, routes and
 * buttons. Pages ask `access.canWrite('coaches')`, never for a role name.
 */
import type { EntityKey } from './pages/registry/entities.ts'
import type { Role } from './validation.ts'

export interface CurrentUser {
  id: number
  username: string
  displayName: string
  role: string
  roleLabel: string
  regionCode: string | null
  regionName: string | null
  institutionId: number | null
  institutionName: string | null
  /** The timing platform an operator account runs. */
  timingPlatformId?: number | null
}

export interface Me {
  user: CurrentUser
  permissions: string[]
}

export interface Access {
  canDashboard: boolean
  canRegistry: boolean
  canReadPersonal: boolean
  canImport: boolean
  canExport: boolean
  canManageUsers: boolean
  canReadAudit: boolean
  /** Fees and public disclosure of an institution (an institution edits its own). */
  canEditDisclosure: boolean
  /** 转学: move a student to another institution of the jurisdiction. */
  canTransferStudents: boolean
  /** 疑点线索: supervising, institution and police accounts (coaches, students and operators read them through the API only). */
  canFindings: boolean
  /** 学时台账 and 阶段报审 lists (hours:read); 阶段报审/结业证书 requests (hours:apply); review decisions; 大纲政策 publication. */
  canHours: boolean
  canApplyHours: boolean
  canReviewHours: boolean
  canPublishPolicy: boolean
  /** 计时平台接入: issue and revoke 接入证书 and read the request log (any platform with platform:write, an operator its own). */
  canManagePlatformAccess: boolean
  /** The entity of the account's own record (coach and student accounts), whose list holds only that row. */
  ownRecord: EntityKey | null
  /** Open the list and details of an entity (menus, routes, links). */
  canList(entity: EntityKey): boolean
  /** Create, edit and delete rows of an entity. */
  canWrite(entity: EntityKey): boolean
}

/** Which permission writes which registry entity (mirrors the server's route guards). */
const WRITE_PERMISSION: Record<EntityKey, string> = {
  institutions: 'institution:write',
  platforms: 'platform:write',
  terminals: 'terminal:write',
  fields: 'registry:write',
  coaches: 'registry:write',
  vehicles: 'registry:write',
  students: 'registry:write',
  contracts: 'registry:write',
}

/**
 * Registry entities an account with a narrow jurisdiction can see at all (mirrors the server's
 * scopes): a coach or a student only their own record, an operator the terminals of its platform,
 * the institutions they serve and the platforms. Every other registry reader sees every entity.
 */
const VISIBLE_ENTITIES: Partial<Record<Role, readonly EntityKey[]>> = {
  coach: ['coaches'],
  student: ['students'],
  operator: ['institutions', 'terminals', 'platforms'],
}

const OWN_RECORD: Partial<Record<Role, EntityKey>> = { coach: 'coaches', student: 'students' }

export function accessOf(me: Me | null): Access {
  const has = new Set(me?.permissions ?? [])
  const role = me?.user.role as Role | undefined
  const visible = role ? VISIBLE_ENTITIES[role] : undefined
  return {
    canDashboard: has.has('dashboard:read'),
    canRegistry: has.has('registry:read'),
    canReadPersonal: has.has('personal:read'),
    canImport: has.has('registry:import'),
    canExport: has.has('registry:export'),
    canManageUsers: has.has('user:manage'),
    canReadAudit: has.has('audit:read'),
    canEditDisclosure: has.has('institution:disclosure'),
    // An institution account writes students, but its jurisdiction holds no other institution to move them to.
    canTransferStudents: has.has('registry:write') && !me?.user.institutionId,
    canFindings: has.has('registry:read') && has.has('dashboard:read'),
    canHours: has.has('hours:read'),
    canApplyHours: has.has('hours:apply'),
    canReviewHours: has.has('hours:review'),
    canPublishPolicy: has.has('policy:write'),
    canManagePlatformAccess: has.has('platform:write') || (role === 'operator' && !!me?.user.timingPlatformId),
    ownRecord: (role && OWN_RECORD[role]) ?? null,
    canList: (entity) => has.has('registry:read') && (!visible || visible.includes(entity)),
    canWrite: (entity) => has.has(WRITE_PERMISSION[entity]),
  }
}

/** The yes/no entries of `Access`, usable as the `access` of a route. */
export type AccessKey = { [K in keyof Access]: Access[K] extends boolean ? K : never }[keyof Access]
