/** Beijing time (GMT+8) as the BCD digit strings of the protocol. */

const BEIJING_OFFSET_MS = 8 * 3600_000

const two = (n: number) => String(n).padStart(2, '0')

function beijing(ms: number): Date {
  return new Date(ms + BEIJING_OFFSET_MS)
}

/** YYMMDDhhmmss (BCD[6]). */
export function bcdDateTime(ms: number): string {
  const d = beijing(ms)
  return `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`
}

/** hhmmss (BCD[3]). */
export function bcdClock(ms: number): string {
  return bcdDateTime(ms).slice(6)
}

/** YYMMDD. */
export function bcdDate(ms: number): string {
  return bcdDateTime(ms).slice(0, 6)
}

/** Minute of the Beijing day, 0–1439. */
export function minuteOfDay(ms: number): number {
  const d = beijing(ms)
  return d.getUTCHours() * 60 + d.getUTCMinutes()
}

/** BCD[6] Beijing time → epoch ms (NaN when not 12 digits). */
export function parseBcdDateTime(v: string): number {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v)
  if (!m) return Number.NaN
  const [, yy, mo, dd, hh, mi, ss] = m.map(Number) as number[]
  return Date.UTC(2000 + (yy as number), (mo as number) - 1, dd, hh, mi, ss) - BEIJING_OFFSET_MS
}
