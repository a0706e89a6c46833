/**
 * Plane geometry for the session rules: point in polygon (ray casting over GeoJSON rings, holes
 * excluded) and great-circle distance. Pure.
 */
import type { Ring } from '../rule.ts'

const EARTH_RADIUS_M = 6_371_008.8

/** True when the point lies inside the ring (ray casting; points on an edge count either way). */
export function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    if (!a || !b) continue
    const [xi, yi] = a
    const [xj, yj] = b
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** True when the point lies in the polygon's outer ring and in none of its holes. */
export function inPolygon(lng: number, lat: number, polygon: Ring[]): boolean {
  const [outer, ...holes] = polygon
  if (!outer || !inRing(lng, lat, outer)) return false
  return !holes.some((h) => inRing(lng, lat, h))
}

/** Great-circle distance in metres (haversine). */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLng = (lng2 - lng1) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}
