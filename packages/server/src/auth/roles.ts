/**
 * Roles of MISSION.md and what each may do. This file is the only place where a role becomes a
 * permission; the web console receives the resulting list from `/api/auth/me`.
 */

export const ROLES = [
  'province',
  'city',
  'county',
  'officer',
  'institution',
  'coach',
  'student',
  'operator',
  'police',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  province: '省厅',
  city: '市交通运输局',
  county: '县（市、区）交通运输局',
  officer: '执法人员',
  institution: '驾培机构',
  coach: '教练员',
  student: '学员',
  operator: '计时平台运营商',
  police: '公安交管',
}

export const PERMISSIONS = [
  'registry:read',
  'registry:write',
  'institution:write',
  'institution:disclosure',
  'terminal:write',
  'platform:write',
  'personal:read',
  'registry:import',
  'registry:export',
  'dashboard:read',
  'user:manage',
  'audit:read',
  'hours:read',
  'hours:apply',
  'hours:review',
  'policy:write',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const REGULATOR: Permission[] = [
  'registry:read',
  'registry:write',
  'institution:write',
  'institution:disclosure',
  'terminal:write',
  'personal:read',
  'registry:import',
  'registry:export',
  'dashboard:read',
  'user:manage',
  'audit:read',
  'hours:read',
  'hours:apply',
  'hours:review',
]

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  province: [...REGULATOR, 'platform:write', 'policy:write'],
  city: REGULATOR,
  county: REGULATOR,
  officer: ['registry:read', 'personal:read', 'registry:export', 'dashboard:read', 'hours:read', 'hours:review'],
  institution: [
    'registry:read',
    'registry:write',
    'institution:disclosure',
    'personal:read',
    'registry:import',
    'registry:export',
    'dashboard:read',
    'hours:read',
    'hours:apply',
  ],
  coach: ['registry:read'],
  student: ['registry:read', 'hours:read'],
  operator: ['registry:read', 'terminal:write', 'registry:export'],
  police: ['registry:read', 'personal:read', 'registry:export', 'dashboard:read', 'hours:read'],
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
