/**
 * The declarative route table: menus, breadcrumbs and access checks all come from here.
 * `access` names a boolean of `access.ts` and `entity` a registry entity the user must be able to
 * list; a route without either is open to every logged-in user.
 */
import {
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CarOutlined,
  CloudServerOutlined,
  ClusterOutlined,
  ContainerOutlined,
  ControlOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  HistoryOutlined,
  KeyOutlined,
  LinkOutlined,
  ProfileOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  ToolOutlined,
  UsergroupAddOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { lazy, type ReactNode } from 'react'
import type { Access, AccessKey } from '../access.ts'
import type { EntityKey } from '../pages/registry/entities.ts'
import { RegistryPage } from '../pages/registry/RegistryPage.tsx'

const DashboardPage = lazy(() => import('../pages/dashboard/index.tsx'))
const InstitutionDetailPage = lazy(() => import('../pages/institution/index.tsx'))
const AuditPage = lazy(() => import('../pages/audit/index.tsx'))
const UsersPage = lazy(() => import('../pages/users/index.tsx'))
const TokensPage = lazy(() => import('../pages/tokens/index.tsx'))
const ExplainPage = lazy(() => import('../pages/explain/index.tsx'))
const TrainingSessionsPage = lazy(() => import('../pages/training/index.tsx'))
const SessionReplayPage = lazy(() => import('../pages/training/Replay.tsx'))
const FindingsPage = lazy(() => import('../pages/findings/index.tsx'))
const FindingDetailPage = lazy(() => import('../pages/findings/Detail.tsx'))
const LiveMonitorPage = lazy(() => import('../pages/live/index.tsx'))
const HoursLedgerPage = lazy(() => import('../pages/hours/Ledger.tsx'))
const StageReviewsPage = lazy(() => import('../pages/hours/Reviews.tsx'))
const SyllabusPolicyPage = lazy(() => import('../pages/policy/index.tsx'))
const DetectionPolicyPage = lazy(() => import('../pages/policy/Detection.tsx'))
const PlatformAccessPage = lazy(() => import('../pages/platforms/index.tsx'))

export interface RouteDef {
  path: string
  name: string
  icon?: ReactNode
  access?: AccessKey
  /** A registry entity the user must be able to list. */
  entity?: EntityKey
  element?: ReactNode
  hideInMenu?: boolean
  children?: RouteDef[]
}

const registry = (entity: EntityKey, name: string, icon: ReactNode): RouteDef => ({
  path: `/registry/${entity}`,
  name,
  icon,
  access: 'canRegistry',
  entity,
  element: <RegistryPage key={entity} entity={entity} />,
})

export const ROUTES: RouteDef[] = [
  { path: '/', name: '监管概览', icon: <DashboardOutlined />, access: 'canDashboard', element: <DashboardPage /> },
  {
    path: '/registry',
    name: '基础档案',
    icon: <FolderOpenOutlined />,
    access: 'canRegistry',
    children: [
      registry('institutions', '驾培机构', <ApartmentOutlined />),
      registry('fields', '教练场地', <EnvironmentOutlined />),
      registry('coaches', '教练员', <UserOutlined />),
      registry('vehicles', '教练车', <CarOutlined />),
      registry('terminals', '计时终端', <ClusterOutlined />),
      registry('students', '学员', <TeamOutlined />),
      registry('contracts', '培训合同', <FileProtectOutlined />),
      registry('platforms', '计时平台', <CloudServerOutlined />),
      {
        path: '/registry/institutions/:id',
        name: '机构详情',
        access: 'canRegistry',
        entity: 'institutions',
        hideInMenu: true,
        element: <InstitutionDetailPage />,
      },
    ],
  },
  {
    path: '/training',
    name: '培训监管',
    icon: <ReadOutlined />,
    access: 'canRegistry',
    children: [
      {
        path: '/training/live',
        name: '实时监控',
        icon: <AimOutlined />,
        access: 'canRegistry',
        element: <LiveMonitorPage />,
      },
      {
        path: '/training/sessions',
        name: '培训记录',
        icon: <HistoryOutlined />,
        access: 'canRegistry',
        element: <TrainingSessionsPage />,
      },
      {
        path: '/training/sessions/:id',
        name: '课堂回放',
        access: 'canRegistry',
        hideInMenu: true,
        element: <SessionReplayPage />,
      },
    ],
  },
  {
    path: '/supervision',
    name: '监管',
    icon: <SafetyCertificateOutlined />,
    access: 'canFindings',
    children: [
      {
        path: '/supervision/findings',
        name: '疑点线索',
        icon: <AlertOutlined />,
        access: 'canFindings',
        element: <FindingsPage />,
      },
      {
        path: '/supervision/findings/:id',
        name: '疑点详情',
        access: 'canFindings',
        hideInMenu: true,
        element: <FindingDetailPage />,
      },
      {
        path: '/supervision/rules',
        name: '检测规则',
        icon: <ControlOutlined />,
        access: 'canFindings',
        element: <DetectionPolicyPage />,
      },
    ],
  },
  {
    path: '/hours',
    name: '学时管理',
    icon: <FieldTimeOutlined />,
    access: 'canHours',
    children: [
      {
        path: '/hours/reviews',
        name: '阶段报审',
        icon: <ContainerOutlined />,
        access: 'canHours',
        element: <StageReviewsPage />,
      },
      {
        path: '/hours/students/:id',
        name: '学时台账',
        access: 'canHours',
        hideInMenu: true,
        element: <HoursLedgerPage />,
      },
      {
        path: '/hours/policy',
        name: '大纲政策',
        icon: <ProfileOutlined />,
        access: 'canHours',
        element: <SyllabusPolicyPage />,
      },
    ],
  },
  {
    path: '/system',
    name: '系统管理',
    icon: <SettingOutlined />,
    children: [
      {
        path: '/system/users',
        name: '账号管理',
        icon: <UsergroupAddOutlined />,
        access: 'canManageUsers',
        element: <UsersPage />,
      },
      {
        path: '/system/audit',
        name: '审计日志',
        icon: <AuditOutlined />,
        access: 'canReadAudit',
        element: <AuditPage />,
      },
      {
        path: '/system/platforms',
        name: '计时平台接入',
        icon: <LinkOutlined />,
        access: 'canManagePlatformAccess',
        element: <PlatformAccessPage />,
      },
      { path: '/system/tokens', name: 'API 令牌', icon: <KeyOutlined />, element: <TokensPage /> },
    ],
  },
  {
    path: '/tools',
    name: '工具',
    icon: <ToolOutlined />,
    children: [{ path: '/tools/explain', name: '报文解析', icon: <FileSearchOutlined />, element: <ExplainPage /> }],
  },
]

/** Whether the user may open a route (and see it in the menu). */
export function isAllowed(route: RouteDef, access: Access): boolean {
  return (!route.access || access[route.access]) && (!route.entity || access.canList(route.entity))
}

/** Every route with a page, flattened. */
export function pageRoutes(routes: RouteDef[] = ROUTES): RouteDef[] {
  return routes.flatMap((r) => [...(r.element ? [r] : []), ...pageRoutes(r.children ?? [])])
}
