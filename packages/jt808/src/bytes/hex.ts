/** Hex text ↔ bytes. Parsing is lenient about spaces, `0x` prefixes and case. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Lower-case hex without separators. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = ''
  for (let i = start; i < end; i++) out += HEX[bytes[i] as number]
  return out
}

/** Upper-case hex with a space between bytes, for dumps. */
export function toSpacedHex(bytes: Uint8Array): string {
  const parts: string[] = []
  for (const b of bytes) parts.push((HEX[b] as string).toUpperCase())
  return parts.join(' ')
}

/**
 * Parses hex text: whitespace, `:`/`-` separators and `0x` prefixes are ignored.
 * Returns undefined when a character is not hex or the digit count is odd.
 */
export function parseHex(text: string): Uint8Array | undefined {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '')
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** Hex → bytes for fixtures and constants; throws on invalid text. */
export function hex(text: string): Uint8Array {
  const bytes = parseHex(text)
  if (!bytes) throw new Error(`invalid hex: ${text}`)
  return bytes
}
