import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, DatePicker, Input, Select, Space, Statistic, Table, Tag } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { type Page, request } from '../../api.ts'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { COURSE_PARTS, formatTime, partOf, type SessionSummary } from './types.ts'

/** The list's filters, kept in the address so that returning from a replay keeps them. */
const FILTER_KEYS = ['fromDate', 'toDate', 'institutionId', 'person', 'part', 'status', 'backfill'] as const
type FilterKey = (typeof FILTER_KEYS)[number]

/** The filters as query parameters of /api/training/sessions (dates are Beijing calendar days). */
function sessionQuery(params: URLSearchParams) {
  const get = (k: FilterKey) => params.get(k) || undefined
  const day = (v: string | undefined, plus = 0) =>
    v ? new Date(Date.parse(`${v}T00:00:00+08:00`) + plus * 86_400_000).toISOString() : undefined
  return {
    from: day(get('fromDate')),
    to: day(get('toDate'), 1),
    institutionId: get('institutionId'),
    person: get('person'),
    part: get('part'),
    status: get('status'),
    backfill: get('backfill'),
  }
}

/** 培训记录: the training sessions of the jurisdiction, newest first. */
export default function TrainingSessionsPage() {
  const [params, setParams] = useSearchParams()
  const page = Number(params.get('page')) || 1
  const pageSize = Number(params.get('pageSize')) || 20
  const [data, setData] = useState<Page<SessionSummary>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [loading, setLoading] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)
  const [online, setOnline] = useState<number | null>(null)
  const [person, setPerson] = useState(params.get('person') ?? '')
  const filterKey = FILTER_KEYS.map((k) => params.get(k) ?? '').join('|')
  // The request depends on the filters' values, not on the identity of `params`.
  const queryKey = JSON.stringify(sessionQuery(params))

  /** Sets (or clears) filters and goes back to the first page. */
  function update(values: Partial<Record<FilterKey | 'page' | 'pageSize', string | number | null | undefined>>) {
    const next = new URLSearchParams(params)
    if (!('page' in values)) next.delete('page')
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === null || v === '') next.delete(k)
      else next.set(k, String(v))
    }
    setParams(next, { replace: true })
  }

  useEffect(() => {
    let live = true
    setLoading(true)
    void reloadKey
    request<Page<SessionSummary>>('/api/training/sessions', {
      query: { page, pageSize, ...(JSON.parse(queryKey) as ReturnType<typeof sessionQuery>) },
    })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, queryKey, reloadKey])

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
          <Statistic title={filterKey.replaceAll('|', '') ? '符合筛选的课堂' : '课堂总数'} value={data.total} />
          <Link to="/training/live">查看实时监控</Link>
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
        <Space wrap style={{ marginBottom: 16 }} data-testid="session-filters">
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            placeholder={['开始日期', '结束日期']}
            value={[
              params.get('fromDate') ? dayjs(params.get('fromDate')) : null,
              params.get('toDate') ? dayjs(params.get('toDate')) : null,
            ]}
            onChange={(range) =>
              update({
                fromDate: range?.[0]?.format('YYYY-MM-DD'),
                toDate: range?.[1]?.format('YYYY-MM-DD'),
              })
            }
          />
          <ReferenceSelect
            reference={{ entity: 'institutions', label: (i) => String(i.name) }}
            value={params.get('institutionId') ? Number(params.get('institutionId')) : null}
            onChange={(v) => update({ institutionId: v })}
            placeholder="培训机构"
            style={{ width: 220 }}
          />
          <Input.Search
            allowClear
            placeholder="学员 / 教练员姓名或编号"
            value={person}
            onChange={(e) => setPerson(e.target.value)}
            onSearch={(v) => update({ person: v.trim() })}
            style={{ width: 240 }}
            data-testid="session-person"
          />
          <Select
            allowClear
            placeholder="培训部分"
            value={params.get('part') ?? undefined}
            onChange={(v) => update({ part: v })}
            options={Object.entries(COURSE_PARTS).map(([value, label]) => ({ value, label }))}
            style={{ width: 120 }}
          />
          <Select
            allowClear
            placeholder="状态"
            value={params.get('status') ?? undefined}
            onChange={(v) => update({ status: v })}
            options={[
              { value: 'open', label: '进行中' },
              { value: 'ended', label: '已结束' },
            ]}
            style={{ width: 110 }}
            data-testid="session-status"
          />
          <Select
            allowClear
            placeholder="补传"
            value={params.get('backfill') ?? undefined}
            onChange={(v) => update({ backfill: v })}
            options={[
              { value: 'true', label: '含补传' },
              { value: 'false', label: '无补传' },
            ]}
            style={{ width: 110 }}
          />
          {filterKey.replaceAll('|', '') ? (
            <Button
              type="link"
              onClick={() => {
                setPerson('')
                setParams(new URLSearchParams(), { replace: true })
              }}
            >
              清除筛选
            </Button>
          ) : null}
        </Space>
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
            {
              title: '课程',
              dataIndex: 'courseCode',
              render: (v: string | null) => {
                const part = partOf(v)
                return v ? `${part ? `${COURSE_PARTS[part]} · ` : ''}${v}` : '—'
              },
            },
            { title: '开始时间', dataIndex: 'startedAt', render: formatTime },
            {
              title: '结束时间',
              dataIndex: 'endedAt',
              render: (v: string | null) => (v ? formatTime(v) : <Tag color="processing">进行中</Tag>),
            },
            {
              title: '分钟学时',
              dataIndex: 'minuteCount',
              align: 'right',
              render: (v: number, r) => (
                <Space size={4}>
                  {v}
                  {r.backfillMinuteCount > 0 ? (
                    <Tag color="orange" title={`其中 ${r.backfillMinuteCount} 条为补传`}>
                      补传 {r.backfillMinuteCount}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
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
            onChange: (p, s) => update({ page: s === pageSize ? p : 1, pageSize: s }),
          }}
        />
      </Card>
    </Space>
  )
}
