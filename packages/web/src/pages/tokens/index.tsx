import { CheckOutlined, CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'
import { fieldErrorHandler } from '../../request-error.ts'

interface TokenRow {
  id: number
  name: string
  prefix: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

type CreatedToken = TokenRow & { token: string }

const EXPIRY_OPTIONS = [
  { value: 30, label: '30 天' },
  { value: 90, label: '90 天' },
  { value: 180, label: '180 天' },
  { value: 365, label: '1 年' },
  { value: 0, label: '永不过期' },
]

const time = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : null)

function statusOf(row: TokenRow) {
  if (row.revokedAt) return <Tag>已吊销 {time(row.revokedAt)}</Tag>
  if (row.expiresAt && dayjs(row.expiresAt).isBefore(dayjs())) return <Tag color="orange">已过期</Tag>
  return <Tag color="green">有效</Tag>
}

/** API 令牌 of the logged-in account: for programs that call the API on the account's behalf. */
export default function TokensPage() {
  const { message } = App.useApp()
  const [rows, setRows] = useState<TokenRow[]>([])
  const [loading, setLoading] = useState(false)
  const [reload, setReload] = useState(0)
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [created, setCreated] = useState<CreatedToken | null>(null)
  const [form] = Form.useForm<{ name: string; expiresInDays: number }>()

  useEffect(() => {
    let live = true
    setLoading(true)
    void reload
    request<TokenRow[]>('/api/auth/tokens')
      .then((r) => live && setRows(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [reload])

  async function submit() {
    const values = await form.validateFields()
    setSaving(true)
    try {
      const token = await request<CreatedToken>('/api/auth/tokens', {
        method: 'POST',
        body: { name: values.name.trim(), expiresInDays: values.expiresInDays || null },
        onError: fieldErrorHandler(form, ['name', 'expiresInDays']),
      })
      setOpen(false)
      setCreated(token)
      setReload((k) => k + 1)
    } catch {
      // shown by the error policy or next to the field
    } finally {
      setSaving(false)
    }
  }

  async function revoke(row: TokenRow) {
    try {
      await request(`/api/auth/tokens/${row.id}`, { method: 'DELETE' })
      message.success(`已吊销令牌「${row.name}」`)
      setReload((k) => k + 1)
    } catch {
      // reported by the error policy
    }
  }

  return (
    <Card
      title="API 令牌"
      data-testid="tokens-page"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields()
            setOpen(true)
          }}
        >
          创建令牌
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        程序调用平台接口时，在请求头携带 <Typography.Text code>Authorization: Bearer 令牌</Typography.Text>
        ，以您的账号身份和管辖范围访问。令牌泄露后请立即吊销。
      </Typography.Paragraph>
      <Table<TokenRow>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          {
            title: '令牌前缀',
            dataIndex: 'prefix',
            width: 150,
            render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
          },
          { title: '创建时间', dataIndex: 'createdAt', width: 150, render: time },
          {
            title: '有效期至',
            dataIndex: 'expiresAt',
            width: 150,
            render: (v: string | null) => time(v) ?? '永不过期',
          },
          {
            title: '最近使用',
            dataIndex: 'lastUsedAt',
            width: 150,
            render: (v: string | null) => time(v) ?? <Typography.Text type="secondary">从未使用</Typography.Text>,
          },
          { title: '状态', key: 'status', width: 190, render: (_, r) => statusOf(r) },
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_, r) =>
              r.revokedAt ? null : (
                <Popconfirm
                  title={`吊销令牌「${r.name}」？`}
                  description="吊销后使用该令牌的程序将无法再访问平台，且不可恢复。"
                  okText="吊销"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => revoke(r)}
                >
                  <Button type="link" size="small" danger>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        title="创建 API 令牌"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={saving}
        okText="创建"
        forceRender
      >
        <Form form={form} layout="vertical" initialValues={{ expiresInDays: 90 }}>
          <Form.Item
            name="name"
            label="名称"
            extra="用于辨认令牌的用途，例如：数据对接程序"
            rules={[
              { required: true, whitespace: true, message: '请输入令牌名称' },
              { max: 60, message: '名称最多 60 个字' },
            ]}
          >
            <Input maxLength={60} autoComplete="off" />
          </Form.Item>
          <Form.Item name="expiresInDays" label="有效期">
            <Select options={EXPIRY_OPTIONS} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={
          <span>
            <KeyOutlined /> 令牌已创建
          </span>
        }
        open={created !== null}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            我已保存，关闭
          </Button>
        }
        maskClosable={false}
      >
        {created && (
          <>
            <Alert
              type="warning"
              showIcon
              title="令牌只显示这一次"
              description="请立即复制并妥善保存。关闭本窗口后无法再次查看，遗失只能吊销后重新创建。"
              style={{ marginBottom: 16 }}
            />
            <Typography.Paragraph>
              令牌「{created.name}」{created.expiresAt ? `有效期至 ${time(created.expiresAt)}` : '永不过期'}：
            </Typography.Paragraph>
            <Typography.Paragraph
              code
              copyable={{
                text: created.token,
                tooltips: false,
                icon: [
                  <span key="copy" data-testid="copy-token">
                    <CopyOutlined /> 复制
                  </span>,
                  <span key="copied">
                    <CheckOutlined /> 已复制
                  </span>,
                ],
              }}
              style={{ wordBreak: 'break-all' }}
            >
              <span data-testid="new-token">{created.token}</span>
            </Typography.Paragraph>
          </>
        )}
      </Modal>
    </Card>
  )
}
