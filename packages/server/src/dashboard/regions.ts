/**
 * 行政区划: the region table, and the city outlines of Zhejiang as GeoJSON for the map.
 */
import { asc } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { region } from '../db/schema/index.ts'
import { zhejiangCityShapes } from '../domain/regions.ts'

export async function listRegions(db: Pick<Db, 'select'>) {
  return db
    .select({
      code: region.code,
      name: region.name,
      level: region.level,
      parentCode: region.parentCode,
      centerLng: region.centerLng,
      centerLat: region.centerLat,
    })
    .from(region)
    .orderBy(asc(region.code))
}

let geo: unknown

/** FeatureCollection of the 11 cities; `properties.code` is the 6-digit city code (330100 …). */
export function cityGeoJson() {
  geo ??= {
    type: 'FeatureCollection',
    features: zhejiangCityShapes().map((f) => ({
      type: 'Feature',
      id: `${f.id}00`,
      properties: { name: f.properties.name, code: `${f.id}00`, center: f.properties.cp ?? null },
      geometry: f.geometry,
    })),
  }
  return geo
}
