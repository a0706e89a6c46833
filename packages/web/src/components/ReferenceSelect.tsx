import { Select } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { type Page, request } from '../api.ts'
import type { Reference } from '../pages/registry/entities.ts'

interface Props {
  id?: string
  reference: Reference
  value?: number | null
  onChange?: (value: number | null) => void
  /** Extra list filters, e.g. { institutionId: 12 }. */
  filter?: Record<string, string | number | undefined>
  /** Ids never offered (e.g. the institution a student is transferred from). */
  exclude?: readonly number[]
  /** Label of the current value when it is not among the loaded candidates. */
  initialLabel?: string
  placeholder?: string
  style?: React.CSSProperties
  disabled?: boolean
}

/** Searchable select over another registry entity (server-side search with `q`). */
export function ReferenceSelect({
  id,
  reference,
  value,
  onChange,
  filter,
  exclude,
  initialLabel,
  placeholder,
  style,
  disabled,
}: Props) {
  const [options, setOptions] = useState<{ value: number; label: string }[]>([])
  const [loading, setLoading] = useState(false)
  const [q, setQ] = useState('')
  const seq = useRef(0)
  const filterKey = JSON.stringify(filter ?? {})

  useEffect(() => {
    const mine = ++seq.current
    const timer = setTimeout(() => {
      setLoading(true)
      request<Page<Record<string, unknown>>>(`/api/registry/${reference.entity}`, {
        query: { page: 1, pageSize: 30, q, ...JSON.parse(filterKey) },
      })
        .then((page) => {
          if (mine === seq.current)
            setOptions(page.items.map((i) => ({ value: Number(i.id), label: reference.label(i) })))
        })
        .catch(() => {})
        .finally(() => mine === seq.current && setLoading(false))
    }, 250)
    return () => clearTimeout(timer)
  }, [reference, q, filterKey])

  const offered = exclude?.length ? options.filter((o) => !exclude.includes(o.value)) : options
  const withCurrent =
    value != null && initialLabel && !offered.some((o) => o.value === value)
      ? [{ value, label: initialLabel }, ...offered]
      : offered

  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={withCurrent}
      loading={loading}
      placeholder={placeholder ?? '输入关键字搜索'}
      style={style}
      disabled={disabled}
      notFoundContent={loading ? '加载中…' : '无匹配项'}
    />
  )
}
