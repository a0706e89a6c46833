/**
 * The bus wire format of envelopes and photos: JSON with tagged values, so dates, byte arrays and
 * big integers inside decoded messages survive the trip unchanged (`{"$d": iso}`, `{"$b": base64}`,
 * `{"$n": digits}`).
 */
import type { AssembledPhoto, FrameEnvelope } from './envelope.ts'

function toWire(value: unknown): unknown {
  if (value instanceof Date) return { $d: value.toISOString() }
  if (value instanceof Uint8Array)
    return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  if (typeof value === 'bigint') return { $n: value.toString() }
  if (Array.isArray(value)) return value.map(toWire)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v)
    return out
  }
  return value
}

function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire)
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1) {
      if (typeof o.$d === 'string') return new Date(o.$d)
      if (typeof o.$b === 'string') return new Uint8Array(Buffer.from(o.$b, 'base64'))
      if (typeof o.$n === 'string') return BigInt(o.$n)
    }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(o)) out[k] = fromWire(v)
    return out
  }
  return value
}

export type WireItem = { kind: 'frame'; envelope: FrameEnvelope } | { kind: 'photo'; photo: AssembledPhoto }

export function encodeWire(item: WireItem): Uint8Array {
  return Buffer.from(JSON.stringify(toWire(item)), 'utf8')
}

/** Throws on anything that is not a wire item. */
export function decodeWire(data: Uint8Array): WireItem {
  const item = fromWire(JSON.parse(Buffer.from(data).toString('utf8'))) as WireItem
  if (item?.kind === 'frame' && item.envelope && item.envelope.frame instanceof Uint8Array) return item
  if (item?.kind === 'photo' && item.photo && item.photo.bytes instanceof Uint8Array) return item
  throw new Error('not an ingestion bus message')
}
