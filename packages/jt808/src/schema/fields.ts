/**
 * The field-schema vocabulary: one description of a layout gives decode, encode and explain
 * (STYLE §E). A struct is a list of named fields with their Chinese names from the standard:
 *
 * @example
 * const register = struct([
 *   { key: 'provinceId', name: '省域ID', type: u16 },
 *   { key: 'imei', name: 'IMEI', type: ascii(15) },
 *   { key: 'plateColor', name: '车牌颜色', type: u8, codes: PLATE_COLORS },
 * ])
 * register.read(reader)            // → { provinceId, imei, plateColor }
 * register.write(writer, value)
 */

import { toHex } from '../bytes/hex.ts'
import type { ByteReader, FieldType, Padding } from '../bytes/reader.ts'
import { PAD_END_ZERO } from '../bytes/reader.ts'
import { decodeGbk, decodeLatin1, encodeGbk } from '../bytes/text.ts'
import type { ByteWriter } from '../bytes/writer.ts'
import { CodecEncodeError } from '../errors.ts'

export type { FieldType, Padding } from '../bytes/reader.ts'
export { PAD_END_ZERO } from '../bytes/reader.ts'

/** Front padding with 0x00 (identity-card numbers shorter than 18 characters). */
export const PAD_START_ZERO: Padding = { side: 'start', fill: 0x00 }
/** End padding with spaces. */
export const PAD_END_SPACE: Padding = { side: 'end', fill: 0x20 }

export type ValueOf<F> = F extends FieldType<infer T> ? T : never

// ── Numbers ──────────────────────────────────────────────────────────────

export const u8: FieldType<number> = {
  label: 'BYTE',
  size: 1,
  read: (r) => r.u8(),
  write: (w, v) => void w.u8(v),
}

export const u16: FieldType<number> = {
  label: 'WORD',
  size: 2,
  read: (r) => r.u16(),
  write: (w, v) => void w.u16(v),
}

export const u32: FieldType<number> = {
  label: 'DWORD',
  size: 4,
  read: (r) => r.u32(),
  write: (w, v) => void w.u32(v),
}

// ── Digits and text ──────────────────────────────────────────────────────

/** BCD[n] → a string of 2n digits (leading zeros kept). */
export function bcd(n: number): FieldType<string> {
  return { label: `BCD[${n}]`, size: n, read: (r) => r.bcd(n), write: (w, v) => void w.bcd(v, n) }
}

/** BCD[6] YYMMDDhhmmss, Beijing time as the terminal reports it (kept as digits). */
export const bcdTime: FieldType<string> = {
  label: 'BCD[6]',
  size: 6,
  read: (r) => r.bcd(6),
  write: (w, v) => void w.bcd(v, 6),
  format: (v) => formatBcdTime(v),
}

/** `240501083000` → `2024-05-01 08:30:00 (GMT+8)`. */
export function formatBcdTime(v: string): string {
  if (!/^\d{12}$/.test(v)) return `${v} (无效时间 / invalid time)`
  return `20${v.slice(0, 2)}-${v.slice(2, 4)}-${v.slice(4, 6)} ${v.slice(6, 8)}:${v.slice(8, 10)}:${v.slice(10, 12)} (GMT+8)`
}

/** Fixed-length ASCII (BYTE[n]); padding stripped on decode, added on encode. */
export function ascii(n: number, padding: Padding = PAD_END_ZERO): FieldType<string> {
  return {
    label: `BYTE[${n}]`,
    size: n,
    read: (r) => r.ascii(n, padding),
    write: (w, v) => void w.ascii(v, n, padding),
    format: (v) => JSON.stringify(v),
  }
}

/** Fixed-length GBK text. */
export function gbk(n: number, padding: Padding = PAD_END_ZERO): FieldType<string> {
  return {
    label: `STRING[${n}]`,
    size: n,
    read: (r) => r.gbk(n, padding),
    write: (w, v) => void w.gbk(v, n, padding),
    format: (v) => JSON.stringify(v),
  }
}

/** GBK STRING running to the end of the body. */
export const gbkRest: FieldType<string> = {
  label: 'STRING',
  read: (r) => decodeGbk(r.bytesView(r.remaining)),
  write: (w, v) => void w.gbkRaw(v),
  format: (v) => JSON.stringify(v),
}

/** ASCII text running to the end of the body (Base64 and similar), byte for character. */
export const asciiRest: FieldType<string> = {
  label: 'STRING',
  read: (r) => decodeLatin1(r.bytesView(r.remaining)),
  write: (w, v) => void w.ascii(v, v.length),
  format: (v) => JSON.stringify(v),
}

/** GBK STRING preceded by its byte length (BYTE or WORD). */
export function gbkPrefixed(length: FieldType<number>): FieldType<string> {
  return {
    label: `${length.label}+STRING`,
    read: (r) => decodeGbk(r.bytesView(length.read(r))),
    write: (w, v) => {
      const data = encodeGbk(v)
      length.write(w, data.length)
      w.bytes(data)
    },
    format: (v) => JSON.stringify(v),
  }
}

