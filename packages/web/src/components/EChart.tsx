/**
 * ECharts through the tree-shaken `echarts/core`: only the charts and components registered here
 * end up in the bundle.
 */
import { BarChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts'
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'
import * as echarts from 'echarts/core'
import { LabelLayout } from 'echarts/features'
import { CanvasRenderer } from 'echarts/renderers'
import { type CSSProperties, useEffect, useRef } from 'react'

echarts.use([
  BarChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  LabelLayout,
  CanvasRenderer,
])

export { echarts }
export type EChartsOption = Parameters<echarts.EChartsType['setOption']>[0]

interface Props {
  option: EChartsOption
  style?: CSSProperties
  /** data-testid of the chart container (browser tests wait for the canvas). */
  testId?: string
}

export function EChart({ option, style, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.EChartsType | null>(null)

  useEffect(() => {
    if (!ref.current) return
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas', locale: 'ZH' })
    chart.current = instance
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(ref.current)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true })
  }, [option])

  return <div ref={ref} data-testid={testId} style={{ width: '100%', height: 360, ...style }} />
}
