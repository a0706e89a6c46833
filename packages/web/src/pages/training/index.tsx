import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Space, Statistic, Table, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { type Page, request } from '../../api.ts'
import { formatTime, type SessionSummary } from './types.ts'

/** 培训记录: the training sessions of the jurisdiction, newest first. */
export default function TrainingSessionsPage() {
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [data, setData] = useState<Page<SessionSummary>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [loading, setLoading] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)
  const [online, setOnline] = useState<number | null>(null)

  useEffect(() => {
    let live = true
    setLoading(true)
    void reloadKey
    request<Page<SessionSummary>>('/api/training/sessions', { query: { page, pageSize } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, reloadKey])

  useEffect(() => {
    let live = true
    void reloadKey
    // Without a gateway in this process the count is unknown; that is no error for the list.
    request<unknown[]>('/api/terminals/online', { onError: () => true })
      .then((r) => live && setOnline(r.length))
      .catch(() => live && setOnline(null))
    return () => {
      live = false
    }
  }, [reloadKey])

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="training-sessions">
      <Card size="small">
        <Space size="large">
          <Statistic
            data-testid="online-terminals"
            title="在线计时终端"
            value={online ?? '—'}
            suffix={online === null ? undefined : '台'}
          />
          <Statistic title="课堂总数" value={data.total} />
        </Space>
      </Card>
      <Card
        title="培训记录"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        }
      >
        <Table<SessionSummary>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data.items}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '培训机构', dataIndex: 'institutionName' },
            {
              title: '学员',
              dataIndex: 'studentName',
              render: (v: string | null, r) => (v ? `${v}${r.studentNo ? `（${r.studentNo}）` : ''}` : '—'),
            },
            { title: '教练员', dataIndex: 'coachName', render: (v: string | null) => v ?? '—' },
            { title: '教练车', dataIndex: 'plate', render: (v: string | null) => v ?? '—' },
            { title: '终端', dataIndex: 'deviceNo', render: (v: string | null) => v ?? '—' },
            { title: '课程编码', dataIndex: 'courseCode', render: (v: string | null) => v ?? '—' },
            { title: '开始时间', dataIndex: 'startedAt', render: formatTime },
            {
              title: '结束时间',
              dataIndex: 'endedAt',
              render: (v: string | null) => (v ? formatTime(v) : <Tag color="processing">进行中</Tag>),
            },
            { title: '分钟学时', dataIndex: 'minuteCount', align: 'right' },
            {
              title: '操作',
              key: 'op',
              fixed: 'right',
              render: (_, r) => <Link to={`/training/sessions/${r.id}`}>回放</Link>,
            },
          ]}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => `共 ${total.toLocaleString('zh-CN')} 条`,
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1)
              setPageSize(s)
            },
          }}
        />
      </Card>
    </Space>
  )
}
