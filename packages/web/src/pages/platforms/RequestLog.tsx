import { Card, Col, Empty, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { request } from '../../api.ts'
import { EChart, type EChartsOption } from '../../components/EChart.tsx'
import { formatTime } from '../training/types.ts'
import type { ErrorcodeMeaning, RequestLog, RequestLogItem } from './types.ts'

/** The platform's calls to the exchange interface: counts per errorcode, and the paged log filtered by one. */
export function RequestLogCard({ platformId }: { platformId: number }) {
  const [errorcode, setErrorcode] = useState<number | undefined>(undefined)
  const [page, setPage] = useState({ page: 1, pageSize: 20 })
  const [data, setData] = useState<RequestLog | null>(null)
  const [loading, setLoading] = useState(false)
  const [meanings, setMeanings] = useState<Map<number, ErrorcodeMeaning>>(new Map())

  useEffect(() => {
    let live = true
    request<{ items: ErrorcodeMeaning[] }>('/api/exchange/errorcodes')
      .then((r) => live && setMeanings(new Map(r.items.map((m) => [m.errorcode, m]))))
      .catch(() => {})
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    let live = true
    setLoading(true)
    request<RequestLog>(`/api/timing-platforms/${platformId}/exchange-requests`, { query: { ...page, errorcode } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [platformId, page, errorcode])

  const meaningOf = (code: number) => meanings.get(code)?.meaning ?? '未说明的错误码'
  const counts = data?.counts ?? []
  const all = counts.reduce((s, c) => s + c.count, 0)
  const refused = counts.filter((c) => c.errorcode !== 0).reduce((s, c) => s + c.count, 0)

  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const p = (params as { name: string; value: number }[])[0]
          return p ? `errorcode ${p.name}：${p.value} 次<br/>${meanings.get(Number(p.name))?.meaning ?? ''}` : ''
        },
      },
      xAxis: { type: 'category', data: counts.map((c) => String(c.errorcode)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 36,
          data: counts.map((c) => ({
            value: c.count,
            itemStyle: { color: c.errorcode === 0 ? '#52c41a' : '#ff4d4f' },
          })),
          label: { show: true, position: 'top' },
        },
      ],
    }),
    [counts, meanings],
  )

  return (
    <Card
      title={
        <Space>
          接口调用记录
          {data && (
            <Typography.Text type="secondary">
              共 {all} 次，被拒 {refused} 次
            </Typography.Text>
          )}
        </Space>
      }
      data-testid="request-log"
    >
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Typography.Text strong>各错误码次数</Typography.Text>
          {counts.length > 0 ? (
            <EChart option={option} style={{ height: 260 }} testId="errorcode-chart" />
          ) : (
            <Empty description="该平台尚未调用对接接口" />
          )}
        </Col>
        <Col xs={24} lg={16}>
          <Space wrap style={{ marginBottom: 12 }}>
            <Select<number>
              data-testid="errorcode-filter"
              allowClear
              placeholder="按错误码筛选"
              style={{ width: 360 }}
              value={errorcode}
              onChange={(v) => {
                setErrorcode(v)
                setPage((p) => ({ ...p, page: 1 }))
              }}
              options={counts.map((c) => ({
                value: c.errorcode,
                label: `${c.errorcode} ${meaningOf(c.errorcode).split('：')[0]}（${c.count} 次）`,
              }))}
            />
          </Space>
          <Table<RequestLogItem>
            size="small"
            rowKey="id"
            loading={loading}
            dataSource={data?.items ?? []}
            tableLayout="auto"
            locale={{
              emptyText: (
                <Empty
                  description={
                    errorcode === undefined ? '暂无调用记录' : `没有 errorcode ${errorcode} 的调用，清除筛选查看全部`
                  }
                />
              ),
            }}
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (t) => `共 ${t} 条`,
              onChange: (p, size) => setPage({ page: size === page.pageSize ? p : 1, pageSize: size }),
            }}
            columns={[
              { title: '时间', dataIndex: 'receivedAt', render: formatTime, width: 170 },
              {
                title: '服务',
                dataIndex: 'service',
                width: 150,
                render: (v: string) => (
                  <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                    {v}
                  </Typography.Text>
                ),
              },
              { title: '方法', dataIndex: 'method', width: 64 },
              {
                title: '错误码及含义',
                key: 'errorcode',
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    <Space size={4}>
                      <Tag color={r.errorcode === 0 ? 'green' : 'red'}>{r.errorcode}</Tag>
                      <span>{meaningOf(r.errorcode)}</span>
                    </Space>
                    {r.errorcode !== 0 && r.message && (
                      <Tooltip title={r.errorCode ?? undefined}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {r.message}
                        </Typography.Text>
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
              { title: '证书（user）', dataIndex: 'certSn', render: (v: string | null) => v ?? '—' },
              {
                title: '请求编号',
                dataIndex: 'id',
                render: (v: number) => <Typography.Text copyable>{v}</Typography.Text>,
              },
            ]}
          />
        </Col>
      </Row>
    </Card>
  )
}
