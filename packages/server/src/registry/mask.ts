/**
 * Masking of personal data in lists and for readers without `personal:read`.
 */
import type { EntityDef } from './definitions.ts'

/** 330106199001011234 → 3301**********1234 */
export function maskIdCard(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length)
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`
}

/** 13812345678 → 138****5678 */
export function maskPhone(value: string): string {
  if (value.length < 7) return '*'.repeat(value.length)
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`
}

export function hasPersonalFields(def: EntityDef): boolean {
  return def.fields.some((f) => f.personal)
}

export function maskRow<T extends Record<string, unknown>>(def: EntityDef, row: T): T {
  const out: Record<string, unknown> = { ...row }
  for (const f of def.fields) {
    const value = out[f.key]
    if (!f.personal || typeof value !== 'string') continue
    out[f.key] = f.personal === 'idCard' ? maskIdCard(value) : maskPhone(value)
  }
  return out as T
}
