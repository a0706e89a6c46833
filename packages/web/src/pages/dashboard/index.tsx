import {
  ApartmentOutlined,
  CarOutlined,
  ClusterOutlined,
  EnvironmentOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { Alert, Card, Col, Empty, Row, Segmented, Skeleton, Statistic } from 'antd'
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { EChart, type EChartsOption, echarts } from '../../components/EChart.tsx'
import { CLASS_LEVEL } from '../registry/entities.ts'

interface CityRow {
  code: string
  name: string
  institutions: number
  coaches: number
  vehicles: number
  students: number
}

export interface Summary {
  totals: {
    institutions: number
    fields: number
    coaches: number
    vehicles: number
    terminals: number
    students: number
    platforms: number
  }
  byCity: CityRow[]
  studentsByLicenseType: { licenseType: string; count: number }[]
  institutionsByClass: { classLevel: number; count: number }[]
  vehiclesInspectionDue: number
}

let mapRegistered: Promise<void> | undefined

/** Registers the Zhejiang city map once from the server's GeoJSON (no tile servers). */
function registerZhejiang(): Promise<void> {
  mapRegistered ??= request<Parameters<typeof echarts.registerMap>[1]>('/api/regions/geo').then((geo) => {
    echarts.registerMap('zhejiang', geo)
  })
  return mapRegistered
}

const CARDS: { key: keyof Summary['totals']; title: string; icon: ReactNode; color: string; to: string }[] = [
  {
    key: 'institutions',
    title: '驾培机构',
    icon: <ApartmentOutlined />,
    color: '#1677ff',
    to: '/registry/institutions',
  },
  { key: 'coaches', title: '教练员', icon: <UserOutlined />, color: '#13a8a8', to: '/registry/coaches' },
  { key: 'vehicles', title: '教练车', icon: <CarOutlined />, color: '#fa8c16', to: '/registry/vehicles' },
  { key: 'students', title: '学员', icon: <TeamOutlined />, color: '#722ed1', to: '/registry/students' },
  { key: 'terminals', title: '计时终端', icon: <ClusterOutlined />, color: '#52c41a', to: '/registry/terminals' },
  { key: 'fields', title: '教练场地', icon: <EnvironmentOutlined />, color: '#eb2f96', to: '/registry/fields' },
]

type MapMetric = 'students' | 'institutions'

function mapOption(rows: CityRow[], metric: MapMetric): EChartsOption {
  const values = rows.map((r) => r[metric])
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = (p as { data?: CityRow & { value: number } }).data
        const name = (p as { name: string }).name
        if (!d) return `${name}<br/>暂无数据`
        return [
          `<b>${d.name}</b>`,
          `驾培机构：${d.institutions.toLocaleString('zh-CN')} 所`,
          `教练员：${d.coaches.toLocaleString('zh-CN')} 人`,
          `教练车：${d.vehicles.toLocaleString('zh-CN')} 辆`,
          `学员：${d.students.toLocaleString('zh-CN')} 人`,
        ].join('<br/>')
      },
    },
    visualMap: {
      min: 0,
      max: Math.max(1, ...values),
      left: 10,
      bottom: 10,
      text: ['多', '少'],
      calculable: true,
      inRange: { color: ['#e6f4ff', '#69b1ff', '#0958d9'] },
    },
    series: [
      {
        name: metric === 'students' ? '学员' : '驾培机构',
        type: 'map',
        map: 'zhejiang',
        roam: true,
        label: { show: true, fontSize: 11 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#ffd666' } },
        data: rows.map((r) => ({ ...r, value: r[metric] })),
      },
    ],
  }
}

/**
 * A city has far fewer institutions than coaches and cars, and far more students: institutions get
 * their own grid on top, coaches and cars the left axis below and students the right one, all over
 * the same cities so one tooltip shows the four figures of a city.
 */
function barOption(rows: CityRow[]): EChartsOption {
  const names = rows.map((r) => r.name)
  const axisName = (name: string) => ({ name, nameLocation: 'middle' as const, nameGap: 52 })
  const units: Record<string, string> = { 驾培机构: '所', 教练员: '人', 教练车: '辆', 学员: '人' }
  const bar = (key: keyof CityRow, name: string, axis: { xAxisIndex: number; yAxisIndex: number }) => ({
    name,
    type: 'bar' as const,
    ...axis,
    data: rows.map((r) => r[key]),
  })
  type Point = { name: string; seriesName: string; seriesIndex: number; value: number; marker: string }
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      // One city, four figures with their units (the two grids would otherwise each repeat the city).
      formatter: (params: unknown) => {
        const points = ((Array.isArray(params) ? params : [params]) as Point[]).sort(
          (a, b) => a.seriesIndex - b.seriesIndex,
        )
        return [
          `<b>${points[0]?.name ?? ''}</b>`,
          ...points.map(
            (p) =>
              `${p.marker}${p.seriesName}：${Number(p.value).toLocaleString('zh-CN')} ${units[p.seriesName] ?? ''}`,
          ),
        ].join('<br/>')
      },
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    legend: { top: 0 },
    grid: [
      { left: 72, right: 72, top: 44, height: '20%' },
      { left: 72, right: 72, top: '40%', bottom: 30 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: names, axisLabel: { show: false }, axisTick: { show: false } },
      { type: 'category', gridIndex: 1, data: names, axisLabel: { interval: 0 } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, minInterval: 1, splitNumber: 2, ...axisName('驾培机构（所）') },
      { type: 'value', gridIndex: 1, ...axisName('教练员（人）/ 教练车（辆）') },
      { type: 'value', gridIndex: 1, splitLine: { show: false }, ...axisName('学员（人）') },
    ],
    series: [
      {
        ...bar('institutions', '驾培机构', { xAxisIndex: 0, yAxisIndex: 0 }),
        label: { show: true, position: 'top', fontSize: 11 },
      },
      bar('coaches', '教练员', { xAxisIndex: 1, yAxisIndex: 1 }),
      bar('vehicles', '教练车', { xAxisIndex: 1, yAxisIndex: 1 }),
      bar('students', '学员', { xAxisIndex: 1, yAxisIndex: 2 }),
    ],
  }
}

