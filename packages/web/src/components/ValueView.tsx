import { Tag } from 'antd'
import dayjs from 'dayjs'
import type { ReactNode } from 'react'
import type { Display } from '../pages/registry/entities.ts'
import { formatPlate } from '../validation.ts'

const EMPTY = <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>

export function formatNumber(n: number, digits = 0): string {
  return n.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

/** Renders one registry value the way lists and details show it. */
export function renderValue(
  value: unknown,
  display: Display = { kind: 'text' },
  row?: Record<string, unknown>,
): ReactNode {
  if (display.kind === 'place') return [row?.cityName, row?.countyName].filter(Boolean).join(' ') || EMPTY
  if (value === null || value === undefined || value === '') return EMPTY
  switch (display.kind) {
    case 'enum': {
      const option = display.options.find((o) => String(o.value) === String(value))
      if (!option) return String(value)
      return option.color ? <Tag color={option.color}>{option.label}</Tag> : option.label
    }
    case 'date':
      return dayjs(String(value)).format('YYYY-MM-DD')
    case 'datetime':
      return dayjs(String(value)).format('YYYY-MM-DD HH:mm:ss')
    case 'plate':
      return formatPlate(String(value))
    case 'money':
      return `¥${formatNumber(Number(value) / 100, 2)}`
    case 'area':
      return `${formatNumber(Number(value))} m²`
    case 'tags':
      return Array.isArray(value) && value.length > 0 ? value.map((v) => <Tag key={String(v)}>{String(v)}</Tag>) : EMPTY
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
}
