/**
 * Identity numbers that arrive from outside: ID cards, plates, national registry numbers,
 * credit codes, IMEI, phone numbers. Pure functions: `check…` returns null when the value is
 * valid or a Chinese reason when it is not; `normalize…` returns the canonical stored form.
 *
 * Sources: GB 11643-1999 (公民身份号码, ISO 7064 MOD 11-2 check digit); GB 32100-2015
 * (统一社会信用代码, MOD 31 check character); GA 36-2018 (号牌, incl. new-energy and 教练车 "学"
 * plates); IMEI Luhn check digit (3GPP TS 23.003).
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** The check character of the first 17 digits of an 18-digit ID card number. */
export function idCardCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number)
  return ID_CHECK[sum % 11] as string
}

export function normalizeIdCard(value: string): string {
  return value.trim().toUpperCase()
}

export function checkIdCard(value: string): string | null {
  const v = normalizeIdCard(value)
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号应为 18 位（末位可为 X）'
  const birth = v.slice(6, 14)
  const y = Number(birth.slice(0, 4))
  const m = Number(birth.slice(4, 6))
  const d = Number(birth.slice(6, 8))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return `身份证号中的出生日期 ${birth} 无效`
  }
  if (idCardCheckChar(v.slice(0, 17)) !== v[17]) return '身份证号校验位错误'
  return null
}

/** 'M' or 'F' from the 17th digit (odd = male). */
export function sexFromIdCard(idCard: string): 'M' | 'F' {
  return Number(idCard[16]) % 2 === 1 ? 'M' : 'F'
}

export function birthDateFromIdCard(idCard: string): string {
  return `${idCard.slice(6, 10)}-${idCard.slice(10, 12)}-${idCard.slice(12, 14)}`
}

// ── Plates ──────────────────────────────────────────────────────────────

/** Province abbreviations that start a civil plate. */
const PROVINCE_ABBR = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'
const LETTER = 'A-HJ-NP-Z'

/** Zhejiang plate letters per city (GA 36 allocation): 浙A 杭州 … 浙L 舟山. */
export const ZHEJIANG_PLATE_LETTER: Readonly<Record<string, string>> = {
  '330100': 'A',
  '330200': 'B',
  '330300': 'C',
  '330600': 'D',
  '330500': 'E',
  '330400': 'F',
  '330700': 'G',
  '330800': 'H',
  '331000': 'J',
  '331100': 'K',
  '330900': 'L',
}

const PLATE_PATTERNS = [
  // ordinary: 浙A12345 / 浙AB1234
  new RegExp(`^[${PROVINCE_ABBR}][${LETTER}][${LETTER}0-9]{5}$`),
  // new-energy small car: 浙AD12345 / 浙AF1A234 (D = pure electric, F = hybrid)
  new RegExp(`^[${PROVINCE_ABBR}][${LETTER}][DF][${LETTER}0-9]\\d{4}$`),
  // new-energy large vehicle: 浙A12345D
  new RegExp(`^[${PROVINCE_ABBR}][${LETTER}]\\d{5}[DF]$`),
  // 教练车: 浙A1234学
  new RegExp(`^[${PROVINCE_ABBR}][${LETTER}][${LETTER}0-9]{4}学$`),
]

/** Upper-cases and removes separators people type: 浙A·D12345, 浙A D12345, 浙A-D12345. */
export function normalizePlate(value: string): string {
  return value
    .trim()
    .toUpperCase()
    .replace(/[·.\s\-•]/g, '')
}

export function checkPlate(value: string): string | null {
  const v = normalizePlate(value)
  if (PLATE_PATTERNS.some((p) => p.test(v))) return null
  return '车牌号格式不正确（例：浙A·D12345、浙A12345、浙A1234学）'
}

/** Display form with the middle dot: 浙AD12345 → 浙A·D12345. */
export function formatPlate(plate: string): string {
  const v = normalizePlate(plate)
  return v.length > 2 ? `${v.slice(0, 2)}·${v.slice(2)}` : v
}

// ── Registry numbers ────────────────────────────────────────────────────

/**
 * 全国统一编号 of institutions, coaches, students, training cars and terminals: 16 characters
 * of digits and upper-case letters. The internal structure of the national numbering is not
 * published in a source we could verify (UNCERTAIN, see docs/glossary.md), so only the length and
 * alphabet are checked.
 */
export function checkRegistryNo(value: string, label = '统一编号'): string | null {
  return /^[0-9A-Z]{16}$/.test(value.trim()) ? null : `${label}应为 16 位数字或大写字母`
}

/** 计时平台编号: 5 characters. */
export function checkPlatformNo(value: string): string | null {
  return /^[0-9A-Z]{5}$/.test(value.trim()) ? null : '计时平台编号应为 5 位数字或大写字母'
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function creditCodeCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i] as string) * (CREDIT_WEIGHTS[i] as number)
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31] as string
}

export function checkCreditCode(value: string): string | null {
  const v = value.trim().toUpperCase()
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v)) return '统一社会信用代码应为 18 位（不含 I、O、Z、S、V）'
  if (creditCodeCheckChar(v.slice(0, 17)) !== v[17]) return '统一社会信用代码校验位错误'
  return null
}

// ── Devices and phones ──────────────────────────────────────────────────

export function luhnCheckDigit(digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

export function checkImei(value: string): string | null {
  const v = value.trim()
  if (!/^\d{15}$/.test(v)) return 'IMEI 应为 15 位数字'
  if (luhnCheckDigit(v.slice(0, 14)) !== Number(v[14])) return 'IMEI 校验位错误'
  return null
}

/** Terminal SIM number: the 驾培 header carries it as BCD[8], so up to 16 digits; 11 at least. */
export function checkTerminalPhone(value: string): string | null {
  return /^\d{11,16}$/.test(value.trim()) ? null : '终端手机号（SIM 卡号）应为 11–16 位数字'
}

export function checkMobile(value: string): string | null {
  return /^1[3-9]\d{9}$/.test(value.trim()) ? null : '手机号应为 11 位中国大陆手机号'
}

/** Vehicle types (准驾车型) of the 2016 syllabus. */
export const LICENSE_TYPES = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F'] as const
export type LicenseType = (typeof LICENSE_TYPES)[number]

export function checkLicenseType(value: string): string | null {
  return (LICENSE_TYPES as readonly string[]).includes(value) ? null : `车型应为 ${LICENSE_TYPES.join('、')} 之一`
}
