import { ArrowLeftOutlined, FileDoneOutlined, SendOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Modal,
  Progress,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { type ApiError, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { formatTime } from '../training/types.ts'
import {
  type Credit,
  hours,
  MODE_LABELS,
  PART_LABELS,
  type PartLedger,
  REVIEW_STATUS,
  reasonLabel,
  type StudentLedger,
  splitReason,
  useRuleTitles,
} from './types.ts'

const percent = (have: number, need: number) => (need > 0 ? Math.min(100, Math.floor((have / need) * 100)) : 100)

function PartCard({ part }: { part: PartLedger }) {
  const rows = part.byMode.filter((m) => m.finalMinutes > 0 || m.minMinutes !== null || m.maxMinutes !== null)
  return (
    <Card
      size="small"
      title={
        <Space>
          {PART_LABELS[part.part]}
          {part.complete ? <Tag color="success">已达标</Tag> : <Tag color="warning">未达标</Tag>}
        </Space>
      }
    >
      <Progress
        percent={percent(part.countedMinutes, part.requiredMinutes)}
        status={part.complete ? 'success' : 'active'}
        format={() => `${hours(part.countedMinutes)} / ${hours(part.requiredMinutes)}`}
      />
      <Table
        size="small"
        rowKey="mode"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '暂无认定学时' }}
        columns={[
          { title: '方式', dataIndex: 'mode', render: (m: number) => MODE_LABELS[m] },
          { title: '认定', dataIndex: 'finalMinutes', render: (v: number) => `${v} 分钟` },
          {
            title: '要求',
            render: (_, m) =>
              [
                m.minMinutes !== null ? `不少于 ${hours(m.minMinutes)}` : null,
                m.maxMinutes !== null ? `至多计 ${hours(m.maxMinutes)}` : null,
              ]
                .filter(Boolean)
                .join('，') || '—',
          },
        ]}
      />
      {part.shortfalls.map((s) => (
        <Typography.Text key={s.message} type="warning" style={{ display: 'block' }}>
          {s.message}
        </Typography.Text>
      ))}
    </Card>
  )
}

function Reasons({ reasons, titles }: { reasons: string[]; titles: Record<string, string> }) {
  if (reasons.length === 0) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <Space size={[4, 4]} wrap>
      {reasons.map((r) => {
        const [code, count] = splitReason(r)
        const color = code === 'DAILY_CAP' ? 'orange' : code === 'LOW_VALID_SHARE' ? 'red' : 'default'
        return (
          <Tooltip key={r} title={code}>
            <Tag color={color}>
              {reasonLabel(code, titles)}
              {count !== null ? ` ×${count}` : ''}
            </Tag>
          </Tooltip>
        )
      })}
    </Space>
  )
}

