import { ReloadOutlined } from '@ant-design/icons'
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import { useEffect, useRef, useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { type ApiError, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { RegionCascader } from '../../components/RegionCascader.tsx'
import { formatTime } from '../training/types.ts'
import { LiveMap } from './LiveMap.tsx'
import { COURSE_PARTS, type LiveAnswer, type LiveState, type LiveTerminal, STATE_COLOR, STATE_LABEL } from './types.ts'

/** How often the page asks again (ms). */
const REFRESH_MS = 10_000

const clock = (v: string) => new Date(v).toLocaleTimeString('zh-CN', { hour12: false })

function ago(v: string, now: number): string {
  const s = Math.max(0, Math.round((now - new Date(v).getTime()) / 1000))
  if (s < 60) return `${s} 秒前`
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`
  return formatTime(v)
}

/** 实时监控: the online terminals of the jurisdiction on a map and in a table, refreshed every 10 s. */
export default function LiveMonitorPage() {
  const navigate = useNavigate()
  const { me } = useAuth()
  const [region, setRegion] = useState<string[]>([])
  const [institutionId, setInstitutionId] = useState<number | null>(null)
  const [state, setState] = useState<LiveState | undefined>()
  const [q, setQ] = useState('')
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [focus, setFocus] = useState<number | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [auto, setAuto] = useState(true)
  const [tick, setTick] = useState(0)
  const [data, setData] = useState<LiveAnswer | null>(null)
  const [loading, setLoading] = useState(false)
  const [unavailable, setUnavailable] = useState<ApiError | null>(null)
  const tableRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!auto) return
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS)
    return () => clearInterval(timer)
  }, [auto])

  const regionCode = region[region.length - 1]
  useEffect(() => {
    let live = true
    void tick
    setLoading(true)
    request<LiveAnswer>('/api/training/live', {
      query: { page, pageSize, regionCode, institutionId, state, q: q.trim() || undefined, focus },
      onError: (error) => {
        if (error.code !== 'ERR_GW_LIVE_UNAVAILABLE') return false
        if (live) setUnavailable(error)
        return true
      },
    })
      .then((r) => {
        if (!live) return
        setUnavailable(null)
        setData(r)
        if (focus !== null) {
          setFocus(null)
          if (r.page !== page) setPage(r.page)
        }
      })
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [page, pageSize, regionCode, institutionId, state, q, focus, tick])

  // A point chosen on the map: bring its row into view once its page is shown.
  useEffect(() => {
    if (selected === null || !data?.items.some((i) => i.terminalId === selected)) return
    tableRef.current?.querySelector(`[data-row-key="${selected}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [selected, data])

  const resetPage = () => setPage(1)
  const now = data ? new Date(data.updatedAt).getTime() : Date.now()
  const filtered = Boolean(regionCode || institutionId || state || q.trim())

  if (unavailable)
    return (
      <Alert
        type="warning"
        showIcon
        title="实时监控不可用"
        description={unavailable.message}
        data-testid="live-unavailable"
      />
    )

  const cards: { key: keyof LiveAnswer['counts']; title: string; suffix: string; color: string }[] = [
    { key: 'online', title: '在线终端', suffix: '台', color: '#1677ff' },
    { key: 'training', title: '培训中', suffix: '台', color: STATE_COLOR.training },
    { key: 'sessionsToday', title: '今日课堂', suffix: '堂', color: '#722ed1' },
    { key: 'minutesToday', title: '今日分钟学时', suffix: '条', color: '#fa8c16' },
  ]

  const nothingOnline = data !== null && data.counts.online === 0

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="live-monitor">
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col xs={12} xl={6} key={c.key}>
            <Card size="small" data-testid={`live-count-${c.key}`}>
              <Statistic
                title={c.title}
                value={data ? data.counts[c.key] : '—'}
                suffix={data ? c.suffix : undefined}
                valueStyle={{ color: c.color, fontWeight: 600 }}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Card size="small">
        <Space wrap>
          <RegionCascader
            value={region}
            onChange={(v) => {
              setRegion(v)
              resetPage()
            }}
            style={{ width: 200 }}
          />
          <ReferenceSelect
            reference={{ entity: 'institutions', label: (i) => String(i.name) }}
            value={institutionId}
            onChange={(v) => {
              setInstitutionId(v)
              resetPage()
            }}
            placeholder="培训机构"
            style={{ width: 220 }}
          />
          <Select<LiveState>
            allowClear
            placeholder="状态"
            value={state}
            onChange={(v) => {
              setState(v)
              resetPage()
            }}
            style={{ width: 120 }}
            options={(['training', 'idle'] as const).map((s) => ({ value: s, label: STATE_LABEL[s] }))}
          />
          <Input.Search
            allowClear
            placeholder="车牌号 / 终端编号"
            onSearch={(v) => {
              setQ(v)
              resetPage()
            }}
            style={{ width: 220 }}
            data-testid="live-search"
          />
          <Typography.Text type="secondary" data-testid="live-updated-at">
            {data ? `更新于 ${clock(data.updatedAt)}` : '加载中…'}
          </Typography.Text>
          <Tooltip title={`每 ${REFRESH_MS / 1000} 秒刷新`}>
            <Switch checked={auto} onChange={setAuto} checkedChildren="自动刷新" unCheckedChildren="自动刷新" />
          </Tooltip>
          <Button icon={<ReloadOutlined />} onClick={() => setTick((t) => t + 1)}>
            刷新
          </Button>
        </Space>
      </Card>

      {nothingOnline ? (
        <Card>
          <Empty
            data-testid="live-empty"
            description={
              <Space orientation="vertical" size={4}>
                <Typography.Text strong>{me?.user.regionName ?? '管辖范围内'}当前没有在线的计时终端</Typography.Text>
                <Typography.Text type="secondary">
                  终端开机并完成注册、鉴权后会出现在这里。若车辆正在培训却不在线，请核对终端的网络与平台地址（终端网关
                  TCP 端口），并在「基础档案 › 计时终端」中确认终端已备案、未停用。
                </Typography.Text>
                <Link to="/training/sessions">查看历史培训记录</Link>
              </Space>
            }
          />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xxl={9}>
            <Card
              size="small"
              title="终端位置"
              extra={
                <Space size="middle">
                  {(['training', 'idle'] as const).map((s) => (
                    <Space size={4} key={s}>
                      <span
                        style={{
                          display: 'inline-block',
                          width: 10,
                          height: 10,
                          borderRadius: 5,
                          background: STATE_COLOR[s],
                        }}
                      />
                      {STATE_LABEL[s]}
                    </Space>
                  ))}
                </Space>
              }
            >
              <LiveMap
                points={data?.points ?? []}
                selected={selected}
                onSelect={(id) => {
                  setSelected(id)
                  setFocus(id)
                }}
              />
              {data && data.points.length < data.total ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {data.total - data.points.length} 台终端尚无定位，未在地图上显示
                </Typography.Text>
              ) : null}
            </Card>
          </Col>
          <Col xs={24} xxl={15}>
            <Card size="small" title="在线终端">
              <div ref={tableRef}>
                <Table<LiveTerminal>
                  data-testid="live-table"
                  rowKey="terminalId"
                  size="small"
                  loading={loading && !data}
                  dataSource={data?.items ?? []}
                  scroll={{ x: 'max-content' }}
                  locale={{
                    emptyText: filtered ? <Empty description="没有符合条件的在线终端，请调整筛选条件" /> : <Empty />,
                  }}
                  rowClassName={(r) => (r.terminalId === selected ? 'ant-table-row-selected' : '')}
                  onRow={(r) => ({
                    onClick: () => {
                      if (r.session) navigate(`/training/sessions/${r.session.id}`)
                      else setSelected(r.terminalId)
                    },
                    style: { cursor: 'pointer' },
                    title: r.session ? '点击打开课堂回放' : undefined,
                  })}
                  columns={[
                    {
                      title: '状态',
                      dataIndex: 'state',
                      fixed: 'left',
                      render: (v: LiveState) => (
                        <Tag color={v === 'training' ? 'success' : 'default'}>{STATE_LABEL[v]}</Tag>
                      ),
                    },
                    { title: '车牌号', dataIndex: 'plate', fixed: 'left', render: (v: string | null) => v ?? '—' },
                    { title: '终端编号', dataIndex: 'deviceNo' },
                    { title: '培训机构', dataIndex: 'institutionName', render: (v: string | null) => v ?? '—' },
                    {
                      title: '学员',
                      key: 'student',
                      render: (_, r) => r.session?.studentName ?? '—',
                    },
                    { title: '教练员', key: 'coach', render: (_, r) => r.session?.coachName ?? '—' },
                    {
                      title: '培训部分',
                      key: 'part',
                      render: (_, r) =>
                        r.session ? (
                          <Tooltip title={`课程编码 ${r.session.courseCode ?? '—'}`}>
                            {r.session.part ? COURSE_PARTS[r.session.part] : (r.session.courseCode ?? '—')}
                          </Tooltip>
                        ) : (
                          '—'
                        ),
                    },
                    {
                      title: '开始 / 已记学时',
                      key: 'started',
                      render: (_, r) =>
                        r.session ? (
                          <Tooltip title={`登录至今 ${r.session.elapsedMinutes} 分钟`}>
                            {`${clock(r.session.startedAt)} · ${r.session.minuteCount} 分钟`}
                          </Tooltip>
                        ) : (
                          '—'
                        ),
                    },
                    {
                      title: '最近定位',
                      key: 'position',
                      render: (_, r) =>
                        r.position ? (
                          <Tooltip title={`${r.position.lng.toFixed(6)}, ${r.position.lat.toFixed(6)}`}>
                            {formatTime(r.position.fixedAt)}
                            {r.position.speedKmh != null ? ` · ${r.position.speedKmh} km/h` : ''}
                          </Tooltip>
                        ) : (
                          '无定位'
                        ),
                    },
                    { title: '连接时间', dataIndex: 'connectedAt', render: formatTime },
                    { title: '最近报文', dataIndex: 'lastSeenAt', render: (v: string) => ago(v, now) },
                    {
                      title: '操作',
                      key: 'op',
                      fixed: 'right',
                      render: (_, r) =>
                        r.session ? (
                          <Link to={`/training/sessions/${r.session.id}`} onClick={(e) => e.stopPropagation()}>
                            回放
                          </Link>
                        ) : null,
                    },
                  ]}
                  pagination={{
                    current: page,
                    pageSize,
                    total: data?.total ?? 0,
                    showSizeChanger: true,
                    pageSizeOptions: [10, 20, 50, 100],
                    showTotal: (total) => `共 ${total.toLocaleString('zh-CN')} 台`,
                    onChange: (p, s) => {
                      setPage(s === pageSize ? p : 1)
                      setPageSize(s)
                    },
                  }}
                />
              </div>
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  )
}
