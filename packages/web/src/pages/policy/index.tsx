import { CloudUploadOutlined, EditOutlined, UndoOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { formatTime } from '../training/types.ts'

type PartKey = '1' | '2' | '3' | '4'
const PART_KEYS: PartKey[] = ['1', '2', '3', '4']
const PART_LABELS: Record<PartKey, string> = { 1: '第一部分', 2: '第二部分', 3: '第三部分', 4: '第四部分' }
const MODE_LABELS: Record<string, string> = { 1: '实操', 2: '课堂', 3: '模拟', 4: '远程' }
const CAP_LABELS: Record<string, string> = { classroom: '课堂', practical: '实操' }

interface PartHours {
  total: number
  maxByMode?: Record<string, number>
  minByMode?: Record<string, number>
}
interface VehicleTypeHours {
  total: number
  parts: Record<PartKey, PartHours>
  minMileageKm: number
  uncertain: boolean
  note?: string
}
interface Syllabus {
  name: string
  hourMinutes: number
  effectiveMinutesPerHour: number
  minValidShare: number
  dailyCapHours: { classroom: number; practical: number }
  capCategoryOfMode: Record<string, string>
  classroomMinHours: number
  timeZone: string
  vehicleTypes: Record<string, VehicleTypeHours>
}
interface Version {
  version: number
  effectiveFrom: string
  body: Syllabus
  note: string | null
  createdAt: string
}
interface Answer {
  current: Version
  versions: Version[]
}

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T
/** Cars first, then the larger types, then motorcycles. */
const TYPE_ORDER = ['C1', 'C2', 'C3', 'C5', 'B1', 'B2', 'A1', 'A2', 'A3', 'D', 'E', 'F']
const typeOrder = (t: string) => (TYPE_ORDER.includes(t) ? TYPE_ORDER.indexOf(t) : TYPE_ORDER.length)

/** 大纲政策: the syllabus figures in force, their history, and (province) publishing a new version. */
export default function SyllabusPolicyPage() {
  const { access } = useAuth()
  const { message } = App.useApp()
  const [data, setData] = useState<Answer | null>(null)
  const [draft, setDraft] = useState<Syllabus | null>(null)
  const [publishing, setPublishing] = useState(false)
  const [effectiveFrom, setEffectiveFrom] = useState<Dayjs | null>(null)
  const [note, setNote] = useState('')
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    let live = true
    void reloadKey
    request<Answer>('/api/policies/syllabus')
      .then((r) => live && setData(r))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [reloadKey])

  if (!data) return <Skeleton active />
  const shown = draft ?? data.current.body
  const editing = draft !== null

  const setType = (type: string, update: (t: VehicleTypeHours) => void) => {
    if (!draft) return
    const next = clone(draft)
    const t = next.vehicleTypes[type]
    if (!t) return
    update(t)
    t.total = PART_KEYS.reduce((s, k) => s + (t.parts[k]?.total ?? 0), 0)
    setDraft(next)
  }

  async function publish() {
    if (!draft) return
    try {
      const v = await request<Version>('/api/policies/syllabus', {
        body: {
          body: draft,
          ...(effectiveFrom ? { effectiveFrom: effectiveFrom.toISOString() } : {}),
          ...(note ? { note } : {}),
        },
      })
      message.success(`已发布 v${v.version}，生效时间 ${formatTime(v.effectiveFrom)}`)
      setDraft(null)
      setPublishing(false)
      setNote('')
      setEffectiveFrom(null)
      setReloadKey((k) => k + 1)
    } catch {
      // ERR_POLICY_INVALID names the bad field; the error policy shows it
    }
  }

  const rows = Object.entries(shown.vehicleTypes)
    .map(([type, t]) => ({ type, ...t }))
    .sort((a, b) => typeOrder(a.type) - typeOrder(b.type) || a.type.localeCompare(b.type))
  const num = (value: number, onChange: (v: number) => void, max = 1000) =>
    editing ? (
      <InputNumber size="small" min={0} max={max} value={value} onChange={(v) => onChange(Number(v ?? 0))} />
    ) : (
      value
    )

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            大纲政策
            <Tag color="blue">当前 v{data.current.version}</Tag>
            {editing && <Tag color="orange">编辑中（未发布）</Tag>}
          </Space>
        }
        extra={
          access.canPublishPolicy &&
          (editing ? (
            <Space>
              <Button icon={<UndoOutlined />} onClick={() => setDraft(null)}>
                放弃修改
              </Button>
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setPublishing(true)}>
                发布新版本
              </Button>
            </Space>
          ) : (
            <Button icon={<EditOutlined />} onClick={() => setDraft(clone(data.current.body))}>
              修订
            </Button>
          ))
        }
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="学时按课堂开始时生效的大纲版本认定；发布新版本不会改写已认定的学时。标注「待确认」的数字未经可靠来源确认，请省级核定后发布。"
          description={
            access.canFindings ? (
              <>
                检测规则的开关、阈值与有效培训时段属于检测政策，见 <Link to="/supervision/rules">检测规则</Link>。
              </>
            ) : undefined
          }
        />
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'name',
              label: '名称',
              children: editing ? (
                <Input size="small" value={shown.name} onChange={(e) => setDraft({ ...shown, name: e.target.value })} />
              ) : (
                shown.name
              ),
            },
            {
              key: 'hour',
              label: '1 学时',
              children: `${shown.hourMinutes} 分钟，有效不少于 ${shown.effectiveMinutesPerHour} 分钟`,
            },
            {
              key: 'cap',
              label: '每日上限',
              children: (
                <Space>
                  课堂
                  {num(
                    shown.dailyCapHours.classroom,
                    (v) => setDraft({ ...shown, dailyCapHours: { ...shown.dailyCapHours, classroom: v } }),
                    24,
                  )}
                  学时，实操
                  {num(
                    shown.dailyCapHours.practical,
                    (v) => setDraft({ ...shown, dailyCapHours: { ...shown.dailyCapHours, practical: v } }),
                    24,
                  )}
                  学时
                </Space>
              ),
            },
            {
              key: 'modes',
              label: '计入上限',
              children: (
                <Space>
                  {Object.entries(shown.capCategoryOfMode).map(([mode, cat]) => (
                    <Tooltip
                      key={mode}
                      title={mode === '3' || mode === '4' ? '待确认：模拟、远程计入何种上限未见明文' : undefined}
                    >
                      <Tag color={mode === '3' || mode === '4' ? 'gold' : undefined}>
                        {MODE_LABELS[mode]} → {CAP_LABELS[cat] ?? cat}
                        {mode === '3' || mode === '4' ? '（待确认）' : ''}
                      </Tag>
                    </Tooltip>
                  ))}
                </Space>
              ),
            },
            {
              key: 'classroom',
              label: '课堂教学合计',
              children: (
                <>不少于 {num(shown.classroomMinHours, (v) => setDraft({ ...shown, classroomMinHours: v }))} 学时</>
              ),
            },
            { key: 'from', label: '当前版本生效', children: formatTime(data.current.effectiveFrom) },
          ]}
        />
      </Card>

      <Card title="各车型学时（学时）与最低里程" size="small">
        <Table
          size="small"
          rowKey="type"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '车型', dataIndex: 'type', fixed: 'left' },
            { title: '总学时', dataIndex: 'total' },
            ...PART_KEYS.map((k) => ({
              title: PART_LABELS[k],
              key: k,
              render: (_: unknown, r: (typeof rows)[number]) => {
                const part = r.parts[k]
                const mins = Object.entries(part.minByMode ?? {})
                  .map(([m, h]) => `${MODE_LABELS[m]}≥${h}`)
                  .join(' ')
                return (
                  <Space size={4}>
                    {num(part.total, (v) => setType(r.type, (t) => (t.parts[k].total = v)))}
                    {mins && <Typography.Text type="secondary">（{mins}）</Typography.Text>}
                  </Space>
                )
              },
            })),
            {
              title: '最低里程（km）',
              dataIndex: 'minMileageKm',
              render: (v: number, r) => num(v, (n) => setType(r.type, (t) => (t.minMileageKm = n)), 100000),
            },
            {
              title: '状态',
              dataIndex: 'uncertain',
              render: (u: boolean, r) =>
                editing ? (
                  <Checkbox checked={u} onChange={(e) => setType(r.type, (t) => (t.uncertain = e.target.checked))}>
                    待确认
                  </Checkbox>
                ) : u ? (
                  <Tag color="gold">待确认</Tag>
                ) : (
                  <Tag color="success">已核实</Tag>
                ),
            },
            { title: '说明', dataIndex: 'note', render: (v?: string) => v ?? '—' },
          ]}
        />
      </Card>

      <Card title="版本历史" size="small">
        <Table<Version>
          size="small"
          rowKey="version"
          pagination={false}
          dataSource={data.versions}
          columns={[
            {
              title: '版本',
              dataIndex: 'version',
              render: (v: number) => (
                <Space>
                  v{v}
                  {v === data.current.version && <Tag color="blue">生效中</Tag>}
                </Space>
              ),
            },
            { title: '名称', render: (_, v) => v.body.name },
            { title: '生效时间', dataIndex: 'effectiveFrom', render: formatTime },
            { title: '发布时间', dataIndex: 'createdAt', render: formatTime },
            { title: '修订说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>

      <Modal title="发布新版本" open={publishing} onCancel={() => setPublishing(false)} onOk={publish} okText="发布">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>生效时间（默认立即生效；不得早于当前版本）：</Typography.Text>
          <DatePicker
            showTime
            value={effectiveFrom}
            onChange={setEffectiveFrom}
            disabledDate={(d) => d.isBefore(dayjs(data.current.effectiveFrom), 'day')}
          />
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder="修订说明（依据的文件、会议纪要等）"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </Space>
      </Modal>
    </Space>
  )
}
