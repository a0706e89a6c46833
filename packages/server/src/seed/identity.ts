/**
 * Generated identity numbers that pass the validators of `domain/identity.ts`: ID cards, credit
 * codes, VINs, IMEIs, mobile numbers and plates.
 */
import { creditCodeCheckChar, idCardCheckChar, luhnCheckDigit } from '../domain/identity.ts'
import type { Rng } from './random.ts'

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** ISO date (UTC) of a day number (days since 1970-01-01). */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

export function dayOf(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000)
}

/** 18-digit ID card number; the sequence digit is odd for men (GB 11643). */
export function idCard(area: string, birthDay: number, sequence: number, sex: 'M' | 'F'): string {
  const birth = isoDay(birthDay).replaceAll('-', '')
  const seq = (sequence % 500) * 2 + (sex === 'M' ? 1 : 0)
  const first17 = `${area}${birth}${pad(seq, 3)}`
  return first17 + idCardCheckChar(first17)
}

const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** 统一社会信用代码 of a company (9 = 市场监管, 1 = 企业) registered in `area`. */
export function creditCode(rng: Rng, area: string): string {
  let body = ''
  for (let i = 0; i < 8; i++) body += String(rng.int(0, 9))
  // 组织机构代码 check character (GB 11714).
  let sum = 0
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(body[i] as string) * (ORG_WEIGHTS[i] as number)
  const c = 11 - (sum % 11)
  const orgCheck = c === 10 ? 'X' : c === 11 ? '0' : String(c)
  const first17 = `91${area}${body}${orgCheck}`
  return first17 + creditCodeCheckChar(first17)
}

const VIN_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
}
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
const VIN_YEAR = 'ABCDEFGHJKLMNPRSTVWXY123456789'

/** 17-character VIN with the check character in position 9 (ISO 3779 / GB 16735). */
export function vin(rng: Rng, wmi: string, year: number, serial: number): string {
  let vds = ''
  for (let i = 0; i < 5; i++) vds += VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)]
  const yearChar = VIN_YEAR[(year - 2010 + 30) % 30] as string
  const plant = VIN_CHARS[rng.int(0, 22)] as string
  const draft = `${wmi}${vds}0${yearChar}${plant}${pad(serial % 1_000_000, 6)}`
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const ch = draft[i] as string
    const value = /\d/.test(ch) ? Number(ch) : (VIN_VALUES[ch] as number)
    sum += value * (VIN_WEIGHTS[i] as number)
  }
  const check = sum % 11 === 10 ? 'X' : String(sum % 11)
  return `${draft.slice(0, 8)}${check}${draft.slice(9)}`
}

/** 15-digit IMEI: 8-digit TAC, 6-digit serial, Luhn check digit. */
export function imei(tac: string, serial: number): string {
  const body = `${tac}${pad(serial % 1_000_000, 6)}`
  return body + luhnCheckDigit(body)
}

const MOBILE_PREFIXES = [
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '177',
  '180',
  '187',
  '188',
  '189',
  '198',
]

export function mobile(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}${pad(rng.int(0, 99_999_999), 8)}`
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

/** 教练车 plate: 浙A1234学 (mostly four digits, sometimes a letter first). */
export function coachPlate(rng: Rng, cityLetter: string): string {
  const head = rng.chance(0.8) ? String(rng.int(0, 9)) : (PLATE_LETTERS[rng.int(0, PLATE_LETTERS.length - 1)] as string)
  return `浙${cityLetter}${head}${pad(rng.int(0, 999), 3)}学`
}

/** New-energy small-car plate: 浙AD12345 or 浙AD A1234-style (D = pure electric). */
export function newEnergyPlate(rng: Rng, cityLetter: string): string {
  const second = rng.chance(0.7)
    ? String(rng.int(0, 9))
    : (PLATE_LETTERS[rng.int(0, PLATE_LETTERS.length - 1)] as string)
  return `浙${cityLetter}D${second}${pad(rng.int(0, 9999), 4)}`
}
