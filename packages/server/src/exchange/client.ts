/**
 * A client of the exchange interface, as a third-party timing platform uses it: opens the PKCS#12
 * the province issued, and builds signed requests (URL with v, ts, sign, user; the exact body
 * bytes that were signed). Used by tests, the demo and simulated platforms; `send` posts with
 * fetch.
 *
 * @example
 * const client = exchangeClient(openExchangeCredential(p12, password))
 * const req = client.post('classrecord', { inscode, stunum, recnum, … })
 * const reply = await client.send('http://127.0.0.1:3000', req)
 */
import crypto from 'node:crypto'
import forge from 'node-forge'
import { openPkcs12 } from '../gateway/credentials.ts'
import { EXCHANGE_BASE, type ExchangeReply } from './gate.ts'
import { keyValuesData, type SignatureForm, signExchange, uploadData } from './signature.ts'

export interface ExchangeIdentity {
  /** The `user` parameter: the certificate serial number. */
  certSn: string
  privateKeyPem: string
}

export interface SignedRequest {
  method: 'POST' | 'GET' | 'DELETE'
  /** Path and query, e.g. `/exchange/classrecord?v=1.0.0.e1&ts=…&sign=…&user=…`. */
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
}

/** The private key and certificate serial inside an issued PKCS#12. */
export function openExchangeCredential(pkcs12Base64: string, password: string): ExchangeIdentity {
  const { privateKeyPem, certPem } = openPkcs12(pkcs12Base64, password)
  const serial = forge.pki.certificateFromPem(certPem).serialNumber.replace(/^0+/, '').toUpperCase()
  return { certSn: serial, privateKeyPem }
}

export interface ExchangeClientOptions {
  /** `v` parameter; default 1.0.0.e1 (STANDARDS §3.1). */
  version?: string
  /** Base path; default /exchange/. */
  base?: string
  form?: SignatureForm
  /** Clock in ms (tests). */
  now?: () => number
}

export function exchangeClient(identity: ExchangeIdentity, options: ExchangeClientOptions = {}) {
  const version = options.version ?? '1.0.0.e1'
  const base = options.base ?? EXCHANGE_BASE
  const now = options.now ?? Date.now
  const key = crypto.createPrivateKey(identity.privateKeyPem)
  const url = (path: string, ts: number, sign: string) =>
    `${base}${path}?v=${encodeURIComponent(version)}&ts=${ts}&sign=${sign}&user=${encodeURIComponent(identity.certSn)}`

  return {
    identity,
    /** A signed JSON POST of `service`. */
    post(service: string, body: unknown, ts: number = now()): SignedRequest {
      const payload = JSON.stringify(body)
      const sign = signExchange(payload, ts, key, options.form)
      return {
        method: 'POST',
        url: url(service, ts, sign),
        headers: { 'content-type': 'application/json; charset=utf-8' },
        payload,
      }
    },
    /** A signed GET/DELETE of a path such as `student-{stunum}`, signing the key values in order. */
    keyed(method: 'GET' | 'DELETE', path: string, keyValues: readonly (string | number)[], ts: number = now()) {
      const sign = signExchange(keyValuesData(keyValues), ts, key, options.form)
      return { method, url: url(path, ts, sign), headers: {} } satisfies SignedRequest
    },
    /** A signed multipart `imageup/{type}` with the file in field `file`. */
    upload(type: string, file: Uint8Array, fields: Record<string, string>, ts: number = now()): SignedRequest {
      const sign = signExchange(uploadData(file, fields), ts, key, options.form)
      const boundary = `----jiapei${crypto.randomBytes(8).toString('hex')}`
      const parts: Buffer[] = []
      for (const [name, value] of Object.entries(fields)) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
      }
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${type}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.from(file),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      )
      return {
        method: 'POST',
        url: url(`imageup/${type}`, ts, sign),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat(parts),
      }
    },
    /** Sends a signed request to `origin` (e.g. http://127.0.0.1:3000) and returns the reply. */
    async send(origin: string, request: SignedRequest): Promise<ExchangeReply> {
      const res = await fetch(new URL(request.url, origin), {
        method: request.method,
        headers: request.headers,
        body: request.payload === undefined ? undefined : new Uint8Array(Buffer.from(request.payload)),
      })
      return (await res.json()) as ExchangeReply
    },
  }
}

export type ExchangeClient = ReturnType<typeof exchangeClient>
