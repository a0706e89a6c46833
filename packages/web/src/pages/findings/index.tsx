import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { type Page, request } from '../../api.ts'
import { EChart, type EChartsOption } from '../../components/EChart.tsx'
import { RegionCascader } from '../../components/RegionCascader.tsx'
import { formatTime } from '../training/types.ts'
import {
  type FindingCounts,
  type FindingRow,
  type FindingStatus,
  ruleLabel,
  SEVERITIES,
  SEVERITY_COLOR,
  SEVERITY_LABEL,
  type Severity,
  STATUS_COLOR,
  STATUS_LABEL,
  STATUSES,
  subjectText,
} from './types.ts'

/** Columns the server sorts by. */
type SortKey = 'occurredAt' | 'severity'

interface Filters {
  region: string[]
  ruleIds: string[]
  severities: Severity[]
  statuses: FindingStatus[]
  range: [Dayjs | null, Dayjs | null] | null
}

/** The filters as a query string; lists repeat their key (ruleId=a&ruleId=b). */
function filterQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams()
  const region = f.region[f.region.length - 1]
  if (region) q.set('regionCode', region)
  for (const id of f.ruleIds) q.append('ruleId', id)
  for (const s of f.severities) q.append('severity', s)
  for (const s of f.statuses) q.append('status', s)
  const [from, to] = f.range ?? [null, null]
  if (from) q.set('from', from.startOf('day').toISOString())
  if (to) q.set('to', to.add(1, 'day').startOf('day').toISOString())
  return q
}

/** Rules of the detection catalogue, when the server offers it. */
interface CatalogueRule {
  id: string
  title?: { zh?: string } | string
}

function catalogueOf(answer: unknown): { id: string; title: string }[] {
  const list = Array.isArray(answer)
    ? answer
    : ((answer as { items?: unknown[]; rules?: unknown[] } | null)?.items ??
      (answer as { rules?: unknown[] } | null)?.rules ??
      [])
  return (list as CatalogueRule[])
    .filter((r) => typeof r?.id === 'string')
    .map((r) => ({ id: r.id, title: (typeof r.title === 'string' ? r.title : r.title?.zh) ?? r.id }))
}

function RuleChart({ counts }: { counts: FindingCounts }) {
  const option = useMemo<EChartsOption>(() => {
    const rows = [...counts.byRule].reverse()
    return {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => ruleLabel(r)) },
      series: [
        {
          type: 'bar',
          name: '疑点数',
          data: rows.map((r) => r.count),
          itemStyle: { color: '#fa541c' },
          label: { show: true, position: 'right' },
          barMaxWidth: 22,
        },
      ],
    }
  }, [counts])
  const height = Math.max(160, counts.byRule.length * 32 + 30)
  return <EChart option={option} style={{ height }} testId="findings-by-rule" />
}

/** Filters other pages link with: /supervision/findings?sessionId=12 (课堂), studentId, coachId, vehicleId, institutionId. */
const LINK_FILTERS: Record<string, string> = {
  sessionId: '课堂',
  studentId: '学员',
  coachId: '教练员',
  vehicleId: '教练车',
  institutionId: '培训机构',
}

