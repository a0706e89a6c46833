/**
 * JT/T 808 framing (STANDARDS §2.1): `0x7E` + escaped(header + body + checksum) + `0x7E`.
 * The checksum is the XOR of every byte from the first header byte to the last body byte; after
 * it is appended, `0x7D` → `0x7D 0x01` and `0x7E` → `0x7D 0x02`.
 */
import type { CodecFailure } from '../errors.ts'

export const FRAME_FLAG = 0x7e
export const ESCAPE = 0x7d

/** XOR of bytes[start, end). */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0
  for (let i = start; i < end; i++) x ^= bytes[i] as number
  return x
}

/** header + body → 0x7E + escaped(header + body + checksum) + 0x7E. */
export function wrapFrame(content: Uint8Array): Uint8Array {
  const cs = checksum(content)
  let extra = 0
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number
    if (b === FRAME_FLAG || b === ESCAPE) extra++
  }
  if (cs === FRAME_FLAG || cs === ESCAPE) extra++
  const out = new Uint8Array(content.length + 1 + extra + 2)
  let o = 0
  out[o++] = FRAME_FLAG
  for (let i = 0; i <= content.length; i++) {
    const b = i < content.length ? (content[i] as number) : cs
    if (b === FRAME_FLAG) {
      out[o++] = ESCAPE
      out[o++] = 0x02
    } else if (b === ESCAPE) {
      out[o++] = ESCAPE
      out[o++] = 0x01
    } else out[o++] = b
  }
  out[o] = FRAME_FLAG
  return out
}

/**
 * Reverses the escaping of the bytes between the delimiters. Offsets in failures refer to the
 * escaped input (plus `base`). The result may share memory with the input when nothing was
 * escaped.
 */
export function unescapeFrame(
  escaped: Uint8Array,
  base = 0,
): { ok: true; bytes: Uint8Array } | ({ ok: false } & CodecFailure) {
  // Most frames contain neither byte: return the input itself (no copy).
  if (escaped.indexOf(ESCAPE) < 0 && escaped.indexOf(FRAME_FLAG) < 0) return { ok: true, bytes: escaped }
  const out = new Uint8Array(escaped.length)
  let o = 0
  for (let i = 0; i < escaped.length; i++) {
    const b = escaped[i] as number
    if (b === ESCAPE) {
      const next = escaped[i + 1]
      if (next === 0x01) out[o++] = ESCAPE
      else if (next === 0x02) out[o++] = FRAME_FLAG
      else {
        return {
          ok: false,
          code: 'ERR_CODEC_ESCAPE',
          offset: base + i,
          message:
            next === undefined
              ? '0x7D 位于帧末 / 0x7D at the end of the frame'
              : `0x7D 后应为 01 或 02，得到 ${next.toString(16).padStart(2, '0')} / 0x7D must be followed by 01 or 02`,
        }
      }
      i++
    } else if (b === FRAME_FLAG) {
      return {
        ok: false,
        code: 'ERR_CODEC_DELIMITER',
        offset: base + i,
        message: '帧内出现 0x7E / 0x7E inside a frame',
      }
    } else out[o++] = b
  }
  return { ok: true, bytes: out.subarray(0, o) }
}
