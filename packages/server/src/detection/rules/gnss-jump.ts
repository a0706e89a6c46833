/**
 * gnss-jump — a GNSS jump (轨迹瞬移): between two consecutive fixes of a practical session
 * (0x0200 positions with 定位 set and the minute records' fixes, in time order) the implied speed
 * is above `maxImpliedSpeedKmh` (default 150 km/h, UNCERTAIN) over at least `minJumpM` metres (so
 * that GNSS noise between close fixes is not a jump). One finding per session listing every jump
 * with both fixes; the minutes touching a jump are invalid when `invalidateMinutes` is set.
 */
import type { Evidence, MinuteFact, SessionFacts, SessionRule } from '../rule.ts'
import { distanceM } from './geo.ts'
import { bool, isPractical, localStamp, minuteLinks, num, sessionFinding, uniqueMinutes, verdicts } from './support.ts'

const MINUTE_MS = 60_000

interface Fix {
  at: Date
  lng: number
  lat: number
  kind: 'position' | 'minute'
  recordNo?: string
}

/** The session's fixes in time order: located positions and minute fixes (not 0,0). */
export function fixesOf(facts: SessionFacts): Fix[] {
  const fixes: Fix[] = []
  for (const p of facts.positions)
    if (p.located && !(p.lng === 0 && p.lat === 0))
      fixes.push({ at: p.fixedAt, lng: p.lng, lat: p.lat, kind: 'position' })
  for (const m of facts.minutes)
    if (m.lng !== null && m.lat !== null && !(m.lng === 0 && m.lat === 0))
      fixes.push({
        at: new Date(m.minuteAt.getTime() + 30_000),
        lng: m.lng,
        lat: m.lat,
        kind: 'minute',
        recordNo: m.recordNo,
      })
  return fixes.sort((a, b) => a.at.getTime() - b.at.getTime())
}

export const gnssJump: SessionRule = {
  id: 'gnss-jump',
  version: 1,
  title: { zh: '轨迹瞬移', en: 'GNSS jump' },
  severity: 'medium',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（轨迹漂移/瞬移，无公开阈值）',
  scope: 'session',
  invalidates: true,
  params: {
    maxImpliedSpeedKmh: {
      default: 150,
      unit: 'km/h',
      description: '相邻两个定位点之间的推算速度高于此值视为瞬移',
      uncertain: true,
    },
    minJumpM: {
      default: 100,
      unit: '米',
      description: '两点距离不小于此值才判瞬移（排除定位噪声）',
      uncertain: true,
    },
    invalidateMinutes: { default: true, description: '瞬移所在的分钟学时是否判为无效' },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts)) return { invalidMinutes: [], findings: [] }
    const maxKmh = num(params, 'maxImpliedSpeedKmh')
    const minM = num(params, 'minJumpM')
    const fixes = fixesOf(facts)
    const jumps: { a: Fix; b: Fix; metres: number; seconds: number; kmh: number }[] = []
    for (let i = 1; i < fixes.length; i++) {
      const a = fixes[i - 1]!
      const b = fixes[i]!
      const metres = distanceM(a.lng, a.lat, b.lng, b.lat)
      if (!(metres >= minM)) continue
      const seconds = (b.at.getTime() - a.at.getTime()) / 1000
      const kmh = seconds > 0 ? (metres / seconds) * 3.6 : Number.POSITIVE_INFINITY
      if (kmh > maxKmh) jumps.push({ a, b, metres, seconds, kmh })
    }
    const first = jumps[0]
    if (!first) return { invalidMinutes: [], findings: [] }
    const touched: MinuteFact[] = uniqueMinutes(
      facts.minutes.filter((m) =>
        jumps.some(
          (j) => m.minuteAt.getTime() <= j.b.at.getTime() && m.minuteAt.getTime() + MINUTE_MS > j.a.at.getTime(),
        ),
      ),
    )
    const terminalId = facts.session.terminalId
    const positions: Evidence['positions'] =
      terminalId === null
        ? undefined
        : jumps.flatMap((j) =>
            [j.a, j.b].filter((f) => f.kind === 'position').map((f) => ({ terminalId, fixedAt: f.at.toISOString() })),
          )
    const fastest = Math.max(...jumps.map((j) => j.kmh))
    const shown = Number.isFinite(fastest) ? `${fastest.toFixed(0)} km/h` : '同一时刻两地'
    const finding = sessionFinding(facts, {
      occurredAt: first.a.at,
      summary: `${jumps.length} 处轨迹瞬移，最大推算速度 ${shown}（阈值 ${maxKmh} km/h，距离不小于 ${minM} 米），首次 ${localStamp(first.a.at)} 跳变 ${first.metres.toFixed(0)} 米`,
      evidence: {
        minutes: minuteLinks(touched),
        ...(positions?.length ? { positions } : {}),
        details: {
          maxImpliedSpeedKmh: maxKmh,
          minJumpM: minM,
          jumps: jumps.slice(0, 50).map((j) => ({
            from: { at: j.a.at.toISOString(), lng: j.a.lng, lat: j.a.lat, kind: j.a.kind },
            to: { at: j.b.at.toISOString(), lng: j.b.lng, lat: j.b.lat, kind: j.b.kind },
            metres: Math.round(j.metres),
            seconds: j.seconds,
            impliedKmh: Number.isFinite(j.kmh) ? Math.round(j.kmh) : null,
          })),
        },
      },
    })
    return {
      invalidMinutes: bool(params, 'invalidateMinutes') ? verdicts(touched, 'gnss-jump') : [],
      findings: [finding],
    }
  },
}
