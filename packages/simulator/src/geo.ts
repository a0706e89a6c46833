/**
 * Plane geometry on WGS-84 coordinates, good enough at the scale of a training field or a few
 * kilometres of road: points are [lng, lat]; distances in metres.
 */
import type { Rng } from './random.ts'

export type LngLat = readonly [number, number]

/** A GeoJSON Polygon (the registry's training_field.polygon). */
export interface PolygonGeometry {
  type: 'Polygon'
  coordinates: number[][][]
}

const EARTH_RADIUS = 6_371_008.8
const rad = (d: number) => (d * Math.PI) / 180

/** Great-circle distance in metres. */
export function distance(a: LngLat, b: LngLat): number {
  const dLat = rad(b[1] - a[1])
  const dLng = rad(b[0] - a[0])
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Initial bearing from a to b, degrees 0–359, north = 0, clockwise. */
export function bearing(a: LngLat, b: LngLat): number {
  const y = Math.sin(rad(b[0] - a[0])) * Math.cos(rad(b[1]))
  const x =
    Math.cos(rad(a[1])) * Math.sin(rad(b[1])) - Math.sin(rad(a[1])) * Math.cos(rad(b[1])) * Math.cos(rad(b[0] - a[0]))
  return ((((Math.atan2(y, x) * 180) / Math.PI + 360) % 360) + 360) % 360
}

/** The point `metres` away from `from` along `heading` degrees. */
export function offset(from: LngLat, heading: number, metres: number): [number, number] {
  const dNorth = metres * Math.cos(rad(heading))
  const dEast = metres * Math.sin(rad(heading))
  return [from[0] + dEast / (111_320 * Math.cos(rad(from[1]))), from[1] + dNorth / 111_320]
}

export function interpolate(a: LngLat, b: LngLat, f: number): [number, number] {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]
}

/** The outer ring of a polygon, without the closing point. */
export function outerRing(polygon: PolygonGeometry): LngLat[] {
  const ring = (polygon.coordinates[0] ?? []).map((p) => [p[0] as number, p[1] as number] as const)
  const first = ring[0]
  const last = ring[ring.length - 1]
  if (ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) ring.pop()
  return ring
}

/** Ray casting on the outer ring (holes are not used by training fields). */
export function pointInPolygon(point: LngLat, polygon: PolygonGeometry): boolean {
  const ring = outerRing(polygon)
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LngLat
    const [xj, yj] = ring[j] as LngLat
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Vertex average of the outer ring. */
export function centroid(polygon: PolygonGeometry): [number, number] {
  const ring = outerRing(polygon)
  const sum = ring.reduce((s, p) => [s[0] + p[0], s[1] + p[1]] as [number, number], [0, 0] as [number, number])
  return [sum[0] / ring.length, sum[1] / ring.length]
}

/**
 * A random point inside the polygon, pulled towards its centroid by `margin` (0–1) so that a
 * vehicle stays clear of the fence. The point is drawn inside the polygon before it is pulled:
 * pulling a point of the bounding box that lies outside could leave it just inside the fence (a
 * rotated field fills only part of its box), where the 1e-6° rounding of a reported fix can put it
 * outside. On a convex field the result is inside the polygon shrunk by `margin` about the centroid.
 */
export function randomPointInside(polygon: PolygonGeometry, rng: Rng, margin = 0.15): [number, number] {
  const ring = outerRing(polygon)
  const c = centroid(polygon)
  const xs = ring.map((p) => p[0])
  const ys = ring.map((p) => p[1])
  for (let attempt = 0; attempt < 200; attempt++) {
    const p: [number, number] = [
      rng.float(Math.min(...xs), Math.max(...xs)),
      rng.float(Math.min(...ys), Math.max(...ys)),
    ]
    if (!pointInPolygon(p, polygon)) continue
    const pulled = interpolate(p, c, margin)
    if (pointInPolygon(pulled, polygon)) return pulled
  }
  return c
}

/** True when every point of the straight segment (sampled) lies inside the polygon. */
export function segmentInside(a: LngLat, b: LngLat, polygon: PolygonGeometry, samples = 24): boolean {
  for (let i = 0; i <= samples; i++) if (!pointInPolygon(interpolate(a, b, i / samples), polygon)) return false
  return true
}
