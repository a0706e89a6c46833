import { ArrowLeftOutlined, PlayCircleOutlined } from '@ant-design/icons'
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Input,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { request } from '../../api.ts'
import { EChart, type EChartsOption } from '../../components/EChart.tsx'
import { startEndMarkers, TRACK_GRID, trackAxes, trackTooltip, useElementWidth } from '../../components/track.ts'
import { formatTime } from '../training/types.ts'
import {
  type FindingRow,
  type FindingStatus,
  ruleLabel,
  SEVERITY_COLOR,
  SEVERITY_LABEL,
  type Severity,
  STATUS_COLOR,
  STATUS_LABEL,
  subjectText,
} from './types.ts'

interface RuleParam {
  name: string
  description: string
  unit: string | null
  uncertain: boolean
  default: unknown
  used: unknown
}

interface RuleInfo {
  id: string
  version: number
  scope: 'session' | 'cross'
  title: { zh: string; en: string }
  severity: Severity
  requirements: string[]
  basis: string
  params: RuleParam[]
}

interface SessionInfo {
  id: number
  visible: boolean
  institutionName: string | null
  courseCode: string | null
  courseLabel: string | null
  startedAt: string
  endedAt: string | null
  studentName?: string | null
  studentNo?: string | null
  coachName?: string | null
  coachNo?: string | null
  plate?: string | null
  deviceNo?: string | null
  terminalId?: number | null
}

interface Minute {
  sessionId: number | null
  recordNo: string
  minuteAt: string
  maxSpeedKmh: number | null
  recordSpeedKmh: number | null
  mileageM: number | null
  engineRpm: number | null
  lng: number | null
  lat: number | null
  isBackfill: boolean
  valid: boolean | null
  reasons: string[] | null
  flagged: boolean
}

interface Fix {
  fixedAt: string
  lng: number
  lat: number
  speedKmh: number | null
  flagged: boolean
}

interface PhotoInfo {
  id: number
  visible: boolean
  contentUrl: string | null
  takenAt: string | null
  institutionName: string | null
  studentId?: number | null
  coachId?: number | null
  eventType?: number | null
  faceConfidence?: number | null
  faceCount?: number | null
  faceDistance?: number | null
  meanLuma?: number | null
  lumaStddev?: number | null
  phash?: string | null
  analysisError?: string | null
}

interface RegisteredPhoto {
  personKind: 'student' | 'coach'
  personId: number
  registered: boolean
  registeredAt: string | null
  hasDescriptor: boolean
  contentUrl: string | null
}

interface FrameLink {
  terminalPhone: string
  receivedAt: string
  msgId: number
  serialNo: number
  sessionId: number | null
  replayPath: string | null
}

interface ReviewStep {
  at: string
  reviewerName: string | null
  from: FindingStatus | null
  to: FindingStatus | null
  note: string | null
}

interface Detail {
  finding: FindingRow & {
    params: Record<string, unknown>
    evidence: { details: Record<string, unknown> }
    reviewerName: string | null
    reviewNote: string | null
  }
  rule: RuleInfo | null
  session: SessionInfo | null
  sessions: SessionInfo[]
  minutes: Minute[]
  /** Titles of the reason codes that are rule ids. */
  reasonTitles: Record<string, string>
  positions: Fix[]
  photos: PhotoInfo[]
  registeredPhotos: RegisteredPhoto[]
  frames: FrameLink[]
  replay: { path: string; highlight: string[] } | null
  review: { allowed: boolean; transitions: FindingStatus[]; history: ReviewStep[] }
}

const FLAG = '#f5222d'
const EVIDENCE_TRACK_HEIGHT = 380
const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0').toUpperCase()}`
const show = (v: unknown) =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)
const fixed = (v: number | null | undefined, digits = 2) => (v == null ? '—' : Number(v).toFixed(digits))

/** Actions offered for each target status, and whether a note is required (mirrors the server). */
const ACTION: Record<FindingStatus, { label: string; danger?: boolean; primary?: boolean }> = {
  open: { label: '待处理' },
  under_review: { label: '转入核查' },
  confirmed: { label: '确认疑点', primary: true, danger: true },
  dismissed: { label: '排除疑点' },
}
const noteRequired = (from: FindingStatus, to: FindingStatus) =>
  to === 'dismissed' || from === 'confirmed' || from === 'dismissed'

