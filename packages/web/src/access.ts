/**
 * The only place where the permissions of `/api/auth/me` become booleans for menus, routes and
 * buttons. Pages ask `access.canWrite('coaches')`, never for a role name.
 */
import type { EntityKey } from './pages/registry/entities.ts'

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

export function accessOf(me: Me | null): Access {
  const has = new Set(me?.permissions ?? [])
  return {
    canDashboard: has.has('dashboard:read'),
    canRegistry: has.has('registry:read'),
    canReadPersonal: has.has('personal:read'),
    canImport: has.has('registry:import'),
    canExport: has.has('registry:export'),
    canManageUsers: has.has('user:manage'),
    canReadAudit: has.has('audit:read'),
    canEditDisclosure: has.has('institution:disclosure'),
    canWrite: (entity) => has.has(WRITE_PERMISSION[entity]),
  }
}

export type AccessKey = Exclude<keyof Access, 'canWrite'>
