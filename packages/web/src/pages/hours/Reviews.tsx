import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { type ApiError, type Page, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { RegionCascader } from '../../components/RegionCascader.tsx'
import { formatTime } from '../training/types.ts'
import { hours, PART_LABELS, REVIEW_STATUS, type Review } from './types.ts'

interface Filters {
  status?: string
  part?: number
  region?: string
}

/** 阶段报审: reviews of the jurisdiction; officers approve or reject, the police see approved ones (exam eligibility). */
export default function StageReviewsPage() {
  const { access, me } = useAuth()
  const { message } = App.useApp()
  const police = me?.user.role === 'police'
  const [filters, setFilters] = useState<Filters>(access.canReviewHours ? { status: 'pending' } : {})
  const [page, setPage] = useState({ page: 1, pageSize: 20 })
  const [data, setData] = useState<Page<Review>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [loading, setLoading] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)
  const [deciding, setDeciding] = useState<{ review: Review; approve: boolean } | null>(null)
  const [note, setNote] = useState('')
  const [refusal, setRefusal] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void reloadKey
    setLoading(true)
    request<Page<Review>>('/api/stage-reviews', { query: { ...filters, ...page } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [filters, page, reloadKey])

  async function decide() {
    if (!deciding) return
    try {
      await request(`/api/stage-reviews/${deciding.review.id}/decision`, {
        body: { decision: deciding.approve ? 'approve' : 'reject', ...(note ? { note } : {}) },
        onError: (e: ApiError) => {
          if (e.status !== 409) return false
          setRefusal(e.message)
          return true
        },
      })
      message.success(deciding.approve ? '已通过' : '已退回')
      setReloadKey((k) => k + 1)
    } catch {
      // refusal shown above the table
    } finally {
      setDeciding(null)
      setNote('')
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {police && <Alert type="info" showIcon title="公安交管仅显示已通过的阶段报审，作为考试资格核验依据" />}
      {refusal && <Alert type="warning" showIcon closable onClose={() => setRefusal(null)} title={refusal} />}
      <Card title="阶段报审" extra={<Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} />}>
        <Space wrap style={{ marginBottom: 12 }}>
          {!police && (
            <Select
              allowClear
              placeholder="状态"
              style={{ width: 120 }}
              value={filters.status}
              onChange={(status) => {
                setFilters((f) => ({ ...f, status }))
                setPage((p) => ({ ...p, page: 1 }))
              }}
              options={Object.entries(REVIEW_STATUS).map(([value, s]) => ({ value, label: s.label }))}
            />
          )}
          <Select
            allowClear
            placeholder="培训部分"
            style={{ width: 130 }}
            value={filters.part}
            onChange={(part) => {
              setFilters((f) => ({ ...f, part }))
              setPage((p) => ({ ...p, page: 1 }))
            }}
            options={[1, 2, 3, 4].map((value) => ({ value, label: PART_LABELS[value] }))}
          />
          <RegionCascader
            onChange={(codes: string[] | undefined) => {
              const region = codes?.[codes.length - 1]
              setFilters((f) => ({ ...f, region: region?.endsWith('0000') ? undefined : region }))
              setPage((p) => ({ ...p, page: 1 }))
            }}
          />
        </Space>
        <Table<Review>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data.items}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: data.total,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: '编号', dataIndex: 'id' },
            {
              title: '学员',
              dataIndex: 'studentName',
              render: (name: string | null, r) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/hours/students/${r.studentId}`}>{name ?? `#${r.studentId}`}</Link>
                  <Typography.Text type="secondary">{r.stuNo}</Typography.Text>
                </Space>
              ),
            },
            { title: '培训机构', dataIndex: 'institutionName' },
            { title: '部分', dataIndex: 'part', render: (p: number) => PART_LABELS[p] },
            {
              title: '学时（计入 / 要求）',
              dataIndex: 'totals',
              render: (t: Review['totals']) =>
                t?.countedMinutes !== undefined && t.requiredMinutes !== undefined
                  ? `${hours(t.countedMinutes)} / ${hours(t.requiredMinutes)}`
                  : '—',
            },
            { title: '课堂数', dataIndex: 'sessionIds', render: (ids: number[]) => ids.length },
            { title: '大纲版本', dataIndex: 'policyVersion', render: (v: number) => `v${v}` },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: string) => <Tag color={REVIEW_STATUS[s]?.color}>{REVIEW_STATUS[s]?.label ?? s}</Tag>,
            },
            { title: '提交时间', dataIndex: 'requestedAt', render: formatTime },
            { title: '审核时间', dataIndex: 'decidedAt', render: formatTime },
            { title: '意见', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            ...(access.canReviewHours
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    fixed: 'right' as const,
                    render: (_: unknown, r: Review) =>
                      r.status === 'pending' ? (
                        <Space>
                          <Button
                            size="small"
                            type="primary"
                            icon={<CheckOutlined />}
                            onClick={() => setDeciding({ review: r, approve: true })}
                          >
                            通过
                          </Button>
                          <Button
                            size="small"
                            danger
                            icon={<CloseOutlined />}
                            onClick={() => setDeciding({ review: r, approve: false })}
                          >
                            退回
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        title={deciding?.approve ? '通过阶段报审' : '退回阶段报审'}
        open={deciding !== null}
        onCancel={() => setDeciding(null)}
        onOk={decide}
        okText={deciding?.approve ? '通过' : '退回'}
      >
        <Typography.Paragraph>
          {deciding && `${deciding.review.studentName ?? ''} · ${PART_LABELS[deciding.review.part]}`}
          {deciding?.approve && '：通过前将按当前认定结果复核学时，并确认该部分课堂无未核查疑点。'}
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="审核意见"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Space>
  )
}