/** The session's track with the flagged minutes (their GNSS fix) and flagged fixes in red. */
function EvidenceTrack({ positions, minutes }: { positions: Fix[]; minutes: Minute[] }) {
  const box = useRef<HTMLDivElement>(null)
  const points = useMemo(
    () => [
      ...positions,
      ...minutes.flatMap((m) => (m.lng != null && m.lat != null ? [{ lng: m.lng, lat: m.lat }] : [])),
    ],
    [positions, minutes],
  )
  const width = useElementWidth(box, points.length > 0)
  const option = useMemo<EChartsOption>(() => {
    const line = positions.map((p) => [p.lng, p.lat, p.fixedAt, p.speedKmh])
    const flaggedMinutes = minutes
      .filter((m) => m.flagged && m.lng != null && m.lat != null)
      .map((m) => ({ name: m.recordNo, value: [m.lng, m.lat, m.minuteAt, m.maxSpeedKmh] }))
    const flaggedFixes = positions.filter((p) => p.flagged).map((p) => [p.lng, p.lat, p.fixedAt, p.speedKmh])
    return {
      animation: false,
      legend: { top: 0 },
      tooltip: trackTooltip,
      grid: TRACK_GRID,
      ...trackAxes(points, width, EVIDENCE_TRACK_HEIGHT),
      series: [
        { type: 'line', name: '轨迹', data: line, showSymbol: false, lineStyle: { color: '#1677ff', width: 2 } },
        {
          type: 'scatter',
          name: '疑点分钟',
          data: flaggedMinutes,
          symbolSize: 12,
          itemStyle: { color: FLAG },
          z: 5,
        },
        {
          type: 'scatter',
          name: '疑点定位',
          data: flaggedFixes,
          symbol: 'diamond',
          symbolSize: 12,
          itemStyle: { color: '#fa8c16' },
          z: 5,
        },
        startEndMarkers(line, '#595959', 10),
      ],
    }
  }, [positions, minutes, points, width])
  if (points.length === 0) return <Empty description="没有轨迹点" />
  return (
    <div ref={box}>
      {width > 0 ? <EChart option={option} style={{ height: EVIDENCE_TRACK_HEIGHT }} testId="finding-track" /> : null}
    </div>
  )
}

function PhotoBox({ src, caption, lines }: { src: string | null; caption: string; lines: string[] }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: 180 }}>
      {src ? (
        <Image
          src={src}
          width={180}
          height={135}
          style={{ objectFit: 'cover' }}
          alt={caption}
          fallback="data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='180' height='135'><rect width='100%' height='100%' fill='%23f0f0f0'/><text x='50%' y='50%' font-size='13' text-anchor='middle' fill='%23999'>无法加载</text></svg>"
        />
      ) : (
        <div
          style={{
            width: 180,
            height: 135,
            background: '#f5f5f5',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#999',
          }}
        >
          无照片
        </div>
      )}
      <Typography.Text strong style={{ fontSize: 12 }}>
        {caption}
      </Typography.Text>
      {lines.map((l) => (
        <Typography.Text key={l} type="secondary" style={{ fontSize: 12 }}>
          {l}
        </Typography.Text>
      ))}
    </Space>
  )
}

