import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Typography } from 'antd'
import { useState } from 'react'
import { type ApiError, request } from '../../api.ts'

/**
 * A 驾培 0x0200 位置信息汇报 (手机号 0000013800138000, 流水号 1, 30.274085°N 120.155070°E, 40.0 km/h,
 * items 里程/油量/海拔/转速), made with the codec:
 *   encodeFrame({ msgId: 0x0200, version: 'jiapei', phone: '0000013800138000', serial: 1 },
 *     { alarm: 0, status: 3, lat: 30274085, lng: 120155070, recorderSpeed: 400, gnssSpeed: 394, heading: 90,
 *       timeLocal: '240501083000', items: [{ id: 1, value: 7777 }, { id: 2, value: 400 }, { id: 3, value: 32 },
 *       { id: 5, value: 2200 }] })
 * printed with toSpacedHex (@jiapei/jt808).
 */
export const EXAMPLE_FRAME =
  '7E 80 02 00 00 2E 00 00 01 38 00 13 80 00 00 01 00 00 00 00 00 00 00 00 03 01 CD F2 25 07 29 6B BE 01 90 01 8A 00 5A 24 05 01 08 30 00 01 04 00 00 1E 61 02 02 01 90 03 02 00 20 05 02 08 98 E1 7E'

/** The codec's ProtocolVersion values; empty means detect from the header. */
const PROTOCOLS = [
  { value: '', label: '自动识别' },
  { value: 'jiapei', label: '驾培 (0x80 版本头)' },
  { value: '2011', label: 'JT/T 808-2011' },
  { value: '2013', label: 'JT/T 808-2013' },
  { value: '2019', label: 'JT/T 808-2019' },
]

const VERSION_LABELS: Record<string, string> = Object.fromEntries(PROTOCOLS.map((p) => [p.value, p.label]))

interface ExplainNode {
  key: string
  name: string
  type: string
  offset: number
  length: number
  hex: string
  value: unknown
  text?: string
  children?: ExplainNode[]
}

interface Header {
  msgId: number
  msgIdHex?: string
  version: string
  phone: string
  serial: number
  subpackage?: { total: number; index: number }
}

interface Explained {
  ok: boolean
  decoded?: { header: Header; specName: string | null }
  explanation?: { header?: Header; specName?: string; nodes: ExplainNode[] }
  text?: string
  code?: string
  message?: string
  offset?: number
}

interface Row extends Omit<ExplainNode, 'children'> {
  id: string
  children?: Row[]
}

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0').toUpperCase()}`
const spaced = (hex: string) => (hex.match(/../g) ?? []).join(' ').toUpperCase()

function rows(nodes: ExplainNode[], prefix = ''): Row[] {
  return nodes.map((n, i) => {
    const id = `${prefix}${i}-${n.key}`
    const { children, ...rest } = n
    return { ...rest, id, ...(children?.length ? { children: rows(children, `${id}/`) } : {}) }
  })
}

function reading(n: Row): string {
  if (n.text !== undefined) return n.text
  if (typeof n.value === 'string') return JSON.stringify(n.value)
  if (typeof n.value === 'number' || typeof n.value === 'boolean') return String(n.value)
  return ''
}

/** 报文解析: paste a JT/T 808 frame in hex and read it field by field. */
export default function ExplainPage() {
  const [hex, setHex] = useState('')
  const [protocol, setProtocol] = useState('')
  const [loading, setLoading] = useState(false)
  const [result, setResult] = useState<Explained | null>(null)
  const [requestError, setRequestError] = useState<ApiError | null>(null)

  async function run() {
    setLoading(true)
    setRequestError(null)
    try {
      const out = await request<Explained>('/api/frames/explain', {
        method: 'POST',
        body: { hex, ...(protocol ? { protocol } : {}) },
        onError: (error) => {
          if (error.status !== 400) return false
          setRequestError(error)
          return true
        },
      })
      setResult(out)
    } catch {
      setResult(null)
    } finally {
      setLoading(false)
    }
  }

  const header = result?.decoded?.header ?? result?.explanation?.header
  const specName = result?.decoded?.specName ?? result?.explanation?.specName
  const tree = rows(result?.explanation?.nodes ?? [])

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="frame-explain">
      <Card title="报文解析">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            data-testid="frame-hex"
            value={hex}
            onChange={(e) => setHex(e.target.value)}
            placeholder="粘贴十六进制报文，可含空格，首尾 7E 可有可无，例如 7E 80 00 02 …"
            autoSize={{ minRows: 4, maxRows: 12 }}
            style={{ fontFamily: 'monospace' }}
            maxLength={20_000}
          />
          <Space wrap>
            <Select
              data-testid="frame-protocol"
              value={protocol}
              onChange={setProtocol}
              options={PROTOCOLS}
              style={{ width: 200 }}
            />
            <Button type="primary" onClick={run} loading={loading} disabled={!hex.trim()}>
              解析
            </Button>
            <Button onClick={() => setHex(EXAMPLE_FRAME)}>示例</Button>
            <Button
              onClick={() => {
                setHex('')
                setResult(null)
                setRequestError(null)
              }}
            >
              清空
            </Button>
          </Space>
        </Space>
      </Card>

      {requestError && <Alert type="error" showIcon title={requestError.code} description={requestError.message} />}
      {result && !result.ok && (
        <Alert
          data-testid="frame-error"
          type="error"
          showIcon
          title={`${result.code ?? '解析失败'}（偏移 ${result.offset ?? '-'}）`}
          description={result.message}
        />
      )}

      {header && (
        <Card title="消息头" data-testid="frame-header">
          <Descriptions column={{ xs: 1, md: 3 }} size="small">
            <Descriptions.Item label="消息ID">
              <Typography.Text code data-testid="frame-msg-id">
                {hex4(header.msgId)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="名称">{specName ?? '未注册消息'}</Descriptions.Item>
            <Descriptions.Item label="版本">{VERSION_LABELS[header.version] ?? header.version}</Descriptions.Item>
            <Descriptions.Item label="终端手机号">{header.phone}</Descriptions.Item>
            <Descriptions.Item label="流水号">{header.serial}</Descriptions.Item>
            <Descriptions.Item label="分包">
              {header.subpackage ? `第 ${header.subpackage.index} / ${header.subpackage.total} 包` : '不分包'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}

      {tree.length > 0 && (
        <Card title="逐字段解释">
          <Table<Row>
            data-testid="frame-fields"
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={tree}
            expandable={{ defaultExpandAllRows: true }}
            columns={[
              { title: '字段', dataIndex: 'name', render: (v: string, r) => `${v} [${r.type}]` },
              { title: '偏移', dataIndex: 'offset', width: 70, align: 'right' },
              { title: '长度', dataIndex: 'length', width: 70, align: 'right' },
              {
                title: '十六进制',
                dataIndex: 'hex',
                render: (v: string) => (
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {spaced(v.length > 96 ? `${v.slice(0, 96)}` : v)}
                    {v.length > 96 ? ' …' : ''}
                  </Typography.Text>
                ),
              },
              { title: '值', key: 'value', render: (_, r) => reading(r) },
            ]}
          />
        </Card>
      )}

      {result?.text && (
        <Card title="文本">
          <pre data-testid="frame-text" style={{ fontFamily: 'monospace', fontSize: 12, overflowX: 'auto', margin: 0 }}>
            {result.text}
          </pre>
        </Card>
      )}
    </Space>
  )
}
