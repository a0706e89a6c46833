import { Cascader } from 'antd'
import { useAuth } from '../auth.tsx'
import { cityCountyOptions, useRegions } from '../regions.ts'

interface Props {
  id?: string
  value?: string[]
  onChange?: (value: string[]) => void
  /** Filters may stop at a city; forms need a county. */
  countyRequired?: boolean
  placeholder?: string
  style?: React.CSSProperties
}

/** 地市 → 区县, limited to the user's jurisdiction. */
export function RegionCascader({ id, value, onChange, countyRequired, placeholder, style }: Props) {
  const regions = useRegions()
  const { me } = useAuth()
  return (
    <Cascader
      id={id}
      options={cityCountyOptions(regions, me?.user.regionCode)}
      value={value}
      onChange={(v) => onChange?.((v ?? []) as string[])}
      changeOnSelect={!countyRequired}
      allowClear
      showSearch
      placeholder={placeholder ?? '地市 / 区县'}
      style={style}
    />
  )
}