/** 疑点详情: the rule's explanation, the evidence (track, minutes, photos, frames) and the review. */
export default function FindingDetailPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const [detail, setDetail] = useState<Detail | null>(null)
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState<FindingStatus | null>(null)

  const load = useCallback(
    () =>
      request<Detail>(`/api/findings/${id}`)
        .then(setDetail)
        .catch(() => navigate('/supervision/findings', { replace: true })),
    [id, navigate],
  )

  useEffect(() => {
    setDetail(null)
    void load()
  }, [load])

  async function review(to: FindingStatus) {
    setSaving(to)
    try {
      const next = await request<Detail>(`/api/findings/${id}`, {
        method: 'PATCH',
        body: { status: to, note: note.trim() || null },
        onError: (error) => {
          // Someone else decided first: show the current state (the message still appears).
          if (error.code === 'ERR_FINDING_TRANSITION_INVALID') void load()
          return false
        },
      })
      setDetail(next)
      setNote('')
    } catch {
      // reported by the request policy
    } finally {
      setSaving(null)
    }
  }

  if (!detail) return <Skeleton active />
  const f = detail.finding
  const s = detail.session
  const flagged = detail.minutes.filter((m) => m.flagged)
  const details = Object.entries(f.evidence.details ?? {})
  const replayHref = detail.replay
    ? `${detail.replay.path}${detail.replay.highlight.length ? `?highlight=${detail.replay.highlight.join(',')}` : ''}`
    : null
  const registeredOf = (kind: 'student' | 'coach', personId: number | null | undefined) =>
    detail.registeredPhotos.find((r) => r.personKind === kind && r.personId === personId)

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="finding-detail">
      <Card
        title={
          <Space>
            <Link to="/supervision/findings">
              <ArrowLeftOutlined />
            </Link>
            疑点详情
            <Tag color={SEVERITY_COLOR[f.severity]}>{SEVERITY_LABEL[f.severity] ?? f.severity}</Tag>
            <Tag color={STATUS_COLOR[f.status]} data-testid="finding-status">
              {STATUS_LABEL[f.status] ?? f.status}
            </Tag>
          </Space>
        }
        extra={
          replayHref && (
            <Link to={replayHref} data-testid="finding-replay-link">
              <PlayCircleOutlined /> 在课堂回放中查看
            </Link>
          )
        }
      >
        <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="finding-summary">
          {ruleLabel(f)}：{f.summary}
        </Typography.Title>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="对象">{subjectText(f)}</Descriptions.Item>
          <Descriptions.Item label="培训机构">{f.institutionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="发生时间">{formatTime(f.occurredAt)}</Descriptions.Item>
          <Descriptions.Item label="发现时间">
            {formatTime(f.detectedAt)}（{f.detectedBy === 'batch' ? '批量研判' : '实时研判'}）
          </Descriptions.Item>
          <Descriptions.Item label="规则版本">
            {f.ruleId} v{f.ruleVersion}
          </Descriptions.Item>
          <Descriptions.Item label="政策版本">v{f.policyVersion}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title="规则说明" size="small" data-testid="finding-rule">
        {detail.rule ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label="规则">
                {detail.rule.title.zh}（{detail.rule.title.en}）
              </Descriptions.Item>
              <Descriptions.Item label="适用范围">
                {detail.rule.scope === 'session' ? '单个课堂（实时与批量）' : '跨课堂、跨来源（批量）'}
              </Descriptions.Item>
              <Descriptions.Item label="依据">{detail.rule.basis}</Descriptions.Item>
              <Descriptions.Item label="对应需求">{detail.rule.requirements.join('、')}</Descriptions.Item>
            </Descriptions>
            <Table<RuleParam>
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={detail.rule.params}
              locale={{ emptyText: '该规则没有参数' }}
              columns={[
                { title: '参数', dataIndex: 'name' },
                {
                  title: '说明',
                  dataIndex: 'description',
                  render: (v: string, r) => (
                    <>
                      {v}
                      {r.uncertain ? (
                        <Tag color="warning" style={{ marginLeft: 8 }}>
                          待省级确定
                        </Tag>
                      ) : null}
                    </>
                  ),
                },
                { title: '默认值', dataIndex: 'default', render: (v, r) => `${show(v)}${r.unit ? ` ${r.unit}` : ''}` },
                {
                  title: '本次使用',
                  dataIndex: 'used',
                  render: (v, r) => {
                    const text = `${show(v)}${r.unit && v != null ? ` ${r.unit}` : ''}`
                    return v != null && String(v) !== String(r.default) ? <Tag color="blue">{text}</Tag> : text
                  },
                },
              ]}
            />
          </Space>
        ) : (
          <Space orientation="vertical">
            <Typography.Text>规则编号 {f.ruleId}（本系统的规则目录中没有该规则的说明）</Typography.Text>
            <Typography.Text type="secondary">本次使用的参数：{JSON.stringify(f.params)}</Typography.Text>
          </Space>
        )}
        {details.length > 0 && (
          <Descriptions
            title="测量值"
            column={{ xs: 1, md: 3 }}
            size="small"
            style={{ marginTop: 16 }}
            data-testid="finding-details"
          >
            {details.map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {show(v)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
      </Card>

      {s && (
        <Card title="课堂" size="small">
          <Descriptions column={{ xs: 1, md: 3 }} size="small" data-testid="finding-session">
            <Descriptions.Item label="学员">
              {s.studentName ?? '—'}
              {s.studentNo ? `（${s.studentNo}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="教练员">{s.coachName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="教练车">{s.plate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="课程">{s.courseLabel ?? s.courseCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="开始时间">{formatTime(s.startedAt)}</Descriptions.Item>
            <Descriptions.Item label="结束时间">{s.endedAt ? formatTime(s.endedAt) : '进行中'}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}

      {(detail.positions.length > 0 || flagged.length > 0) && (
        <Card title={`轨迹与疑点分钟（${flagged.length} 分钟被标记）`} size="small">
          <EvidenceTrack positions={detail.positions} minutes={detail.minutes} />
        </Card>
      )}

      {detail.minutes.length > 0 && (
        <Card title={`分钟学时（${detail.minutes.length} 条，标红为本疑点涉及的分钟）`} size="small">
          <Table<Minute>
            data-testid="finding-minutes"
            size="small"
            rowKey={(r) => `${r.sessionId}-${r.recordNo}-${r.minuteAt}`}
            dataSource={detail.minutes}
            pagination={detail.minutes.length > 60 ? { pageSize: 60, showSizeChanger: false } : false}
            onRow={(r) => (r.flagged ? ({ style: { background: '#fff1f0' }, 'data-flagged': 'true' } as object) : {})}
            columns={[
              {
                title: '学时记录编号',
                dataIndex: 'recordNo',
                render: (v: string, r) => (r.flagged ? <Typography.Text type="danger">{v}</Typography.Text> : v),
              },
              { title: '时间', dataIndex: 'minuteAt', render: formatTime },
              { title: '最大速度 (km/h)', dataIndex: 'maxSpeedKmh', align: 'right', render: show },
              { title: '记录速度 (km/h)', dataIndex: 'recordSpeedKmh', align: 'right', render: show },
              { title: '里程 (m)', dataIndex: 'mileageM', align: 'right', render: show },
              { title: '转速 (rpm)', dataIndex: 'engineRpm', align: 'right', render: show },
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
                    <Tag>未研判</Tag>
                  ) : v ? (
                    <Tag color="success">有效</Tag>
                  ) : (
                    <Tag color="error" title={r.reasons?.join('、')} style={{ whiteSpace: 'normal' }}>
                      无效
                      {r.reasons?.length
                        ? `：${r.reasons.map((code) => detail.reasonTitles?.[code] ?? code).join('、')}`
                        : ''}
                    </Tag>
                  ),
              },
            ]}
          />
        </Card>
      )}

      {detail.photos.length > 0 && (
        <Card title="照片比对（左：抓拍照片，右：备案照片）" size="small">
          <Space orientation="vertical" size="large" data-testid="finding-photos">
            {detail.photos.map((p) => {
              const personKind = p.studentId ? 'student' : p.coachId ? 'coach' : null
              const reg = personKind
                ? registeredOf(personKind, personKind === 'student' ? p.studentId : p.coachId)
                : null
              return (
                <Space key={p.id} size="large" align="start" wrap>
                  <PhotoBox
                    src={p.contentUrl}
                    caption={`抓拍照片 #${p.id}`}
                    lines={
                      p.visible
                        ? [
                            formatTime(p.takenAt),
                            `人脸置信度 ${fixed(p.faceConfidence, 0)}`,
                            `人脸数 ${show(p.faceCount)} · 人脸距离 ${fixed(p.faceDistance)}`,
                            `亮度 ${fixed(p.meanLuma, 0)} ± ${fixed(p.lumaStddev, 0)}`,
                            ...(p.analysisError ? [`分析失败：${p.analysisError}`] : []),
                          ]
                        : [`不在您的管辖范围内（${p.institutionName ?? '其他机构'}）`]
                    }
                  />
                  <PhotoBox
                    src={reg?.contentUrl ?? null}
                    caption={personKind === 'coach' ? '教练员备案照片' : '学员备案照片'}
                    lines={
                      reg?.registered
                        ? [
                            `备案于 ${formatTime(reg.registeredAt)}`,
                            reg.hasDescriptor ? '已提取人脸特征' : '未提取人脸特征',
                          ]
                        : ['未备案照片']
                    }
                  />
                </Space>
              )
            })}
          </Space>
        </Card>
      )}

      {detail.sessions.length > 1 && (
        <Card title="关联课堂" size="small">
          <Table<SessionInfo>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={detail.sessions}
            columns={[
              { title: '培训机构', dataIndex: 'institutionName', render: show },
              { title: '课程', key: 'course', render: (_, r) => r.courseLabel ?? r.courseCode ?? '—' },
              { title: '学员', dataIndex: 'studentName', render: (v, r) => (r.visible ? show(v) : '（辖区外）') },
              { title: '开始', dataIndex: 'startedAt', render: formatTime },
              { title: '结束', dataIndex: 'endedAt', render: formatTime },
              {
                title: '操作',
                key: 'op',
                render: (_, r) => (r.visible ? <Link to={`/training/sessions/${r.id}`}>回放</Link> : '—'),
              },
            ]}
          />
        </Card>
      )}

      {detail.frames.length > 0 && (
        <Card title="原始报文" size="small">
          <Table<FrameLink>
            size="small"
            rowKey={(r) => `${r.terminalPhone}-${r.receivedAt}-${r.serialNo}`}
            pagination={false}
            dataSource={detail.frames}
            columns={[
              { title: '终端手机号', dataIndex: 'terminalPhone' },
              { title: '接收时间', dataIndex: 'receivedAt', render: formatTime },
              { title: '消息ID', dataIndex: 'msgId', render: (v: number) => hex4(v) },
              { title: '流水号', dataIndex: 'serialNo' },
              {
                title: '操作',
                key: 'op',
                render: (_, r) => (r.replayPath ? <Link to={r.replayPath}>在回放的报文窗口中查看</Link> : '—'),
              },
            ]}
          />
        </Card>
      )}

      <Card title="审核" size="small" data-testid="finding-review">
        <Row gutter={[16, 16]}>
          <Col xs={24} md={10}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label="当前状态">
                <Tag color={STATUS_COLOR[f.status]}>{STATUS_LABEL[f.status] ?? f.status}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="审核人">{f.reviewerName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="审核时间">{formatTime(f.reviewedAt)}</Descriptions.Item>
              <Descriptions.Item label="审核意见">{f.reviewNote ?? '—'}</Descriptions.Item>
            </Descriptions>
            {detail.review.history.length > 0 && (
              <Timeline
                style={{ marginTop: 16 }}
                data-testid="finding-history"
                items={detail.review.history.map((h) => ({
                  color: h.to === 'confirmed' ? 'red' : h.to === 'dismissed' ? 'gray' : 'blue',
                  content: (
                    <Space orientation="vertical" size={0}>
                      <Typography.Text>
                        {formatTime(h.at)} {h.reviewerName ?? '—'}：{h.from ? (STATUS_LABEL[h.from] ?? h.from) : '—'} →{' '}
                        {h.to ? (STATUS_LABEL[h.to] ?? h.to) : '—'}
                      </Typography.Text>
                      {h.note && <Typography.Text type="secondary">{h.note}</Typography.Text>}
                    </Space>
                  ),
                }))}
              />
            )}
          </Col>
          <Col xs={24} md={14}>
            {detail.review.allowed ? (
              detail.review.transitions.length > 0 ? (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Input.TextArea
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    placeholder="审核意见（排除疑点或重新核查已有结论时必填）"
                    autoSize={{ minRows: 3, maxRows: 6 }}
                    maxLength={1000}
                    showCount
                    data-testid="finding-note"
                  />
                  <Space wrap>
                    {detail.review.transitions.map((to) => {
                      const a = ACTION[to]
                      const needs = noteRequired(f.status, to) && !note.trim()
                      return (
                        <Button
                          key={to}
                          type={a.primary ? 'primary' : 'default'}
                          danger={a.danger}
                          loading={saving === to}
                          disabled={saving !== null || needs}
                          title={needs ? '请先填写审核意见' : undefined}
                          onClick={() => void review(to)}
                          data-testid={`finding-action-${to}`}
                        >
                          {f.status === 'confirmed' || f.status === 'dismissed' ? '重新核查' : a.label}
                        </Button>
                      )
                    })}
                  </Space>
                </Space>
              ) : (
                <Typography.Text type="secondary">该疑点没有可执行的审核操作</Typography.Text>
              )
            ) : (
              <Alert type="info" showIcon title="只读：审核由省、市、县交通运输主管部门和执法人员办理" />
            )}
          </Col>
        </Row>
      </Card>
    </Space>
  )
}
