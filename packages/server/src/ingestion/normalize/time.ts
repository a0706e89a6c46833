/**
 * Terminal clocks report Beijing time (GMT+8) as BCD digits. This is the only place where those
 * digits become instants: everything after normalisation is UTC.
 */

const BEIJING_OFFSET_MS = 8 * 3600_000

/** `YYMMDDhhmmss` (Beijing) → UTC instant; null when the digits are not a real time. */
export function beijingToUtc(digits: string): Date | null {
  if (!/^\d{12}$/.test(digits)) return null
  const [yy, mo, dd, hh, mi, ss] = [0, 2, 4, 6, 8, 10].map((i) => Number(digits.slice(i, i + 2))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59) return null
  const ms = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) - BEIJING_OFFSET_MS
  const date = new Date(ms)
  // Reject rolled-over dates such as 31 February.
  const back = new Date(ms + BEIJING_OFFSET_MS)
  if (back.getUTCDate() !== dd || back.getUTCMonth() !== mo - 1) return null
  return date
}

/**
 * The minute a 0x0203 record covers: the date comes from the 学时记录编号 (计时终端编号 16 +
 * YYMMDD + sequence), the hour and minute from 记录产生时间 (hhmmss, the last second of the
 * minute). Returns the start of that minute in UTC.
 */
export function minuteOfRecord(recordNo: string, recordTimeLocal: string): Date | null {
  const date = recordNo.slice(16, 22)
  if (!/^\d{6}$/.test(date) || !/^\d{6}$/.test(recordTimeLocal)) return null
  return beijingToUtc(`${date}${recordTimeLocal.slice(0, 4)}00`)
}

/** UTC instant → `YYMMDDhhmmss` Beijing digits (the inverse, used by fixtures and explain views). */
export function utcToBeijing(instant: Date): string {
  const b = new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString()
  return `${b.slice(2, 4)}${b.slice(5, 7)}${b.slice(8, 10)}${b.slice(11, 13)}${b.slice(14, 16)}${b.slice(17, 19)}`
}
