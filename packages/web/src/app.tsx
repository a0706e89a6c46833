import { App as AntApp, ConfigProvider, Spin } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { type ReactNode, useEffect } from 'react'
import { BrowserRouter, Route, Routes } from 'react-router-dom'
import { AuthProvider, useAuth } from './auth.tsx'
import { isAllowed, pageRoutes, type RouteDef } from './config/routes.tsx'
import { BasicLayout } from './layouts/BasicLayout.tsx'
import LoginPage from './pages/login/index.tsx'
import NotFoundPage from './pages/not-found/index.tsx'
import { bindFeedback } from './request-error.ts'

dayjs.locale('zh-cn')

/** Hands antd's context-aware message/notification/modal to the error policy. */
function FeedbackBridge() {
  const { message, notification, modal } = AntApp.useApp()
  useEffect(() => bindFeedback({ message, notification, modal }), [message, notification, modal])
  return null
}

function Guarded({ route, children }: { route: RouteDef; children: ReactNode }) {
  const { access } = useAuth()
  if (!isAllowed(route, access)) return <NotFoundPage forbidden />
  return <>{children}</>
}

function AppRoutes() {
  const { loading } = useAuth()
  if (loading) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<BasicLayout />}>
        {pageRoutes().map((r) => (
          <Route key={r.path} path={r.path} element={<Guarded route={r}>{r.element}</Guarded>} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  )
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <FeedbackBridge />
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  )
}
