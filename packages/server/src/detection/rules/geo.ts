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

/**
 * Distance in metres from the point to the nearest edge of the ring, on a local equirectangular
 * plane centred on the point (exact enough for the tens of metres a GNSS tolerance spans).
 */
export function distanceToRingM(lng: number, lat: number, ring: Ring): number {
  const mPerDegLat = (Math.PI / 180) * EARTH_RADIUS_M
  const mPerDegLng = mPerDegLat * Math.cos(lat * (Math.PI / 180))
  let best = Number.POSITIVE_INFINITY
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1]
    const b = ring[i]
    if (!a || !b) continue
    const ax = (a[0] - lng) * mPerDegLng
    const ay = (a[1] - lat) * mPerDegLat
    const dx = (b[0] - lng) * mPerDegLng - ax
    const dy = (b[1] - lat) * mPerDegLat - ay
    const len2 = dx * dx + dy * dy
    const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2))
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy))
  }
  return best
}

/**
 * True when the point lies in the polygon or within `toleranceM` metres of its outer ring (a point
 * in a hole counts when it lies within the tolerance of the hole's edge).
 */
export function nearPolygon(lng: number, lat: number, polygon: Ring[], toleranceM: number): boolean {
  if (inPolygon(lng, lat, polygon)) return true
  if (!(toleranceM > 0)) return false
  return polygon.some((ring) => distanceToRingM(lng, lat, ring) <= toleranceM)
}

/** Great-circle distance in metres (haversine). */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLng = (lng2 - lng1) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}
