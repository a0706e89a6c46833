import { Button, Card, Input, Select, Space } from 'antd'
import { useState } from 'react'
import { type ApiError, request } from '../../api.ts'
import { type Explained, FrameExplanation, PROTOCOLS } from '../../components/FrameExplanation.tsx'

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

      <FrameExplanation result={result} requestError={requestError} />
    </Space>
  )
}
