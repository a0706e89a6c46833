/**
 * The exchange interface's request signature (STANDARDS §3.1), pure and synchronous.
 *
 * sign = uppercase hex of RSA PKCS#1 v1.5 private-key encryption (block type 1) of
 *        SHA-256( signed data ‖ BE64(ts) )
 *
 * - POST with a JSON body: the signed data is the UTF-8 bytes of the body exactly as sent.
 * - GET / DELETE: the concatenation of the key values of the path (e.g. `coachnum`, or
 *   `stunum + subject`), UTF-8.
 * - `imageup/{type}` (multipart): the file bytes followed by the text fields as `name=value`
 *   joined by `&` in name order (a local decision: the national detail is UNCERTAIN).
 *
 * BE64(ts) is the 13-digit millisecond timestamp as an 8-byte big-endian integer.
 *
 * "Private-encrypt of the digest" is read literally: the 32 raw digest bytes are padded and
 * encrypted (`crypto.privateEncrypt`), with no ASN.1 DigestInfo around them. A platform that signs
 * with a library's SHA256withRSA (`crypto.sign('sha256')`) produces the same padding with the
 * DigestInfo prefix; verification recovers the padded payload with the public key and accepts
 * either form, so both kinds of clients interoperate.
 */
import crypto from 'node:crypto'

/** DER prefix of a DigestInfo holding a SHA-256 digest (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex')

/** How a signature was formed: the raw digest (the spec's wording) or a DigestInfo (SHA256withRSA). */
export type SignatureForm = 'raw-digest' | 'digest-info'

/** The 8 big-endian bytes of a millisecond timestamp. */
export function be64(ts: number | bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(ts))
  return b
}

/** SHA-256 of the signed data followed by BE64(ts). */
export function signedDigest(data: Uint8Array | string, ts: number | bigint): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  return crypto.createHash('sha256').update(bytes).update(be64(ts)).digest()
}

/** The signed data of a GET/DELETE: the key values concatenated in path order. */
export function keyValuesData(values: readonly (string | number)[]): string {
  return values.map(String).join('')
}

/** The signed data of a multipart upload: file bytes, then `name=value&…` of the text fields in name order. */
export function uploadData(file: Uint8Array, fields: Readonly<Record<string, string>>): Buffer {
  const text = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')
  return Buffer.concat([file, Buffer.from(text, 'utf8')])
}

/**
 * Signs `data` for timestamp `ts` with a private key (PEM or KeyObject). `form` 'digest-info'
 * produces what SHA256withRSA produces; the default is the specification's raw digest.
 */
export function signExchange(
  data: Uint8Array | string,
  ts: number | bigint,
  privateKey: crypto.KeyLike,
  form: SignatureForm = 'raw-digest',
): string {
  const digest = signedDigest(data, ts)
  const payload = form === 'raw-digest' ? digest : Buffer.concat([SHA256_DIGEST_INFO, digest])
  return crypto
    .privateEncrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_PADDING }, payload)
    .toString('hex')
    .toUpperCase()
}

/**
 * Verifies `sign` (hex, any case) over `data` and `ts` with a public key (PEM, certificate PEM or
 * KeyObject). Returns the form that matched, or null when the signature is not valid.
 */
export function verifyExchange(
  data: Uint8Array | string,
  ts: number | bigint,
  sign: string,
  publicKey: crypto.KeyLike,
): SignatureForm | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(sign)) return null
  let payload: Buffer
  try {
    payload = crypto.publicDecrypt(
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING },
      Buffer.from(sign, 'hex'),
    )
  } catch {
    return null
  }
  const digest = signedDigest(data, ts)
  if (payload.length === 32 && crypto.timingSafeEqual(payload, digest)) return 'raw-digest'
  if (
    payload.length === SHA256_DIGEST_INFO.length + 32 &&
    payload.subarray(0, SHA256_DIGEST_INFO.length).equals(SHA256_DIGEST_INFO) &&
    crypto.timingSafeEqual(payload.subarray(SHA256_DIGEST_INFO.length), digest)
  ) {
    return 'digest-info'
  }
  return null
}

/** The stored form of a sign parameter: sha256 hex of its uppercase text (the replay key). */
export function signDigest(sign: string): string {
  return crypto.createHash('sha256').update(sign.toUpperCase()).digest('hex')
}
