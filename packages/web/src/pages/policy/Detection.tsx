import { CloudUploadOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { type ApiError, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { useRegions } from '../../regions.ts'
import { formatTime } from '../training/types.ts'

type Mode = '1' | '2' | '3' | '4'
const MODES: Mode[] = ['1', '2', '3', '4']
const MODE_LABELS: Record<Mode, string> = { 1: '实操', 2: '课堂', 3: '模拟', 4: '远程' }
const SEVERITY: Record<string, { label: string; color: string }> = {
  low: { label: '低', color: 'default' },
  medium: { label: '中', color: 'gold' },
  high: { label: '高', color: 'orange' },
  critical: { label: '严重', color: 'red' },
}

type ParamValue = number | string | boolean
interface TimeWindow {
  from: string
  to: string
}
interface DetectionPolicy {
  name: string
  windows: {
    default: Record<Mode, TimeWindow[]>
    byCity: Record<string, Partial<Record<Mode, TimeWindow[]>>>
  }
  rules: Record<string, { enabled: boolean; params: Record<string, ParamValue> }>
}
interface Version {
  version: number
  effectiveFrom: string
  body: DetectionPolicy
  note: string | null
  createdAt: string
}
interface CatalogueParam {
  name: string
  default: ParamValue
  value: ParamValue
  unit: string | null
  description: string
  uncertain: boolean
}
interface CatalogueRule {
  id: string
  version: number
  title: { zh: string; en: string }
  scope: 'session' | 'cross'
  severity: string
  basis: string
  invalidates: boolean
  enabled: boolean
  params: CatalogueParam[]
  doc: string
}
interface Catalogue {
  policy: { version: number; name: string; effectiveFrom: string }
  rules: CatalogueRule[]
}
/** A server validation error: the JSON path of the field and why. */
interface FieldError {
  path: string
  reason: string
}

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** The red line under a field the server refused. */
function FieldMessage({ error }: { error: FieldError | null }) {
  if (!error) return null
  return (
    <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }} data-testid="policy-field-error">
      {error.reason}
    </Typography.Text>
  )
}

/**
 * 检测规则: the rule catalogue with each rule's switch and parameters (default, unit, value of
 * the policy), the training windows per city and 课程方式, the version history; the province
 * publishes a new detection policy version with an effective time.
 */