// ── Raw bytes ────────────────────────────────────────────────────────────

/** BYTE[n] kept as bytes. */
export function bytes(n: number): FieldType<Uint8Array> {
  return {
    label: `BYTE[${n}]`,
    size: n,
    read: (r) => r.bytesCopy(n),
    write: (w, v) => void w.fixedBytes(v, n),
    format: (v) => `${v.length} 字节 / bytes`,
  }
}

/** All remaining bytes. */
export const restBytes: FieldType<Uint8Array> = {
  label: 'BYTE[n]',
  read: (r) => r.rest(),
  write: (w, v) => void w.bytes(v),
  format: (v) => `${v.length} 字节 / bytes`,
}

// ── Composites ───────────────────────────────────────────────────────────

/** One named field of a struct. */
export interface FieldSpec<K extends string = string, T = unknown> {
  readonly key: K
  /** Chinese name from the standard (with units where helpful). */
  readonly name: string
  readonly type: FieldType<T>
  /** Meaning of coded values, shown by explain. */
  readonly codes?: Readonly<Record<number, string>>
  /** Custom explain text. */
  readonly format?: (value: T) => string | undefined
}

export type StructValue<F extends readonly FieldSpec[]> = {
  -readonly [S in F[number] as S['key']]: S extends FieldSpec<string, infer T> ? T : never
}

export interface StructType<F extends readonly FieldSpec[]> extends FieldType<StructValue<F>> {
  readonly fields: F
}

// biome-ignore lint/suspicious/noExplicitAny: a struct accepts fields of any value type
type AnyFieldSpec = FieldSpec<string, any>

/** A sequence of named fields; its size is fixed when every field's is. */
export function struct<const F extends readonly AnyFieldSpec[]>(fields: F, label = 'struct'): StructType<F> {
  const formats = fields.map((f) => f.format ?? (f.codes ? codeFormat(f.codes, f.type.format) : undefined))
  const sizes = fields.map((f) => f.type.size)
  const size = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => (a ?? 0) + (b ?? 0), 0) : undefined
  const type: StructType<F> = {
    label: size !== undefined ? `BYTE[${size}]` : label,
    fields,
    read(r: ByteReader) {
      const out: Record<string, unknown> = {}
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i] as AnyFieldSpec
        out[f.key] = r.field(f.key, f.name, f.type, formats[i])
      }
      return out as StructValue<F>
    },
    write(w: ByteWriter, value: StructValue<F>) {
      const v = value as Record<string, unknown>
      for (const f of fields) {
        if (!(f.key in v)) throw new CodecEncodeError(`缺少字段 / missing field "${f.key}" (${f.name})`)
        f.type.write(w, v[f.key])
      }
    },
  }
  if (size !== undefined) (type as { size?: number }).size = size
  return type
}

/** Count-prefixed list: a BYTE/WORD count, then that many items. */
export function list<T>(count: FieldType<number>, item: FieldType<T>, itemName = '项'): FieldType<T[]> {
  return {
    label: `${count.label}+${item.label}×n`,
    read(r) {
      const n = r.field('count', '数量', count)
      const out: T[] = []
      for (let i = 0; i < n && r.ok; i++) out.push(r.field(String(i), `${itemName} ${i + 1}`, item))
      return out
    },
    write(w, v) {
      count.write(w, v.length)
      for (const x of v) item.write(w, x)
    },
    format: (v) => `${v.length} 项 / items`,
  }
}

/** Items repeated to the end of the body. */
export function listRest<T>(item: FieldType<T>, itemName = '项'): FieldType<T[]> {
  return {
    label: `${item.label}×n`,
    read(r) {
      const out: T[] = []
      while (r.remaining > 0 && r.ok) out.push(r.field(String(out.length), `${itemName} ${out.length + 1}`, item))
      return out
    },
    write(w, v) {
      for (const x of v) item.write(w, x)
    },
    format: (v) => `${v.length} 项 / items`,
  }
}

/** A field type with its own explain text (units, scaling). */
export function withFormat<T>(type: FieldType<T>, format: (value: T) => string | undefined): FieldType<T> {
  return { ...type, format }
}

// ── Explain formats ──────────────────────────────────────────────────────

export function codeFormat(
  codes: Readonly<Record<number, string>>,
  fallback?: (v: never) => string | undefined,
): (v: unknown) => string | undefined {
  return (v) => {
    if (typeof v === 'number') return codes[v] ?? `未定义的取值 / undefined value ${v}`
    return fallback?.(v as never)
  }
}

/** `1234` with divisor 10 and unit `km/h` → `123.4 km/h`. */
export function scaled(divisor: number, unit: string, digits = Math.round(Math.log10(divisor))): (v: number) => string {
  return (v) => `${(v / divisor).toFixed(digits)} ${unit}`
}

export const hexFormat = (width: number) => (v: number) => `0x${v.toString(16).padStart(width, '0').toUpperCase()}`

export function bytesHex(v: Uint8Array): string {
  return toHex(v)
}
