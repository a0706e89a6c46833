import { Alert, Skeleton } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { request } from '../../api.ts'
import { echarts } from '../../components/EChart.tsx'
import { type LivePoint, STATE_COLOR, STATE_LABEL } from './types.ts'

const MAP = 'zhejiang'
let registering: Promise<void> | undefined

/** The Zhejiang city boundaries from the server (no tile servers), registered once. */
function registerMap(): Promise<void> {
  if (echarts.getMap(MAP)) return Promise.resolve()
  registering ??= request<Parameters<typeof echarts.registerMap>[1]>('/api/regions/geo')
    .then((geo) => echarts.registerMap(MAP, geo))
    .catch((error) => {
      registering = undefined
      throw error
    })
  return registering
}

/** Centre and zoom that frame the points (the whole province when they are spread over it). */
function frame(points: LivePoint[]): { center?: [number, number]; zoom: number } {
  if (points.length === 0) return { zoom: 1.1 }
  const lngs = points.map((p) => p.lng)
  const lats = points.map((p) => p.lat)
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)]
  // Zhejiang is about 4.5° across; leave a margin around the points, and never zoom in closer than
  // about a city (over a degree across) so that a lone terminal still shows where it is.
  const span = Math.max(maxLng - minLng, maxLat - minLat, 1.2)
  const zoom = Math.min(2.5, Math.max(1.1, 3 / span))
  return { center: [(minLng + maxLng) / 2, (minLat + maxLat) / 2], zoom }
}

interface Props {
  points: LivePoint[]
  selected: number | null
  onSelect: (terminalId: number) => void
}

/**
 * Terminal positions over the city map, coloured by state. The view (pan and zoom) is fitted to
 * the points once and then left to the user: refreshes replace the points only.
 */
export function LiveMap({ points, selected, onSelect }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.EChartsType | null>(null)
  const framed = useRef(false)
  const select = useRef(onSelect)
  select.current = onSelect
  const [ready, setReady] = useState(Boolean(echarts.getMap(MAP)))
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    registerMap()
      .then(() => setReady(true))
      .catch(() => setFailed(true))
  }, [])

  useEffect(() => {
    if (!ready || !ref.current) return
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas', locale: 'ZH' })
    chart.current = instance
    instance.on('click', (params) => {
      const id = (params.data as { terminalId?: number } | undefined)?.terminalId
      if (typeof id === 'number') select.current(id)
    })
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(ref.current)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
      framed.current = false
    }
  }, [ready])

  useEffect(() => {
    // Runs again once the chart exists (`ready`), to draw the points it missed.
    void ready
    const instance = chart.current
    if (!instance) return
    const view = framed.current || points.length === 0 ? {} : frame(points)
    if (points.length > 0) framed.current = true
    const series = (['training', 'idle'] as const).map((state) => ({
      id: state,
      name: STATE_LABEL[state],
      type: 'scatter' as const,
      coordinateSystem: 'geo',
      symbolSize: 10,
      z: state === 'training' ? 3 : 2,
      itemStyle: { color: STATE_COLOR[state], borderColor: '#fff', borderWidth: 1 },
      emphasis: { scale: 1.6 },
      data: points
        .filter((p) => p.state === state)
        .map((p) => ({
          name: p.plate ?? String(p.terminalId),
          value: [p.lng, p.lat],
          terminalId: p.terminalId,
          ...(p.terminalId === selected
            ? { symbolSize: 18, itemStyle: { borderColor: '#f5222d', borderWidth: 3 } }
            : {}),
        })),
    }))
    instance.setOption(
      {
        animation: false,
        tooltip: {
          trigger: 'item',
          formatter: (p: unknown) => {
            const { name, seriesName } = p as { name: string; seriesName: string }
            return `${name}<br/>${seriesName}`
          },
        },
        geo: {
          map: MAP,
          roam: true,
          ...view,
          label: { show: true, fontSize: 11, color: '#8c8c8c' },
          itemStyle: { areaColor: '#f0f5ff', borderColor: '#adc6ff' },
          emphasis: { disabled: true },
        },
        series,
      },
      { replaceMerge: ['series'] },
    )
  }, [points, selected, ready])

  if (failed) return <Alert type="warning" showIcon title="地图边界加载失败，请刷新重试" />
  if (!ready) return <Skeleton active />
  return <div ref={ref} data-testid="live-map" style={{ width: '100%', height: 460 }} />
}
