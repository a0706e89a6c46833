import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { parseTimestamptz } from './timestamptz.ts'

const general = pg.types.getTypeParser(1184, 'text') as (value: string) => Date | number
const same = (s: string) => {
  const fast = parseTimestamptz(s)
  const slow = general(s)
  assert.equal(
    fast instanceof Date ? fast.getTime() : fast,
    slow instanceof Date ? slow.getTime() : slow,
    `${s}: ${String(fast)} vs ${String(slow)}`,
  )
}

test('reads the shapes the server writes exactly as node-postgres does', () => {
  for (const s of [
    '2026-03-10 08:00:00+00',
    '2026-03-10 08:00:00+08',
    '2026-03-10 08:00:00-03',
    '2026-03-10 08:00:00+05:30',
    '2026-03-10 08:00:00-09:30',
    '2026-03-10 23:59:59.999+00',
    '2026-03-10 23:59:59.9995+00',
    '2026-03-10 08:00:00.123456+08',
    '2026-03-10 08:00:00.1+00',
    '2024-02-29 12:00:00+00',
    '1970-01-01 00:00:00+00',
    '0099-01-01 00:00:00+00',
    '2026-03-10 08:00:00+00 BC',
    'infinity',
    '-infinity',
    '12026-03-10 08:00:00+00',
  ])
    same(s)
})

test('agrees with node-postgres on many random instants and offsets', () => {
  let seed = 7
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  for (let i = 0; i < 5_000; i++) {
    const t = new Date(Date.UTC(1990, 0, 1) + Math.floor(next() * 60 * 365 * 86_400_000))
    const offsetMin = [0, 480, -180, 330, -570, 345][i % 6] as number
    const local = new Date(t.getTime() + offsetMin * 60_000)
    const micro = i % 3 === 0 ? '' : `.${pad(Math.floor(next() * 1_000_000), 6).replace(/0+$/, '') || '0'}`
    const sign = offsetMin < 0 ? '-' : '+'
    const abs = Math.abs(offsetMin)
    const off = abs % 60 === 0 ? `${sign}${pad(abs / 60)}` : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
    same(
      `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
        `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${micro}${off}`,
    )
  }
})

test('falls back on anything it does not recognise instead of guessing', () => {
  same('2026-03-10T08:00:00Z')
  same('2026-03-10 08:00+00')
})
