import { Empty } from 'antd'
import { useMemo } from 'react'
import { EChart, type EChartsOption, echarts } from '../../components/EChart.tsx'
import { formatNumber } from '../../components/ValueView.tsx'
import { FIELD_KIND } from '../registry/entities.ts'

export interface TrainingField {
  id: number
  name: string
  kind: string
  address: string | null
  polygon: { type: 'Polygon'; coordinates: number[][][] } | null
  areaM2: number | null
  status: string
}

export const KIND_COLOR: Record<string, string> = { site: '#95de64', classroom: '#69b1ff', road: '#ffc069' }

/**
 * The training fields of one institution drawn from their GeoJSON polygons (WGS-84) as an
 * ECharts map of their own; no map tiles are needed.
 */
export function FieldMap({ institutionId, fields }: { institutionId: number; fields: TrainingField[] }) {
  const withShape = useMemo(() => fields.filter((f) => f.polygon?.type === 'Polygon'), [fields])
  const mapName = `institution-fields-${institutionId}-${withShape.map((f) => f.id).join('-')}`

  const option = useMemo<EChartsOption | null>(() => {
    if (withShape.length === 0) return null
    echarts.registerMap(mapName, {
      type: 'FeatureCollection',
      features: withShape.map((f) => ({
        type: 'Feature',
        properties: { name: String(f.id) },
        geometry: f.polygon,
      })),
      // biome-ignore lint/suspicious/noExplicitAny: GeoJSON typing of registerMap is loose
    } as any)
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const d = (p as { data?: { field: TrainingField } }).data?.field
          if (!d) return ''
          const kind = FIELD_KIND.find((k) => k.value === d.kind)?.label ?? d.kind
          const area = d.areaM2 != null ? `${formatNumber(d.areaM2)} m²` : '—'
          return `<b>${d.name}</b><br/>类型：${kind}<br/>面积：${area}${d.address ? `<br/>地址：${d.address}` : ''}`
        },
      },
      series: [
        {
          type: 'map',
          map: mapName,
          roam: true,
          aspectScale: Math.cos(((withShape[0]?.polygon?.coordinates[0]?.[0]?.[1] ?? 30) * Math.PI) / 180),
          layoutCenter: ['50%', '50%'],
          layoutSize: '90%',
          label: {
            show: true,
            formatter: (p: unknown) => {
              const d = (p as { data?: { field: TrainingField } }).data?.field
              return d ? `${d.name}\n${d.areaM2 != null ? `${formatNumber(d.areaM2)} m²` : ''}` : ''
            },
            fontSize: 12,
            color: '#1f1f1f',
          },
          itemStyle: { borderColor: '#389e0d', borderWidth: 1.5 },
          emphasis: { itemStyle: { areaColor: '#ffd666' }, label: { show: true } },
          data: withShape.map((f) => ({
            name: String(f.id),
            field: f,
            itemStyle: { areaColor: KIND_COLOR[f.kind] ?? '#95de64' },
          })),
        },
      ],
    }
  }, [mapName, withShape])

  if (!option) return <Empty description="该机构的教练场地未登记范围（GeoJSON）" />
  return <EChart option={option} style={{ height: 380 }} testId="field-map" />
}
