/**
 * Text encodings of JT/T 808 fields: STRING fields are GBK; numbers such as terminal, coach and
 * student numbers are ASCII. ASCII fields are read byte-for-character (latin1) so that any byte
 * sequence decodes and re-encodes unchanged.
 */
import iconv from 'iconv-lite'

export function decodeGbk(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gbk')
}

export function encodeGbk(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gbk'))
}

/** True when every character survives a GBK round trip (no replacement characters). */
export function isGbkEncodable(text: string): boolean {
  return decodeGbk(encodeGbk(text)) === text
}

export function decodeLatin1(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += String.fromCharCode(b)
  return out
}
