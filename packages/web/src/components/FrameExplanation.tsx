/**
 * How the server's frame explanation (`POST /api/frames/explain`) is shown: the message header,
 * the field-by-field tree and the codec's text. Used by 报文解析 and by the raw frames of a replay.
 */
import { Alert, Card, Descriptions, Table, Typography } from 'antd'
import type { ApiError } from '../api.ts'

/** The codec's ProtocolVersion values; empty means detect from the header. */
export const PROTOCOLS = [
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

export interface Explained {
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

/** The explanation of one frame (or the request's own error). */
export function FrameExplanation({
  result,
  requestError,
}: {
  result: Explained | null
  requestError?: ApiError | null
}) {
  const header = result?.decoded?.header ?? result?.explanation?.header
  const specName = result?.decoded?.specName ?? result?.explanation?.specName
  const tree = rows(result?.explanation?.nodes ?? [])
  return (
    <>
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
    </>
  )
}
