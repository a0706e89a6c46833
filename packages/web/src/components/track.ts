/**
 * What the track charts share (课堂回放 and the finding page): axes fitted to the track at one
 * scale in metres on both axes, the tooltip of a fix, the start/end markers, and the width of the
 * chart's box (the fit needs it).
 */
import { type RefObject, useEffect, useState } from 'react'
import { formatTime } from '../pages/training/types.ts'
import type { EChartsOption } from './EChart.tsx'

export const TRACK_GRID = { left: 80, right: 30, top: 40, bottom: 40 }
const M_PER_DEG_LAT = 110_540
const M_PER_DEG_LNG_EQUATOR = 111_320

/**
 * Axis ranges that fit the points themselves with a margin, at one scale in metres on both axes
 * (so a track keeps its shape), whatever else is drawn around it.
 */
export function trackExtent(
  points: readonly { lng: number; lat: number }[],
  plot: { width: number; height: number },
): { lng: [number, number]; lat: [number, number]; digits: number } {
  const lngs = points.map((p) => p.lng)
  const lats = points.map((p) => p.lat)
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)]
  const midLng = (minLng + maxLng) / 2
  const midLat = (minLat + maxLat) / 2
  const mPerDegLng = M_PER_DEG_LNG_EQUATOR * Math.cos((midLat * Math.PI) / 180)
  const width = Math.max(plot.width, 100)
  const height = Math.max(plot.height, 100)
  // Metres per pixel: the larger need of the two axes, 15 % margin on each side, at least 40 m across.
  const perPixel = Math.max(
    ((maxLng - minLng) * mPerDegLng * 1.3) / width,
    ((maxLat - minLat) * M_PER_DEG_LAT * 1.3) / height,
    40 / Math.min(width, height),
  )
  const halfLng = (perPixel * width) / 2 / mPerDegLng
  const halfLat = (perPixel * height) / 2 / M_PER_DEG_LAT
  // Enough decimals that neighbouring ticks (about five per axis) read differently.
  const digits = Math.min(6, Math.max(3, Math.ceil(-Math.log10((2 * halfLat) / 5)) + 1))
  return { lng: [midLng - halfLng, midLng + halfLng], lat: [midLat - halfLat, midLat + halfLat], digits }
}

/** The lng/lat value axes of a chart `height` px high in a box `width` px wide, fitted to the points. */
export function trackAxes(
  points: readonly { lng: number; lat: number }[],
  width: number,
  height: number,
): Pick<EChartsOption, 'xAxis' | 'yAxis'> {
  const extent = trackExtent(points, {
    width: width - TRACK_GRID.left - TRACK_GRID.right,
    height: height - TRACK_GRID.top - TRACK_GRID.bottom,
  })
  const axisLabel = {
    formatter: (v: number) => v.toFixed(extent.digits),
    hideOverlap: true,
    showMinLabel: false,
    showMaxLabel: false,
  }
  return {
    xAxis: { type: 'value', name: '经度', min: extent.lng[0], max: extent.lng[1], splitNumber: 5, axisLabel },
    yAxis: { type: 'value', name: '纬度', min: extent.lat[0], max: extent.lat[1], splitNumber: 5, axisLabel },
  }
}

/** Tooltip of a point whose value is [lng, lat, time, speed km/h]. */
export const trackTooltip: EChartsOption['tooltip'] = {
  trigger: 'item',
  formatter: (p: unknown) => {
    const v = (p as { value?: unknown[] }).value
    if (!Array.isArray(v)) return ''
    return `${formatTime(String(v[2] ?? ''))}<br/>${Number(v[0]).toFixed(6)}, ${Number(v[1]).toFixed(6)}${
      v[3] != null ? `<br/>${v[3]} km/h` : ''
    }`
  },
}

/** 起点/终点 markers of a line of [lng, lat, …] values. */
export function startEndMarkers(line: readonly unknown[][], endColor: string, symbolSize: number) {
  const first = line[0]
  const last = line[line.length - 1]
  return {
    type: 'scatter' as const,
    name: '起止',
    z: 4,
    symbolSize,
    label: { show: true, position: 'top' as const, formatter: (p: unknown) => (p as { name: string }).name },
    data: [
      ...(first ? [{ name: '起点', value: first, itemStyle: { color: '#52c41a' } }] : []),
      ...(last && line.length > 1 ? [{ name: '终点', value: last, itemStyle: { color: endColor } }] : []),
    ],
  }
}

/** Width of the element in pixels (0 until measured), followed while `enabled`. */
export function useElementWidth(ref: RefObject<HTMLElement | null>, enabled: boolean): number {
  const [width, setWidth] = useState(0)
  useEffect(() => {
    if (!enabled || !ref.current) return
    const observer = new ResizeObserver((entries) => setWidth(Math.round(entries[0]?.contentRect.width ?? 0)))
    observer.observe(ref.current)
    return () => observer.disconnect()
  }, [enabled, ref])
  return width
}
