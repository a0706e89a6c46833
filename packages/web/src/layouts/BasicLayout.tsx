import { KeyOutlined, LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons'
import { Avatar, Breadcrumb, Dropdown, Layout, Menu, type MenuProps, Space, Spin, Tag, Typography, theme } from 'antd'
import { Suspense, useMemo, useState } from 'react'
import { matchPath, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom'
import type { Access } from '../access.ts'
import { useAuth } from '../auth.tsx'
import { isAllowed, pageRoutes, ROUTES, type RouteDef } from '../config/routes.tsx'
import { PLATFORM_NAME } from '../pages/login/index.tsx'

type MenuItem = Required<MenuProps>['items'][number]

function menuItems(routes: RouteDef[], access: Access): MenuItem[] {
  const items: MenuItem[] = []
  for (const r of routes) {
    if (r.hideInMenu || !isAllowed(r, access)) continue
    if (r.children) {
      const children = menuItems(r.children, access)
      if (children.length > 0) items.push({ key: r.path, icon: r.icon, label: r.name, children })
    } else items.push({ key: r.path, icon: r.icon, label: r.name })
  }
  return items
}

/** The chain of routes down to the current page (for breadcrumbs and the selected menu item). */
function trail(routes: RouteDef[], pathname: string): RouteDef[] {
  for (const r of routes) {
    if (r.element && matchPath({ path: r.path, end: true }, pathname)) return [r]
    if (r.children) {
      const sub = trail(r.children, pathname)
      if (sub.length > 0) return [r, ...sub]
    }
  }
  return []
}

/** The first page the user may open (the home page for users without the dashboard). */
export function firstAllowedPath(access: Access): string | null {
  return pageRoutes().find((r) => !r.hideInMenu && isAllowed(r, access))?.path ?? null
}

export function BasicLayout() {
  const { me, access, logout } = useAuth()
  const location = useLocation()
  const navigate = useNavigate()
  const [collapsed, setCollapsed] = useState(false)
  const { token } = theme.useToken()
  const items = useMemo(() => menuItems(ROUTES, access), [access])
  const chain = trail(ROUTES, location.pathname)

  if (!me) {
    const back = location.pathname + location.search
    return <Navigate to={back === '/' ? '/login' : `/login?redirect=${encodeURIComponent(back)}`} replace />
  }
  if (location.pathname === '/' && !access.canDashboard) {
    const first = firstAllowedPath(access)
    if (first && first !== '/') return <Navigate to={first} replace />
  }

  const selected = chain.filter((r) => !r.hideInMenu).at(-1)?.path ?? location.pathname
  const openKeys = chain.slice(0, -1).map((r) => r.path)
  const { user } = me
  const userMenu: MenuProps = {
    items: [
      { key: 'tokens', icon: <KeyOutlined />, label: 'API 令牌' },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: async ({ key }) => {
      if (key === 'tokens') navigate('/system/tokens')
      if (key === 'logout') {
        await logout()
        navigate('/login', { replace: true })
      }
    },
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} theme="dark">
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            gap: 8,
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 20 : 16,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <SafetyCertificateOutlined style={{ color: '#69b1ff' }} />
          {!collapsed && PLATFORM_NAME}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[selected]}
          defaultOpenKeys={collapsed ? [] : [...openKeys, '/registry']}
          onClick={({ key }) => navigate(key)}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Breadcrumb items={chain.map((r) => ({ title: r.name }))} />
          <Dropdown menu={userMenu} placement="bottomRight">
            <Space style={{ cursor: 'pointer' }} data-testid="user-box">
              <Tag color="blue">{user.roleLabel}</Tag>
              {(user.institutionName ?? user.regionName) && (
                <Typography.Text type="secondary">{user.institutionName ?? user.regionName}</Typography.Text>
              )}
              <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
              <Typography.Text strong>{user.displayName}</Typography.Text>
            </Space>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: token.colorTextTertiary, padding: '12px 24px' }}>
          {PLATFORM_NAME} · 浙江省
        </Layout.Footer>
      </Layout>
    </Layout>
  )
}
