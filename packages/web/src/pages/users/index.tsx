import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd'
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
  platformName?: string | null
  status?: string
  disabled?: boolean
  lastLoginAt?: string | null
  createdAt?: string
}

/** Roles whose account belongs to an institution, and to a timing platform. */
const INSTITUTION_ROLES: Role[] = ['institution', 'coach', 'student']
const REGION_LEVEL: Partial<Record<Role, 'province' | 'city' | 'county'>> = {
  province: 'province',
  city: 'city',
  county: 'county',
  officer: 'county',
  police: 'province',
}

function toPage(r: Page<UserRow> | UserRow[]): Page<UserRow> {
  return Array.isArray(r) ? { items: r, total: r.length, page: 1, pageSize: r.length } : r
}

/** 账号管理: accounts inside the manager's jurisdiction. */
export default function UsersPage() {
  const { me } = useAuth()
  const { message } = App.useApp()
  const regions = useRegions()
  const [data, setData] = useState<Page<UserRow>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
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
    request<Page<UserRow> | UserRow[]>('/api/users', { query: { page, pageSize } })
      .then((r) => live && setData(toPage(r)))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, reload])

  const regionOptions = useMemo(() => {
    const level = role ? REGION_LEVEL[role] : undefined
    return regions
      .filter((r) => (!level || r.level === level) && regionWithin(r.code, me?.user.regionCode))
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
        },
        onError: fieldErrorHandler(form, [
          'username',
          'displayName',
          'role',
          'password',
          'regionCode',
          'institutionId',
        ]),
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

  const needsInstitution = role ? INSTITUTION_ROLES.includes(role) : false
  const needsPlatform = role === 'operator'
  const needsRegion = role ? REGION_LEVEL[role] !== undefined : false

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
      <Table<UserRow>
        rowKey="id"
        loading={loading}
        dataSource={data.items}
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
          {
            title: '所属单位',
            key: 'org',
            render: (_, r) => r.institutionName ?? r.platformName ?? '—',
          },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, r) => (r.disabled || r.status === 'disabled' ? <Tag>停用</Tag> : <Tag color="green">正常</Tag>),
          },
          {
            title: '创建时间',
            dataIndex: 'createdAt',
            width: 170,
            render: (v?: string) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—'),
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
              { pattern: /^[a-z0-9_.-]{3,32}$/i, message: '3–32 位字母、数字、下划线、点或短横线' },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名 / 名称" rules={[{ required: true, message: '请输入姓名或名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select
              options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
              onChange={() => form.setFieldsValue({ regionCode: undefined, institutionId: undefined })}
            />
          </Form.Item>
          {needsRegion && (
            <Form.Item name="regionCode" label="管辖区域" rules={[{ required: true, message: '请选择管辖区域' }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={regionOptions} />
            </Form.Item>
          )}
          {needsInstitution && (
            <Form.Item name="institutionId" label="所属机构" rules={[{ required: true, message: '请选择所属机构' }]}>
              <ReferenceSelect reference={{ entity: 'institutions', label: (i) => String(i.name) }} />
            </Form.Item>
          )}
          {needsPlatform && (
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
