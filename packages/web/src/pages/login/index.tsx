import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom'
import { useAuth } from '../../auth.tsx'

export const PLATFORM_NAME = '驾培监管服务平台'

export default function LoginPage() {
  const { me, login } = useAuth()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const redirect = params.get('redirect')
  const target = redirect?.startsWith('/') && !redirect.startsWith('//') ? redirect : '/'

  if (me) return <Navigate to={target} replace />

  async function submit(values: { username: string; password: string }) {
    setBusy(true)
    setError(null)
    try {
      // Wrong password or a disabled account is shown on the form itself.
      await login(values.username.trim(), values.password, (e) => {
        if (e.status === 401 || e.status === 403) {
          setError(e.message)
          return true
        }
        return false
      })
      navigate(target, { replace: true })
    } catch {
      // shown above or by the error policy
    } finally {
      setBusy(false)
    }
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #001529 0%, #003a8c 55%, #1677ff 100%)',
      }}
    >
      <Card style={{ width: 400, boxShadow: '0 12px 40px rgba(0,0,0,0.25)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <SafetyCertificateOutlined style={{ fontSize: 40, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
            {PLATFORM_NAME}
          </Typography.Title>
          <Typography.Text type="secondary">浙江省机动车驾驶员培训监管</Typography.Text>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} placeholder="用户名" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登 录
          </Button>
        </Form>
      </Card>
    </div>
  )
}
