/**
 * The demo accounts created with the demo province, one per role, all with the same password.
 */
import { ROLE_LABELS, type Role } from '../auth/roles.ts'
import type { Sql } from '../db/client.ts'

export const DEMO_PASSWORD = 'Jiapei@2021'

export interface DemoAccountSpec {
  username: string
  role: Role
  /** Fixed region of regulator accounts; institution-bound accounts take the institution's county. */
  regionCode: string | null
  displayName: string
}

export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { username: 'sheng', role: 'province', regionCode: '330000', displayName: '浙江省交通运输厅' },
  { username: 'hangzhou', role: 'city', regionCode: '330100', displayName: '杭州市交通运输局' },
  { username: 'xihu', role: 'county', regionCode: '330106', displayName: '西湖区交通运输局' },
  { username: 'yuhang', role: 'county', regionCode: '330110', displayName: '余杭区交通运输局' },
  { username: 'zhifa', role: 'officer', regionCode: '330106', displayName: '西湖区运输执法人员' },
  { username: 'jigou', role: 'institution', regionCode: null, displayName: '' },
  { username: 'jiaolian', role: 'coach', regionCode: null, displayName: '' },
  { username: 'xueyuan', role: 'student', regionCode: null, displayName: '' },
  { username: 'yunying', role: 'operator', regionCode: null, displayName: '' },
  { username: 'jiaojing', role: 'police', regionCode: '330000', displayName: '浙江省公安厅交通管理局' },
]

/** County of the demo institution, coach and student accounts. */
export const DEMO_INSTITUTION_COUNTY = '330106'

export interface DemoAccountRow {
  username: string
  role: Role
  roleLabel: string
  displayName: string
  password: string
  /** What the account governs, in words: 浙江省, 杭州市西湖区, an institution's name … */
  scope: string
}

/** The demo accounts present in the database, with their scope in words (for the start banner). */
export async function listDemoAccounts(q: Sql): Promise<DemoAccountRow[]> {
  const rows = await q.query<{
    username: string
    role: Role
    display_name: string
    region_name: string | null
    parent_name: string | null
    institution_name: string | null
    platform_name: string | null
  }>(
    `SELECT u.username, u.role, u.display_name, r.name AS region_name,
            CASE WHEN r.level = 'county' THEN p.name END AS parent_name,
            i.name AS institution_name, t.name AS platform_name
       FROM app_user u
       LEFT JOIN region r ON r.code = u.region_code
       LEFT JOIN region p ON p.code = r.parent_code
       LEFT JOIN institution i ON i.id = u.institution_id
       LEFT JOIN timing_platform t ON t.id = u.timing_platform_id
      WHERE u.username = ANY($1::text[])`,
    [DEMO_ACCOUNTS.map((a) => a.username)],
  )
  const byName = new Map(rows.map((r) => [r.username, r]))
  const out: DemoAccountRow[] = []
  for (const spec of DEMO_ACCOUNTS) {
    const r = byName.get(spec.username)
    if (!r) continue
    let scope: string
    if (spec.role === 'institution') scope = r.institution_name ?? ''
    else if (spec.role === 'coach' || spec.role === 'student') scope = `本人（${r.institution_name ?? ''}）`
    else if (spec.role === 'operator') scope = r.platform_name ?? ''
    else scope = `${r.parent_name ?? ''}${r.region_name ?? ''}`
    out.push({
      username: r.username,
      role: r.role,
      roleLabel: ROLE_LABELS[r.role] ?? r.role,
      displayName: r.display_name,
      password: DEMO_PASSWORD,
      scope,
    })
  }
  return out
}
