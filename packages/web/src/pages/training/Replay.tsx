import { ArrowLeftOutlined } from '@ant-design/icons'
import { Card, Descriptions, Empty, Image, Skeleton, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import { type ApiError, type Page, request } from '../../api.ts'
import { EChart, type EChartsOption } from '../../components/EChart.tsx'
import { type Explained, FrameExplanation } from '../../components/FrameExplanation.tsx'
import { startEndMarkers, TRACK_GRID, trackAxes, trackTooltip, useElementWidth } from '../../components/track.ts'
import { KIND_COLOR, type TrainingField } from '../institution/FieldMap.tsx'
import { formatTime, type SessionSummary } from './types.ts'

interface Minute {
  minuteAt: string
  recordNo: string
  status: number | null
  maxSpeedKmh: number | null
  mileageM: number | null
  isBackfill: boolean
  valid: boolean | null
  reasons: string[] | null
}

interface Fix {
  fixedAt: string
  lng: number
  lat: number
  speedKmh: number | null
  isBackfill: boolean
}

interface Photo {
  id: number
  photoNo: string | null
  eventType: number | string | null
  takenAt: string | null
  faceConfidence: number | null
}

interface Detail {
  session: SessionSummary
  minutes: Minute[]
  positions: Fix[]
  photos: Photo[]
}

interface Frame {
  receivedAt: string
  msgId: number
  serialNo: number
  direction: string
  hex: string
  decodeError: string | null
}

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0').toUpperCase()}`

const TRACK_HEIGHT = 420

/** The track over lng/lat value axes with the institution's training fields drawn beneath. */
function TrackChart({ positions, fields }: { positions: Fix[]; fields: TrainingField[] }) {
  const box = useRef<HTMLDivElement>(null)
  const width = useElementWidth(box, positions.length > 0)
  const option = useMemo<EChartsOption>(() => {
    const line = positions.map((p) => [p.lng, p.lat, p.fixedAt, p.speedKmh])
    const rings = fields
      .filter((f) => f.polygon?.type === 'Polygon')
      .map((f) => ({
        type: 'line' as const,
        name: f.name,
        data: f.polygon?.coordinates[0] ?? [],
        symbol: 'none',
        silent: true,
        z: 1,
        lineStyle: { color: KIND_COLOR[f.kind] ?? '#95de64', width: 2 },
        areaStyle: undefined,
      }))
    return {
      animation: false,
      tooltip: trackTooltip,
      grid: TRACK_GRID,
      ...trackAxes(positions, width, TRACK_HEIGHT),
      series: [
        ...rings,
        {
          type: 'line',
          name: '轨迹',
          data: line,
          showSymbol: false,
          z: 3,
          lineStyle: { color: '#1677ff', width: 2 },
        },
        startEndMarkers(line, '#f5222d', 14),
      ],
    }
  }, [positions, fields, width])
  if (positions.length === 0) return <Empty description="该课堂没有轨迹点" />
  return (
    <div ref={box}>
      {width > 0 ? <EChart option={option} style={{ height: TRACK_HEIGHT }} testId="session-track" /> : null}
    </div>
  )
}

/** 课堂回放: one session's header, track, photos, minute records and raw frames. */
export default function SessionReplayPage() {
  const { id } = useParams()
  // ?highlight=<recordNo,…>: the minutes a finding points at (the finding page links here).
  const [searchParams] = useSearchParams()
  const highlight = new Set((searchParams.get('highlight') ?? '').split(',').filter(Boolean))
  const navigate = useNavigate()
  const [detail, setDetail] = useState<Detail | null>(null)
  const [fields, setFields] = useState<TrainingField[]>([])
  const [frames, setFrames] = useState<Frame[] | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [explained, setExplained] = useState<Explained | null>(null)
  const [explainError, setExplainError] = useState<ApiError | null>(null)

  useEffect(() => {
    let live = true
    setDetail(null)
    setFrames(null)
    request<Detail>(`/api/training/sessions/${id}`)
      .then((d) => {
        if (!live) return
        setDetail(d)
        request<Page<TrainingField>>('/api/registry/fields', {
          query: { institutionId: d.session.institutionId, pageSize: 100 },
          onError: () => true,
        })
          .then((r) => live && setFields(r.items))
          .catch(() => {})
      })
      .catch(() => navigate('/training/sessions', { replace: true }))
    request<{ frames: Frame[] }>(`/api/training/sessions/${id}/frames`)
      .then((r) => live && setFrames(r.frames))
      .catch(() => live && setFrames([]))
    return () => {
      live = false
    }
  }, [id, navigate])

  async function explain(index: number, frame: Frame) {
    setSelected(index)
    setExplainError(null)
    try {
      setExplained(
        await request<Explained>('/api/frames/explain', {
          method: 'POST',
          body: { hex: frame.hex },
          onError: (error) => {
            if (error.status !== 400) return false
            setExplainError(error)
            return true
          },
        }),
      )
    } catch {
      setExplained(null)
    }
  }

  if (!detail) return <Skeleton active />
  const s = detail.session

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="session-replay">
      <Card
        title={
          <Space>
            <Link to="/training/sessions">
              <ArrowLeftOutlined />
            </Link>
            课堂回放
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 3 }} size="small" data-testid="session-header">
          <Descriptions.Item label="学员">
            {s.studentName ?? '—'}
            {s.studentNo ? `（${s.studentNo}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="教练员">{s.coachName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="教练车">{s.plate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="培训机构">{s.institutionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="课程编码">{s.courseCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="终端">{s.deviceNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="开始时间">{formatTime(s.startedAt)}</Descriptions.Item>
          <Descriptions.Item label="结束时间">{s.endedAt ? formatTime(s.endedAt) : '进行中'}</Descriptions.Item>
          <Descriptions.Item label="分钟学时">{detail.minutes.length}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={`轨迹（${detail.positions.length} 点）`}>
        <TrackChart positions={detail.positions} fields={fields} />
      </Card>

      <Card title={`照片（${detail.photos.length} 张）`}>
        {detail.photos.length === 0 ? (
          <Empty description="该课堂没有照片" />
        ) : (
          <Space wrap size="middle" data-testid="session-photos">
            {detail.photos.map((p) => (
              <Space key={p.id} orientation="vertical" size={4} style={{ width: 160 }}>
                <Image
                  src={`/api/photos/${p.id}/content`}
                  width={160}
                  height={120}
                  style={{ objectFit: 'cover' }}
                  alt={p.photoNo ?? String(p.id)}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  事件 {p.eventType ?? '—'} · 人脸置信度{' '}
                  {p.faceConfidence != null ? Number(p.faceConfidence).toFixed(2) : '—'}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(p.takenAt)}
                </Typography.Text>
              </Space>
            ))}
          </Space>
        )}
      </Card>

      <Card
        title={`分钟学时（${detail.minutes.length} 条${highlight.size ? `，疑点涉及的 ${highlight.size} 条标红` : ''}）`}
      >
        <Table<Minute>
          data-testid="session-minutes"
          onRow={(r) =>
            highlight.has(r.recordNo) ? ({ style: { background: '#fff1f0' }, 'data-highlight': 'true' } as object) : {}
          }
          rowKey={(r) => `${r.recordNo}-${r.minuteAt}`}
          size="small"
          dataSource={detail.minutes}
          pagination={detail.minutes.length > 60 ? { pageSize: 60, showSizeChanger: false } : false}
          columns={[
            { title: '学时记录编号', dataIndex: 'recordNo' },
            { title: '时间', dataIndex: 'minuteAt', render: formatTime },
            {
              title: '最大速度 (km/h)',
              dataIndex: 'maxSpeedKmh',
              align: 'right',
              render: (v: number | null) => v ?? '—',
            },
            { title: '里程 (m)', dataIndex: 'mileageM', align: 'right', render: (v: number | null) => v ?? '—' },
            {
              title: '补传',
              dataIndex: 'isBackfill',
              render: (v: boolean) => (v ? <Tag color="orange">补传</Tag> : '—'),
            },
            {
              title: '有效性',
              dataIndex: 'valid',
              render: (v: boolean | null, r) =>
                v == null ? (
                  '—'
                ) : v ? (
                  <Tag color="success">有效</Tag>
                ) : (
                  <Tag color="error" title={r.reasons?.join('、')}>
                    无效{r.reasons?.length ? `：${r.reasons.join('、')}` : ''}
                  </Tag>
                ),
            },
          ]}
        />
      </Card>

      <Card title={`原始报文（${frames?.length ?? 0} 帧，点击一行查看解析）`}>
        <Table<Frame & { index: number }>
          data-testid="session-frames"
          rowKey="index"
          size="small"
          loading={frames === null}
          dataSource={(frames ?? []).map((f, index) => ({ ...f, index }))}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          onRow={(r) => ({ onClick: () => void explain(r.index, r), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.index === selected ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: '接收时间',
              dataIndex: 'receivedAt',
              width: 200,
              // 补传 that reached the platform after the logout (a minute past it, as the server's window).
              render: (v: string) => (
                <Space size={4}>
                  {formatTime(v)}
                  {s.endedAt && new Date(v).getTime() > new Date(s.endedAt).getTime() + 60_000 ? (
                    <Tag color="orange">登出后到达</Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: '方向',
              dataIndex: 'direction',
              width: 70,
              render: (v: string) => (v === 'up' ? <Tag color="blue">上行</Tag> : <Tag color="purple">下行</Tag>),
            },
            { title: '消息ID', dataIndex: 'msgId', width: 90, render: (v: number) => hex4(v) },
            { title: '流水号', dataIndex: 'serialNo', width: 80, align: 'right' },
            {
              title: '报文',
              dataIndex: 'hex',
              render: (v: string, r) => (
                <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>
                  {v.length > 80 ? `${v.slice(0, 80).toUpperCase()} …` : v.toUpperCase()}
                  {r.decodeError ? <Tag color="error">{r.decodeError}</Tag> : null}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>

      {(explained || explainError) && <FrameExplanation result={explained} requestError={explainError} />}
    </Space>
  )
}
