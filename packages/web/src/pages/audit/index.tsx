import { Card, Select, Space, Table, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { type Page, request } from '../../api.ts'

interface AuditRow {
  id: number
  at?: string
  createdAt?: string
  userId?: number | null
  username?: string | null
  displayName?: string | null
  action: string
  entity?: string | null
  entityId?: string | number | null
  regionCode?: string | null
  regionName?: string | null
  detail?: unknown
  ip?: string | null
}

const ACTIONS: Record<string, { label: string; color?: string }> = {
  login: { label: '登录', color: 'blue' },
  login_failed: { label: '登录失败', color: 'red' },
  logout: { label: '退出' },
  create: { label: '新增', color: 'green' },
  update: { label: '修改', color: 'gold' },
  delete: { label: '删除', color: 'red' },
  read_personal: { label: '查看个人信息', color: 'purple' },
  import: { label: '导入', color: 'cyan' },
  export: { label: '导出', color: 'geekblue' },
  transfer: { label: '转学', color: 'orange' },
  token_create: { label: '创建令牌' },
  token_revoke: { label: '吊销令牌' },
  user_create: { label: '创建账号', color: 'green' },
}

const ENTITY_LABELS: Record<string, string> = {
  institution: '驾培机构',
  training_field: '教练场地',
  coach: '教练员',
  vehicle: '教练车',
  terminal: '计时终端',
  student: '学员',
  contract: '培训合同',
  timing_platform: '计时平台',
  app_user: '账号',
  api_token: 'API 令牌',
  user_session: '会话',
}

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return ''
  if (typeof detail === 'string') return detail
  return JSON.stringify(detail)
}

/** 审计日志: who did what, scoped by the server to the reader's jurisdiction. */
export default function AuditPage() {
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [action, setAction] = useState<string>()
  const [entity, setEntity] = useState<string>()
  const [data, setData] = useState<Page<AuditRow>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    let live = true
    setLoading(true)
    request<Page<AuditRow>>('/api/audit', { query: { page, pageSize, action, entity } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, action, entity])

  return (
    <Card title="审计日志">
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          placeholder="操作类型"
          style={{ width: 160 }}
          value={action}
          onChange={(v) => {
            setAction(v)
            setPage(1)
          }}
          options={Object.entries(ACTIONS).map(([value, a]) => ({ value, label: a.label }))}
        />
        <Select
          allowClear
          placeholder="对象"
          style={{ width: 160 }}
          value={entity}
          onChange={(v) => {
            setEntity(v)
            setPage(1)
          }}
          options={Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Space>
      <Table<AuditRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.items}
        scroll={{ x: 'max-content' }}
        onChange={(p) => {
          setPage(p.current ?? 1)
          setPageSize(p.pageSize ?? 20)
        }}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          showTotal: (t) => `共 ${t.toLocaleString('zh-CN')} 条`,
        }}
        columns={[
          {
            title: '时间',
            key: 'at',
            width: 170,
            render: (_, r) => dayjs(r.at ?? r.createdAt).format('YYYY-MM-DD HH:mm:ss'),
          },
          {
            title: '账号',
            key: 'user',
            width: 160,
            render: (_, r) => r.displayName ?? r.username ?? (r.userId ? `#${r.userId}` : '—'),
          },
          {
            title: '操作',
            dataIndex: 'action',
            width: 130,
            render: (v: string) => <Tag color={ACTIONS[v]?.color}>{ACTIONS[v]?.label ?? v}</Tag>,
          },
          {
            title: '对象',
            key: 'entity',
            width: 160,
            render: (_, r) =>
              r.entity ? `${ENTITY_LABELS[r.entity] ?? r.entity}${r.entityId ? ` #${r.entityId}` : ''}` : '—',
          },
          { title: '行政区划', key: 'region', width: 110, render: (_, r) => r.regionName ?? r.regionCode ?? '—' },
          {
            title: '详情',
            key: 'detail',
            render: (_, r) => (
              <Typography.Text ellipsis={{ tooltip: detailText(r.detail) }} style={{ maxWidth: 420 }}>
                {detailText(r.detail)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  )
}