/** 学时台账: one student's credited hours against the syllabus, per part and mode. */
export default function HoursLedgerPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const { access } = useAuth()
  const { message } = App.useApp()
  const titles = useRuleTitles()
  const [data, setData] = useState<StudentLedger | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null)
  const [reviewPart, setReviewPart] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    let live = true
    void reloadKey
    request<StudentLedger>(`/api/students/${id}/ledger`, {
      onError: (e) => {
        if (live) setError(e.message)
        return true
      },
    })
      .then((r) => live && setData(r))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [id, reloadKey])

  /** Coded refusals (学时不全, 审核中 …) are shown in place with the server's message. */
  const refused = useCallback((e: ApiError) => {
    if (e.status !== 409) return false
    setRefusal({ code: e.code, message: e.message })
    return true
  }, [])

  async function submitReview() {
    if (!reviewPart) return
    setBusy(true)
    try {
      await request(`/api/students/${id}/stage-reviews`, { body: { part: reviewPart }, onError: refused })
      message.success(`${PART_LABELS[reviewPart]}已提交阶段报审`)
      setReviewPart(null)
      setReloadKey((k) => k + 1)
    } catch {
      setReviewPart(null)
    } finally {
      setBusy(false)
    }
  }

  async function applyCertificate() {
    setBusy(true)
    try {
      const cert = await request<{ certNo: string }>(`/api/students/${id}/certificate`, {
        method: 'POST',
        onError: refused,
      })
      message.success(`已发放结业证书 ${cert.certNo}`)
      setReloadKey((k) => k + 1)
    } catch {
      // shown by `refused` or the error policy
    } finally {
      setBusy(false)
    }
  }

  if (error) return <Alert type="warning" showIcon title={error} />
  if (!data) return <Skeleton active />
  const { ledger, student } = data

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} />
            学时台账 · {student.name}
          </Space>
        }
        extra={
          access.canApplyHours && (
            <Space>
              <Button icon={<SendOutlined />} onClick={() => setReviewPart(1)} disabled={busy}>
                阶段报审
              </Button>
              <Button
                type="primary"
                icon={<FileDoneOutlined />}
                onClick={applyCertificate}
                loading={busy}
                disabled={!!data.certificate}
              >
                申请结业证书
              </Button>
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'no', label: '学员编号', children: student.stuNo },
            { key: 'ins', label: '培训机构', children: student.institutionName ?? '—' },
            {
              key: 'type',
              label: '培训车型',
              children: (
                <Space>
                  {ledger.licenseType}
                  {ledger.uncertain && (
                    <Tooltip title="该车型学时数字未经可靠来源确认，以省级发布为准">
                      <Tag color="gold">待确认</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { key: 'policy', label: '对照大纲版本', children: <Link to="/hours/policy">v{ledger.policyVersion}</Link> },
            {
              key: 'total',
              label: '总学时',
              children: `${hours(ledger.totalMinutes.counted)} / ${hours(ledger.totalMinutes.required)}`,
            },
            {
              key: 'state',
              label: '状态',
              children: data.certificate ? (
                <Tag color="success">已结业 {data.certificate.certNo}</Tag>
              ) : ledger.complete ? (
                <Tag color="success">学时已达标</Tag>
              ) : (
                <Tag color="warning">学时未达标</Tag>
              ),
            },
            {
              key: 'classroom',
              label: '课堂教学合计',
              children: `${hours(ledger.classroom.finalMinutes)} / ${hours(ledger.classroom.requiredMinutes)}`,
            },
            {
              key: 'mileage',
              label: '实操里程',
              children: (
                <Progress
                  size="small"
                  style={{ minWidth: 180 }}
                  percent={percent(ledger.mileage.km, ledger.mileage.requiredKm)}
                  format={() => `${ledger.mileage.km} / ${ledger.mileage.requiredKm} km`}
                />
              ),
            },
            {
              key: 'findings',
              label: '未核查疑点',
              children: data.openFindings > 0 ? <Tag color="red">{data.openFindings} 条</Tag> : '无',
            },
          ]}
        />
        {refusal && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            closable
            onClose={() => setRefusal(null)}
            title={refusal.message}
            description={<Typography.Text type="secondary">错误码 {refusal.code}</Typography.Text>}
          />
        )}
      </Card>

      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))', gap: 16 }}>
        {ledger.parts.map((p) => (
          <PartCard key={p.part} part={p} />
        ))}
      </div>

      <Card title={`阶段报审（${data.reviews.length}）`} size="small">
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={data.reviews}
          locale={{ emptyText: '尚未报审' }}
          columns={[
            { title: '部分', dataIndex: 'part', render: (p: number) => PART_LABELS[p] },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: string) => <Tag color={REVIEW_STATUS[s]?.color}>{REVIEW_STATUS[s]?.label ?? s}</Tag>,
            },
            { title: '大纲版本', dataIndex: 'policyVersion', render: (v: number) => `v${v}` },
            { title: '提交时间', dataIndex: 'requestedAt', render: formatTime },
            { title: '审核时间', dataIndex: 'decidedAt', render: formatTime },
            { title: '审核意见', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>

      <Card title={`课堂认定明细（${data.credits.length}）`} size="small">
        {data.credits.length === 0 ? (
          <Empty description="暂无已核验的课堂" />
        ) : (
          <Table<Credit>
            size="small"
            rowKey={(c) => `${c.sessionId}:${c.localDay}`}
            dataSource={data.credits}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条` }}
            columns={[
              {
                title: '课堂',
                dataIndex: 'sessionId',
                render: (sid: number, c) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={`/training/sessions/${sid}`}>回放 #{sid}</Link>
                    <Typography.Text type="secondary">
                      {c.source === 'exchange' ? '计时平台上报' : '计时终端'}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: '日期', dataIndex: 'localDay' },
              { title: '开始', dataIndex: 'startedAt', render: formatTime },
              { title: '部分', dataIndex: 'part', render: (p: number) => PART_LABELS[p] },
              { title: '方式', dataIndex: 'mode', render: (m: number) => MODE_LABELS[m] },
              { title: '时长', dataIndex: 'sessionMinutes', render: (v: number) => `${v} 分` },
              { title: '有效', dataIndex: 'validMinutes', render: (v: number) => `${v} 分` },
              {
                title: '无效',
                dataIndex: 'invalidMinutes',
                render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v} 分</Typography.Text> : '0 分'),
              },
              { title: '折算', dataIndex: 'creditedMinutes', render: (v: number) => `${v} 分` },
              {
                title: '超日上限',
                dataIndex: 'cappedMinutes',
                render: (v: number) => (v > 0 ? <Typography.Text type="warning">{v} 分</Typography.Text> : '—'),
              },
              { title: '认定', dataIndex: 'finalMinutes', render: (v: number) => <b>{v} 分</b> },
              { title: '里程', dataIndex: 'mileageM', render: (v: number) => `${(v / 1000).toFixed(1)} km` },
              { title: '大纲版本', dataIndex: 'policyVersion', render: (v: number) => `v${v}` },
              {
                title: '原因',
                dataIndex: 'reasons',
                render: (r: string[]) => <Reasons reasons={r} titles={titles} />,
              },
            ]}
          />
        )}
      </Card>

      <Modal
        title="阶段报审"
        open={reviewPart !== null}
        onCancel={() => setReviewPart(null)}
        onOk={submitReview}
        confirmLoading={busy}
        okText="提交"
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>选择报审的培训部分，提交后由主管部门审核：</Typography.Text>
          <Select
            style={{ width: 200 }}
            value={reviewPart ?? undefined}
            onChange={setReviewPart}
            options={ledger.parts.map((p) => ({
              value: p.part,
              label: `${PART_LABELS[p.part]}${p.complete ? '' : '（未达标）'}`,
            }))}
          />
        </Space>
      </Modal>
    </Space>
  )
}
