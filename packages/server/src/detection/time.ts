/**
 * Local time for rules and hour accounting. China keeps UTC+8 all year (no daylight saving), so
 * Beijing time is a fixed offset; days, clocks and windows are computed without a time-zone
 * database. Pure.
 */
import type { TimeWindow } from '../policy/detection.ts'

/** Beijing time's offset from UTC. */
export const LOCAL_OFFSET_MS = 8 * 3_600_000
const OFFSET_MS = LOCAL_OFFSET_MS

/** Local (Beijing) calendar day of an instant, 'YYYY-MM-DD'. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10)
}

/** Minutes since local midnight (0–1439). */
export function localMinuteOfDay(at: Date): number {
  const shifted = new Date(at.getTime() + OFFSET_MS)
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes()
}

/** The UTC instant of local midnight that starts the day 'YYYY-MM-DD'. */
export function localMidnight(day: string): Date {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() - OFFSET_MS)
}

/** 'HH:MM' → minutes since midnight ('24:00' → 1440); NaN when malformed. */
export function clockMinutes(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm)
  if (!m) return Number.NaN
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return Number.NaN
  return h * 60 + min
}

/** True when the local clock of `at` falls in one of the windows (from inclusive, to exclusive; a window may wrap midnight). */
export function inWindows(at: Date, windows: readonly TimeWindow[]): boolean {
  const t = localMinuteOfDay(at)
  return windows.some((w) => {
    const from = clockMinutes(w.from)
    const to = clockMinutes(w.to)
    if (Number.isNaN(from) || Number.isNaN(to)) return false
    return from <= to ? t >= from && t < to : t >= from || t < to
  })
}