function pieOption(name: string, unit: string, data: { name: string; value: number }[]): EChartsOption {
  const total = data.reduce((sum, d) => sum + d.value, 0)
  return {
    tooltip: { trigger: 'item', formatter: `{b}：{c} ${unit}（{d}%）` },
    legend: {
      type: 'scroll',
      orient: 'vertical',
      right: 8,
      top: 'middle',
      formatter: (n: string) => {
        const v = data.find((d) => d.name === n)?.value ?? 0
        return `${n}  ${v.toLocaleString('zh-CN')} ${unit}  ${total ? ((v * 100) / total).toFixed(1) : '0'}%`
      },
    },
    series: [
      {
        name,
        type: 'pie',
        radius: ['38%', '70%'],
        center: ['32%', '50%'],
        minShowLabelAngle: 15,
        label: { position: 'inside', formatter: '{b}', color: '#fff', fontWeight: 600 },
        data,
      },
    ],
  }
}

export default function DashboardPage() {
  const { me } = useAuth()
  const [summary, setSummary] = useState<Summary | null>(null)
  const [failed, setFailed] = useState(false)
  const [mapReady, setMapReady] = useState(false)
  const [metric, setMetric] = useState<MapMetric>('students')

  useEffect(() => {
    request<Summary>('/api/dashboard/summary')
      .then(setSummary)
      .catch(() => setFailed(true))
    registerZhejiang()
      .then(() => setMapReady(true))
      .catch(() => {})
  }, [])

  const map = useMemo(() => (summary ? mapOption(summary.byCity, metric) : null), [summary, metric])
  const bar = useMemo(() => (summary ? barOption(summary.byCity) : null), [summary])
  const licensePie = useMemo(
    () =>
      summary
        ? pieOption(
            '学员',
            '人',
            summary.studentsByLicenseType.map((r) => ({ name: r.licenseType, value: r.count })),
          )
        : null,
    [summary],
  )
  const classPie = useMemo(
    () =>
      summary
        ? pieOption(
            '驾培机构',
            '所',
            summary.institutionsByClass.map((r) => ({
              name: CLASS_LEVEL.find((c) => c.value === r.classLevel)?.label ?? `${r.classLevel}级`,
              value: r.count,
            })),
          )
        : null,
    [summary],
  )

  if (failed) return <Alert type="error" showIcon title="监管概览数据加载失败，请刷新重试" />
  if (!summary) return <Skeleton active paragraph={{ rows: 12 }} />

  return (
    <div data-testid="dashboard">
      <Row gutter={[16, 16]}>
        {CARDS.map((c) => (
          <Col xs={12} md={8} xl={4} key={c.key}>
            <Link to={c.to}>
              <Card hoverable size="small" data-testid={`total-${c.key}`}>
                <Statistic
                  title={c.title}
                  value={summary.totals[c.key]}
                  prefix={<span style={{ color: c.color }}>{c.icon}</span>}
                  valueStyle={{ fontWeight: 600 }}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={10}>
          <Card
            title={`${me?.user.regionName ?? '浙江省'}各地市分布`}
            extra={
              <Segmented<MapMetric>
                size="small"
                value={metric}
                onChange={setMetric}
                options={[
                  { value: 'students', label: '按学员' },
                  { value: 'institutions', label: '按机构' },
                ]}
              />
            }
          >
            {mapReady && map ? (
              <EChart option={map} style={{ height: 440 }} testId="province-map" />
            ) : (
              <Skeleton active />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title="各地市驾培机构、教练员、教练车与学员">
            {bar && summary.byCity.length > 0 ? (
              <EChart option={bar} style={{ height: 440 }} testId="city-bars" />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} md={8}>
          <Card title="学员培训车型构成">
            {licensePie && summary.studentsByLicenseType.length > 0 ? (
              <EChart option={licensePie} style={{ height: 300 }} />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card title="驾培机构等级构成">
            {classPie && summary.institutionsByClass.length > 0 ? (
              <EChart option={classPie} style={{ height: 300 }} />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card title="其他">
            <Row gutter={[16, 24]}>
              <Col span={12}>
                <Link to="/registry/platforms">
                  <Statistic title="计时平台" value={summary.totals.platforms} suffix="家" />
                </Link>
              </Col>
              <Col span={12}>
                <Statistic
                  title="年审到期 / 逾期教练车"
                  value={summary.vehiclesInspectionDue}
                  suffix="辆"
                  valueStyle={{ color: summary.vehiclesInspectionDue > 0 ? '#cf1322' : undefined }}
                />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  )
}