/** 疑点线索: the findings of the jurisdiction with their counts, filtered and paged. */
export default function FindingsPage() {
  const [searchParams, setSearchParams] = useSearchParams()
  const linked = Object.keys(LINK_FILTERS).flatMap((key) => {
    const value = searchParams.get(key)
    return value && /^\d+$/.test(value) ? [[key, value] as const] : []
  })
  const [filters, setFilters] = useState<Filters>(() => ({
    region: [],
    ruleIds: searchParams.getAll('ruleId'),
    severities: searchParams.getAll('severity') as Severity[],
    statuses: searchParams.getAll('status') as FindingStatus[],
    range: null,
  }))
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [data, setData] = useState<Page<FindingRow>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [counts, setCounts] = useState<FindingCounts | null>(null)
  const [rules, setRules] = useState<{ id: string; title: string }[]>([])
  const [loading, setLoading] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)
  const [sort, setSort] = useState<{ key: SortKey; order: 'ascend' | 'descend' } | null>(null)

  const params = filterQuery(filters)
  for (const [key, value] of linked) params.set(key, value)
  const query = params.toString()

  useEffect(() => {
    let live = true
    request<unknown>('/api/detection/rules', { onError: () => true })
      .then((r) => live && setRules(catalogueOf(r)))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    let live = true
    void reloadKey
    setLoading(true)
    const q = new URLSearchParams(query)
    q.set('page', String(page))
    q.set('pageSize', String(pageSize))
    if (sort) {
      q.set('sort', sort.key)
      q.set('order', sort.order === 'ascend' ? 'asc' : 'desc')
    }
    request<Page<FindingRow>>(`/api/findings?${q}`)
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    request<FindingCounts>(`/api/findings/summary${query ? `?${query}` : ''}`)
      .then((r) => live && setCounts(r))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [query, page, pageSize, sort, reloadKey])

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }))
    setPage(1)
  }

  // Rules to offer: the catalogue, else the rules with findings (those chosen stay offered).
  const ruleOptions = useMemo(() => {
    const known = new Map<string, string>(rules.map((r) => [r.id, r.title]))
    for (const r of counts?.byRule ?? []) if (!known.has(r.ruleId)) known.set(r.ruleId, ruleLabel(r))
    for (const id of filters.ruleIds) if (!known.has(id)) known.set(id, id)
    return [...known].map(([value, title]) => ({ value, label: title === value ? value : `${title}（${value}）` }))
  }, [rules, counts, filters.ruleIds])

  const statusCount = (s: FindingStatus) => counts?.byStatus.find((c) => c.status === s)?.count ?? 0

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="findings">
      <Card size="small">
        <Space wrap>
          <RegionCascader value={filters.region} onChange={(v) => update({ region: v })} style={{ width: 200 }} />
          <Select<string[]>
            mode="multiple"
            allowClear
            placeholder="规则"
            value={filters.ruleIds}
            onChange={(v) => update({ ruleIds: v })}
            options={ruleOptions}
            maxTagCount="responsive"
            style={{ minWidth: 220 }}
            data-testid="findings-filter-rule"
          />
          <Select<Severity[]>
            mode="multiple"
            allowClear
            placeholder="严重程度"
            value={filters.severities}
            onChange={(v) => update({ severities: v })}
            options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
            style={{ minWidth: 140 }}
          />
          <Select<FindingStatus[]>
            mode="multiple"
            allowClear
            placeholder="状态"
            value={filters.statuses}
            onChange={(v) => update({ statuses: v })}
            options={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
            style={{ minWidth: 160 }}
            data-testid="findings-filter-status"
          />
          <DatePicker.RangePicker
            value={filters.range}
            onChange={(v) => update({ range: v })}
            placeholder={['发生日期起', '止']}
          />
          {linked.map(([key, value]) => (
            <Tag
              key={key}
              closable
              onClose={() => {
                const next = new URLSearchParams(searchParams)
                next.delete(key)
                setSearchParams(next)
                setPage(1)
              }}
            >
              {LINK_FILTERS[key]} #{value}
            </Tag>
          ))}
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        </Space>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title="疑点概况" style={{ height: '100%' }} data-testid="findings-counts">
            <Row gutter={[16, 16]}>
              <Col span={8}>
                <Statistic title="疑点总数" value={counts?.total ?? '—'} />
              </Col>
              {STATUSES.map((s) => (
                <Col span={8} key={s}>
                  <Statistic title={STATUS_LABEL[s]} value={counts ? statusCount(s) : '—'} />
                </Col>
              ))}
            </Row>
            <Space wrap style={{ marginTop: 16 }}>
              {SEVERITIES.map((s) => (
                <Tag key={s} color={SEVERITY_COLOR[s]}>
                  {SEVERITY_LABEL[s]} {counts?.bySeverity.find((c) => c.severity === s)?.count ?? 0}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title="按规则统计" style={{ height: '100%' }}>
            {counts && counts.byRule.length > 0 ? (
              <RuleChart counts={counts} />
            ) : (
              <Typography.Text type="secondary">暂无疑点</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>

      <Card title="疑点线索">
        <Table<FindingRow>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data.items}
          scroll={{ x: 'max-content' }}
          data-testid="findings-table"
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== 'sort') return
            const one = Array.isArray(sorter) ? sorter[0] : sorter
            const key = one?.field as SortKey | undefined
            setSort(key && one?.order ? { key, order: one.order } : null)
            setPage(1)
          }}
          columns={[
            {
              title: '规则',
              dataIndex: 'ruleId',
              render: (_, r) => (
                <Tooltip title={`${r.ruleId} v${r.ruleVersion}`}>
                  <span>{ruleLabel(r)}</span>
                </Tooltip>
              ),
            },
            { title: '对象', key: 'subject', render: (_, r) => subjectText(r) },
            { title: '培训机构', dataIndex: 'institutionName', render: (v: string | null) => v ?? '—' },
            {
              title: '发生时间',
              dataIndex: 'occurredAt',
              render: formatTime,
              sorter: true,
              sortDirections: ['descend', 'ascend'],
              sortOrder: sort?.key === 'occurredAt' ? sort.order : null,
            },
            {
              title: '严重程度',
              dataIndex: 'severity',
              sorter: true,
              sortDirections: ['descend', 'ascend'],
              sortOrder: sort?.key === 'severity' ? sort.order : null,
              render: (v: Severity) => <Tag color={SEVERITY_COLOR[v]}>{SEVERITY_LABEL[v] ?? v}</Tag>,
            },
            {
              title: '状态',
              dataIndex: 'status',
              render: (v: FindingStatus) => <Tag color={STATUS_COLOR[v]}>{STATUS_LABEL[v] ?? v}</Tag>,
            },
            {
              title: '概要',
              dataIndex: 'summary',
              render: (v: string) => (
                <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 360 }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: '操作',
              key: 'op',
              fixed: 'right',
              render: (_, r) => <Link to={`/supervision/findings/${r.id}`}>查看</Link>,
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
