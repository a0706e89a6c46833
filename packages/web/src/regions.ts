import { useEffect, useState } from 'react'
import { request } from './api.ts'

export interface Region {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parentCode: string | null
  centerLng: number | null
  centerLat: number | null
}

export interface RegionOption {
  value: string
  label: string
  children?: RegionOption[]
}

let cache: Promise<Region[]> | undefined

export function loadRegions(): Promise<Region[]> {
  cache ??= request<Region[]>('/api/regions').catch((e) => {
    cache = undefined
    throw e
  })
  return cache
}

export function useRegions(): Region[] {
  const [regions, setRegions] = useState<Region[]>([])
  useEffect(() => {
    loadRegions()
      .then(setRegions)
      .catch(() => {})
  }, [])
  return regions
}

/** Does `code` lie inside the jurisdiction `scope` (330000 ⊃ 330100 ⊃ 330106)? */
export function regionWithin(code: string, scope: string | null | undefined): boolean {
  if (!scope || scope.endsWith('0000')) return true
  if (scope.endsWith('00')) return code.startsWith(scope.slice(0, 4))
  return code === scope
}

/** City → county options, restricted to the user's jurisdiction. */
export function cityCountyOptions(regions: Region[], scope: string | null | undefined): RegionOption[] {
  const cities = regions.filter((r) => r.level === 'city')
  const counties = regions.filter((r) => r.level === 'county')
  return cities
    .map((city) => ({
      value: city.code,
      label: city.name,
      children: counties
        .filter((c) => c.parentCode === city.code && regionWithin(c.code, scope))
        .map((c) => ({ value: c.code, label: c.name })),
    }))
    .filter((c) => (c.children?.length ?? 0) > 0 || regionWithin(c.value, scope))
}
