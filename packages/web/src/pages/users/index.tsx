import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { type Page, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { regionWithin, useRegions } from '../../regions.ts'
import { fieldErrorHandler } from '../../request-error.ts'
import { ROLE_LABELS, type Role } from '../../validation.ts'

interface UserRow {
  id: number
  username: string
  displayName: string
  role: Role
  roleLabel?: string
  regionCode: string | null
  regionName?: string | null
  institutionId: number | null
  institutionName?: string | null
  timingPlatformId?: number | null
  timingPlatformName?: string | null
  subjectId?: number | null
  disabled?: boolean
  lastLoginAt?: string | null
  createdAt?: string
}

/** Levels of the region a regional account is bound to (mirrors the server's account rules). */
const REGION_LEVEL: Partial<Record<Role, readonly string[]>> = {
  province: ['province'],
  city: ['city'],
  county: ['county'],
  officer: ['province', 'city', 'county'],
  police: ['province', 'city', 'county'],
}

const FORM_FIELDS = [
  'username',
  'displayName',
  'role',
  'password',
  'regionCode',
  'institutionId',
  'timingPlatformId',
  'subjectId',
]

/** 账号管理: accounts inside the manager's jurisdiction. */
export default function UsersPage() {
  const { me, access } = useAuth()
  const { message } = App.useApp()
  const regions = useRegions()
  const [data, setData] = useState<Page<UserRow>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [q, setQ] = useState('')
  const [roleFilter, setRoleFilter] = useState<Role>()
  const [loading, setLoading] = useState(false)
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [reload, setReload] = useState(0)
  const [form] = Form.useForm()
  const role = Form.useWatch('role', form) as Role | undefined

  useEffect(() => {
    let live = true
    setLoading(true)
    void reload
    request<Page<UserRow>>('/api/users', { query: { page, pageSize, q, role: roleFilter } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, q, roleFilter, reload])

  const regionOptions = useMemo(() => {
    const levels = role ? REGION_LEVEL[role] : undefined
    return regions
      .filter((r) => (!levels || levels.includes(r.level)) && regionWithin(r.code, me?.user.regionCode))
      .map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))
  }, [regions, role, me])

  async function submit() {
    const values = await form.validateFields()
    setSaving(true)
    try {
      await request('/api/users', {
        method: 'POST',
        body: {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          role: values.role,
          password: values.password,
          regionCode: values.regionCode ?? null,
          institutionId: values.institutionId ?? null,
          timingPlatformId: values.timingPlatformId ?? null,
          subjectId: values.subjectId ?? null,
        },
        onError: fieldErrorHandler(form, FORM_FIELDS),
      })
      message.success(`已创建账号 ${values.username}`)
      setOpen(false)
      setReload((k) => k + 1)
    } catch {
      // shown by the error policy or next to the field
    } finally {
      setSaving(false)
    }
  }

  async function setDisabled(row: UserRow, disabled: boolean) {
    try {
      await request(`/api/users/${row.id}`, { method: 'PATCH', body: { disabled } })
      message.success(disabled ? `已停用 ${row.username}` : `已启用 ${row.username}`)
      setReload((k) => k + 1)
    } catch {
      // reported by the error policy
    }
  }

  const needsRegion = role ? REGION_LEVEL[role] !== undefined : false
  const subject = role === 'coach' ? 'coaches' : role === 'student' ? 'students' : null
  // Operator accounts belong to a timing platform; only those who manage platforms may create them.
  const roleOptions = Object.entries(ROLE_LABELS)
    .filter(([value]) => value !== 'operator' || access.canWrite('platforms'))
    .map(([value, label]) => ({ value, label }))

  return (
    <Card
      title="账号管理"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields()
            setOpen(true)
          }}
        >
          新建账号
        </Button>
      }
    >
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder="用户名、姓名"
          style={{ width: 240 }}
          enterButton="查询"
          onSearch={(v) => {
            setQ(v.trim())
            setPage(1)
          }}
        />
        <Select
          allowClear
          placeholder="角色"
          style={{ width: 200 }}
          value={roleFilter}
          options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
          onChange={(v) => {
            setRoleFilter(v)
            setPage(1)
          }}
        />
      </Space>
      <Table<UserRow>
        rowKey="id"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 'max-content' }}
        onChange={(p) => {
          setPage(p.current ?? 1)
          setPageSize(p.pageSize ?? 20)
        }}
        pagination={{ current: page, pageSize, total: data.total, showTotal: (t) => `共 ${t} 个账号` }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 140 },
          { title: '姓名 / 名称', dataIndex: 'displayName' },
          {
            title: '角色',
            dataIndex: 'role',
            width: 180,
            render: (v: Role, r) => <Tag color="blue">{r.roleLabel ?? ROLE_LABELS[v] ?? v}</Tag>,
          },
          { title: '行政区划', key: 'region', width: 130, render: (_, r) => r.regionName ?? r.regionCode ?? '—' },
          { title: '所属单位', key: 'org', render: (_, r) => r.institutionName ?? r.timingPlatformName ?? '—' },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, r) => (r.disabled ? <Tag>停用</Tag> : <Tag color="green">正常</Tag>),
          },
          {
            title: '最近登录',
            dataIndex: 'lastLoginAt',
            width: 150,
            render: (v?: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—'),
          },
          {
            title: '操作',
            key: 'actions',
            width: 90,
            render: (_, r) =>
              r.id === me?.user.id ? null : (
                <Popconfirm
                  title={r.disabled ? `启用账号 ${r.username}？` : `停用账号 ${r.username}？`}
                  description={r.disabled ? undefined : '停用后该账号的会话立即失效。'}
                  onConfirm={() => setDisabled(r, !r.disabled)}
                >
                  <Button type="link" size="small" danger={!r.disabled}>
                    {r.disabled ? '启用' : '停用'}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        title="新建账号"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={saving}
        okText="创建"
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="username"
            label="用户名"
            rules={[
              { required: true, message: '请输入用户名' },
              { pattern: /^[A-Za-z0-9_.@-]{3,40}$/, message: '用户名应为 3–40 位字母、数字或 _ . @ -' },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名 / 名称" rules={[{ required: true, message: '请输入姓名或名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select
              options={roleOptions}
              onChange={() =>
                form.setFieldsValue({
                  regionCode: undefined,
                  institutionId: undefined,
                  subjectId: undefined,
                  timingPlatformId: undefined,
                })
              }
            />
          </Form.Item>
          {needsRegion && (
            <Form.Item name="regionCode" label="管辖区域" rules={[{ required: true, message: '请选择管辖区域' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={regionOptions} />
            </Form.Item>
          )}
          {role === 'institution' && (
            <Form.Item name="institutionId" label="所属机构" rules={[{ required: true, message: '请选择所属机构' }]}>
              <ReferenceSelect reference={{ entity: 'institutions', label: (i) => String(i.name) }} />
            </Form.Item>
          )}
          {subject && (
            <Form.Item
              name="subjectId"
              label={subject === 'coaches' ? '对应教练员' : '对应学员'}
              rules={[{ required: true, message: '请选择本人的备案记录' }]}
            >
              <ReferenceSelect
                reference={{ entity: subject, label: (i) => `${i.name}（${String(i.institutionName ?? '')}）` }}
              />
            </Form.Item>
          )}
          {role === 'operator' && (
            <Form.Item name="timingPlatformId" label="计时平台" rules={[{ required: true, message: '请选择计时平台' }]}>
              <ReferenceSelect reference={{ entity: 'platforms', label: (i) => String(i.name) }} />
            </Form.Item>
          )}
          <Form.Item
            name="password"
            label="初始密码"
            rules={[
              { required: true, message: '请输入初始密码' },
              { pattern: /^(?=.*[A-Za-z])(?=.*\d).{8,}$/, message: '密码至少 8 位，且须同时包含字母和数字' },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
