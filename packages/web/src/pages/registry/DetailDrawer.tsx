import { Descriptions, Drawer, Skeleton } from 'antd'
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'
import { renderValue } from '../../components/ValueView.tsx'
import type { EntityDef } from './entities.ts'

type Item = Record<string, unknown>

interface Props {
  def: EntityDef
  id: number | null
  onClose(): void
  extra?: (item: Item) => React.ReactNode
  /** Changing it reads the row again (after an action changed it). */
  version?: number
}

/** Detail of one row, read with GET by id (personal data unmasked only with personal:read). */
export function DetailDrawer({ def, id, onClose, extra, version = 0 }: Props) {
  const [item, setItem] = useState<Item | null>(null)
  useEffect(() => {
    void version
    setItem(null)
    if (id === null) return
    request<Item>(`/api/registry/${def.key}/${id}`)
      .then(setItem)
      .catch(() => onClose())
  }, [def, id, onClose, version])

  const items = item
    ? [
        ...def.fields
          .filter((f) => f.input !== 'region' && f.input !== 'geojson')
          .map((f) => {
            const nameKey = f.input === 'reference' ? `${f.name.replace(/Id$/, '')}Name` : f.name
            const value = f.input === 'reference' ? (item[nameKey] ?? item[f.name]) : item[f.name]
            return { key: f.name, label: f.label, children: renderValue(value, f.display) }
          }),
        ...def.extraDetails
          .filter((d) => !def.fields.some((f) => f.name === d.name || `${f.name.replace(/Id$/, '')}Name` === d.name))
          .map((d) => ({ key: d.name, label: d.label, children: renderValue(item[d.name], d.display) })),
      ]
    : []

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={item ? `${def.noun}：${def.rowLabel(item)}` : def.noun}
      extra={item && extra ? extra(item) : null}
    >
      {item ? (
        <Descriptions column={1} bordered size="small" items={items} data-testid="detail" />
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  )
}