export default function DetectionPolicyPage() {
  const { access } = useAuth()
  const { message } = App.useApp()
  const regions = useRegions()
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null)
  const [versions, setVersions] = useState<{ current: Version; versions: Version[] } | null>(null)
  const [draft, setDraft] = useState<DetectionPolicy | null>(null)
  const [publishing, setPublishing] = useState(false)
  const [effectiveFrom, setEffectiveFrom] = useState<Dayjs | null>(null)
  const [note, setNote] = useState('')
  const [fieldError, setFieldError] = useState<FieldError | null>(null)
  const [otherError, setOtherError] = useState<string | null>(null)
  const [newCity, setNewCity] = useState<string | undefined>(undefined)
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    let live = true
    void reloadKey
    Promise.all([
      request<Catalogue>('/api/detection/rules'),
      request<{ current: Version; versions: Version[] }>('/api/policies/detection'),
    ])
      .then(([c, v]) => {
        if (!live) return
        setCatalogue(c)
        setVersions(v)
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [reloadKey])

  const cityName = useMemo(() => new Map(regions.map((r) => [r.code, r.name])), [regions])

  if (!catalogue || !versions) return <Skeleton active />
  const latest = versions.versions[0] ?? versions.current
  const pendingVersion = latest.version !== versions.current.version ? latest : null
  const shown = draft ?? versions.current.body
  const editing = draft !== null

  /** The server's error for this JSON path (or one below it). */
  const errorAt = (path: string): FieldError | null =>
    fieldError && (fieldError.path === path || fieldError.path.startsWith(`${path}/`)) ? fieldError : null

  const update = (change: (d: DetectionPolicy) => void) => {
    if (!draft) return
    const next = clone(draft)
    change(next)
    setDraft(next)
  }
  const ruleOf = (d: DetectionPolicy, id: string) => {
    d.rules[id] ??= { enabled: true, params: {} }
    return d.rules[id]
  }

  function startEditing() {
    // Edit from the newest version, so a version waiting for its effective time is not lost.
    setDraft(clone(latest.body))
    setFieldError(null)
    setOtherError(null)
  }

  async function publish() {
    if (!draft) return
    try {
      const v = await request<Version>('/api/policies/detection', {
        body: {
          body: draft,
          ...(effectiveFrom ? { effectiveFrom: effectiveFrom.toISOString() } : {}),
          ...(note ? { note } : {}),
        },
        onError: (e: ApiError) => {
          const details = e.details as Partial<FieldError> | undefined
          if (e.code === 'ERR_POLICY_INVALID' && typeof details?.path === 'string') {
            setFieldError({ path: details.path, reason: details.reason ?? e.message })
            setOtherError(e.message)
            setPublishing(false)
            return true
          }
          return false
        },
      })
      message.success(`已发布检测政策 v${v.version}，生效时间 ${formatTime(v.effectiveFrom)}`)
      setDraft(null)
      setPublishing(false)
      setNote('')
      setEffectiveFrom(null)
      setFieldError(null)
      setOtherError(null)
      setReloadKey((k) => k + 1)
    } catch {
      // a field error is shown next to its field; anything else by the error policy
    }
  }

  const paramInput = (rule: CatalogueRule, p: CatalogueParam): ReactNode => {
    const value = shown.rules[rule.id]?.params?.[p.name] ?? p.default
    const path = `/rules/${rule.id}/params/${p.name}`
    const error = errorAt(path)
    if (!editing) {
      const changed = value !== p.default
      return (
        <Typography.Text strong={changed} type={changed ? 'warning' : undefined}>
          {typeof value === 'boolean' ? (value ? '是' : '否') : String(value)}
          {p.unit && typeof value !== 'boolean' ? ` ${p.unit}` : ''}
        </Typography.Text>
      )
    }
    const set = (v: ParamValue) =>
      update((d) => {
        ruleOf(d, rule.id).params[p.name] = v
      })
    let input: ReactNode
    if (typeof p.default === 'boolean') {
      input = <Switch size="small" checked={value === true} onChange={set} />
    } else if (typeof p.default === 'number') {
      input = (
        <InputNumber
          size="small"
          status={error ? 'error' : undefined}
          value={typeof value === 'number' ? value : Number(value)}
          onChange={(v) => v !== null && set(Number(v))}
          data-testid={`param-${rule.id}-${p.name}`}
          {...(p.unit ? { suffix: p.unit } : {})}
          style={{ width: 140 }}
        />
      )
    } else {
      input = (
        <Input
          size="small"
          status={error ? 'error' : undefined}
          value={String(value)}
          onChange={(e) => set(e.target.value)}
          style={{ width: 160 }}
        />
      )
    }
    return (
      <>
        {input}
        <FieldMessage error={error} />
      </>
    )
  }

  const windowsEditor = (path: string, list: TimeWindow[], onChange: (next: TimeWindow[]) => void): ReactNode => (
    <Space orientation="vertical" size={4}>
      {list.map((w, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: windows have no identity but their place
        <Space key={i} size={4}>
          {(['from', 'to'] as const).map((end) => (
            <Input
              key={end}
              size="small"
              style={{ width: 72 }}
              value={w[end]}
              status={errorAt(`${path}/${i}/${end}`) ? 'error' : undefined}
              placeholder="HH:MM"
              data-testid={`window-${path}-${i}-${end}`}
              onChange={(e) => onChange(list.map((x, j) => (j === i ? { ...x, [end]: e.target.value } : x)))}
            />
          ))}
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            title="删除该时段"
            onClick={() => onChange(list.filter((_, j) => j !== i))}
          />
        </Space>
      ))}
      <Button
        size="small"
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => onChange([...list, { from: '08:00', to: '18:00' }])}
      >
        时段
      </Button>
      <FieldMessage error={errorAt(path)} />
    </Space>
  )

  const windowsText = (list: TimeWindow[] | undefined) =>
    list === undefined ? (
      <Typography.Text type="secondary">沿用全省默认</Typography.Text>
    ) : list.length === 0 ? (
      <Tag color="red">全天不计学时</Tag>
    ) : (
      list.map((w) => `${w.from}–${w.to}`).join('，')
    )

  const windowRows = [
    { key: 'default', label: '全省默认', windows: shown.windows.default as Partial<Record<Mode, TimeWindow[]>> },
    ...Object.entries(shown.windows.byCity)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, windows]) => ({ key: code, label: `${cityName.get(code) ?? code}（${code}）`, windows })),
  ]
  const cityOptions = regions
    .filter((r) => r.level === 'city' && !(r.code in shown.windows.byCity))
    .map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="detection-policy">
      {otherError && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setOtherError(null)}
          title={otherError}
          description={fieldError ? `出错的字段：${fieldError.path}（已在下方标红）` : undefined}
        />
      )}
      <Card
        title={
          <Space>
            检测规则与检测政策
            <Tag color="blue" data-testid="detection-current-version">
              当前 v{versions.current.version}
            </Tag>
            {pendingVersion && (
              <Tag color="purple">
                v{pendingVersion.version} 将于 {formatTime(pendingVersion.effectiveFrom)} 生效
              </Tag>
            )}
            {editing && <Tag color="orange">编辑中（未发布）</Tag>}
          </Space>
        }
        extra={
          access.canPublishPolicy &&
          (editing ? (
            <Space>
              <Button
                icon={<UndoOutlined />}
                onClick={() => {
                  setDraft(null)
                  setFieldError(null)
                  setOtherError(null)
                }}
              >
                放弃修改
              </Button>
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setPublishing(true)}>
                发布新版本
              </Button>
            </Space>
          ) : (
            <Button icon={<EditOutlined />} onClick={startEditing}>
              修订
            </Button>
          ))
        }
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="每条疑点与每分钟学时的有效性都按课堂开始时生效的检测政策判定；发布新版本不会改写已有的判定，重新检测（jiapei detect）时按新版本。标注「待确认」的阈值无公开依据，请省级核定。"
        />
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'name',
              label: '名称',
              children: editing ? (
                <>
                  <Input
                    size="small"
                    value={shown.name}
                    status={errorAt('/name') ? 'error' : undefined}
                    onChange={(e) => update((d) => (d.name = e.target.value))}
                  />
                  <FieldMessage error={errorAt('/name')} />
                </>
              ) : (
                shown.name
              ),
            },
            { key: 'from', label: '当前版本生效', children: formatTime(versions.current.effectiveFrom) },
            {
              key: 'count',
              label: '规则',
              children: `${catalogue.rules.length} 条，启用 ${
                catalogue.rules.filter((r) => shown.rules[r.id]?.enabled !== false).length
              } 条`,
            },
          ]}
        />
      </Card>

      <Card title="规则目录" size="small">
        <Table<CatalogueRule>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={catalogue.rules}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: '规则',
              key: 'title',
              width: 220,
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Tooltip title={r.basis}>
                    <Typography.Text strong>{r.title.zh}</Typography.Text>
                  </Tooltip>
                  <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
                    {r.id} v{r.version}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: '范围',
              dataIndex: 'scope',
              width: 110,
              render: (s: string, r) => (
                <Space orientation="vertical" size={0}>
                  {s === 'session' ? '课堂规则' : '跨课堂规则'}
                  {r.invalidates && <Typography.Text type="secondary">可判分钟无效</Typography.Text>}
                </Space>
              ),
            },
            {
              title: '严重程度',
              dataIndex: 'severity',
              width: 80,
              render: (s: string) => <Tag color={SEVERITY[s]?.color}>{SEVERITY[s]?.label ?? s}</Tag>,
            },
            {
              title: '启用',
              key: 'enabled',
              width: 70,
              render: (_, r) => {
                const enabled = shown.rules[r.id]?.enabled !== false
                return editing ? (
                  <Switch
                    size="small"
                    checked={enabled}
                    data-testid={`rule-switch-${r.id}`}
                    onChange={(on) =>
                      update((d) => {
                        ruleOf(d, r.id).enabled = on
                      })
                    }
                  />
                ) : (
                  <Tag color={enabled ? 'green' : 'default'}>{enabled ? '启用' : '停用'}</Tag>
                )
              },
            },
            {
              title: '参数（说明 · 默认值 → 现值）',
              key: 'params',
              render: (_, r) =>
                r.params.length === 0 ? (
                  <Typography.Text type="secondary">无参数</Typography.Text>
                ) : (
                  <Space orientation="vertical" size={6}>
                    {r.params.map((p) => (
                      <Space key={p.name} align="start" wrap>
                        <Tooltip title={p.name}>
                          <span style={{ display: 'inline-block', minWidth: 220, maxWidth: 360 }}>{p.description}</span>
                        </Tooltip>
                        <Typography.Text type="secondary">
                          默认 {typeof p.default === 'boolean' ? (p.default ? '是' : '否') : String(p.default)}
                          {p.unit && typeof p.default !== 'boolean' ? ` ${p.unit}` : ''} →
                        </Typography.Text>
                        <span>{paramInput(r, p)}</span>
                        {p.uncertain && <Tag color="gold">待确认</Tag>}
                      </Space>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>

      <Card
        title="有效培训时段（按地市、课程方式）"
        size="small"
        extra={
          editing && (
            <Space>
              <Select
                showSearch
                optionFilterProp="label"
                placeholder="为地市单独设置"
                style={{ width: 200 }}
                value={newCity}
                onChange={setNewCity}
                options={cityOptions}
              />
              <Button
                icon={<PlusOutlined />}
                disabled={!newCity}
                onClick={() => {
                  if (!newCity) return
                  update((d) => {
                    d.windows.byCity[newCity] = {}
                  })
                  setNewCity(undefined)
                }}
              >
                添加地市
              </Button>
            </Space>
          )
        }
      >
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={windowRows}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: '地区',
              dataIndex: 'label',
              width: 180,
              render: (label: string, row) => (
                <Space orientation="vertical" size={0}>
                  {label}
                  {editing && row.key !== 'default' && (
                    <Button
                      size="small"
                      type="link"
                      danger
                      style={{ padding: 0 }}
                      onClick={() =>
                        update((d) => {
                          delete d.windows.byCity[row.key]
                        })
                      }
                    >
                      改回全省默认
                    </Button>
                  )}
                  <FieldMessage error={row.key === 'default' ? null : errorAt(`/windows/byCity/${row.key}`)} />
                </Space>
              ),
            },
            ...MODES.map((mode) => ({
              title: MODE_LABELS[mode],
              key: mode,
              render: (_: unknown, row: (typeof windowRows)[number]) => {
                const list = row.windows[mode]
                const path = row.key === 'default' ? `/windows/default/${mode}` : `/windows/byCity/${row.key}/${mode}`
                if (!editing) return windowsText(list)
                if (list === undefined) {
                  return (
                    <Button
                      size="small"
                      type="dashed"
                      onClick={() =>
                        update((d) => {
                          const city = d.windows.byCity[row.key]
                          if (city) city[mode] = clone(d.windows.default[mode])
                        })
                      }
                    >
                      单独设置
                    </Button>
                  )
                }
                return windowsEditor(path, list, (next) =>
                  update((d) => {
                    if (row.key === 'default') d.windows.default[mode] = next
                    else {
                      const city = d.windows.byCity[row.key]
                      if (city) city[mode] = next
                    }
                  }),
                )
              },
            })),
          ]}
        />
      </Card>

      <Card title="版本历史" size="small">
        <Table<Version>
          size="small"
          rowKey="version"
          pagination={false}
          dataSource={versions.versions}
          data-testid="detection-versions"
          columns={[
            {
              title: '版本',
              dataIndex: 'version',
              render: (v: number, row) => (
                <Space>
                  v{v}
                  {v === versions.current.version && <Tag color="blue">生效中</Tag>}
                  {new Date(row.effectiveFrom).getTime() > Date.now() && <Tag color="purple">待生效</Tag>}
                </Space>
              ),
            },
            { title: '名称', render: (_, v) => v.body.name },
            { title: '生效时间', dataIndex: 'effectiveFrom', render: formatTime },
            { title: '发布时间', dataIndex: 'createdAt', render: formatTime },
            {
              title: '停用规则',
              render: (_, v) => {
                const off = Object.entries(v.body.rules ?? {})
                  .filter(([, r]) => r.enabled === false)
                  .map(([id]) => id)
                return off.length ? off.join('、') : '—'
              },
            },
            { title: '修订说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>

      <Modal
        title="发布检测政策新版本"
        open={publishing}
        onCancel={() => setPublishing(false)}
        onOk={publish}
        okText="发布"
        cancelText="取消"
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>生效时间（默认立即生效；不得早于最新版本 v{latest.version} 的生效时间）：</Typography.Text>
          <DatePicker
            showTime
            value={effectiveFrom}
            onChange={setEffectiveFrom}
            disabledDate={(d) => d.isBefore(dayjs(latest.effectiveFrom), 'day')}
            data-testid="detection-effective-from"
          />
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder="修订说明（依据的文件、会议纪要等）"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="detection-note"
          />
        </Space>
      </Modal>
    </Space>
  )
}
