/**
 * 接入证书 of third-party timing platforms. The platform CA (the same one that certifies timing
 * terminals, gateway/credentials.ts) issues each platform an RSA-2048 key pair and a certificate
 * whose serial number is the `user` parameter of every exchange request (11 uppercase hex
 * characters, like the national interface's `1588B949DF9`). The PKCS#12 with the private key and
 * its password are returned once; only the certificate and its public key are kept.
 */
import crypto from 'node:crypto'
import { promisify } from 'node:util'
import forge from 'node-forge'
import type { Sql } from '../db/client.ts'
import { appError } from '../errors/catalogue.ts'
import { platformCa, randomPassword } from '../gateway/credentials.ts'

const generateKeyPair = promisify(crypto.generateKeyPair)

export interface ExchangeCredentialRow {
  id: number
  timingPlatformId: number
  certSn: string
  issuedAt: Date
  revokedAt: Date | null
}

export interface IssuedExchangeCredential extends ExchangeCredentialRow {
  certPem: string
  /** PKCS#12 (Base64) holding the private key, the certificate and the CA certificate. */
  pkcs12Base64: string
  password: string
}

/** A fresh certificate serial: 11 uppercase hex characters, first one 1–F. */
export function newCertSn(): string {
  for (;;) {
    const sn = crypto.randomBytes(6).toString('hex').slice(0, 11).toUpperCase()
    if (sn[0] !== '0') return sn
  }
}

const COLUMNS = `id, timing_platform_id AS "timingPlatformId", cert_sn AS "certSn", issued_at AS "issuedAt", revoked_at AS "revokedAt"`

async function platformOf(q: Sql, platformId: number): Promise<{ id: number; platformNo: string; name: string }> {
  const [row] = await q.query<{ id: number; platformNo: string; name: string }>(
    `SELECT id, platform_no AS "platformNo", name FROM timing_platform WHERE id = $1`,
    [platformId],
  )
  if (!row) throw appError('ERR_EXCHANGE_PLATFORM_NOT_FOUND', { id: platformId })
  return row
}

export async function listExchangeCredentials(q: Sql, platformId: number): Promise<ExchangeCredentialRow[]> {
  await platformOf(q, platformId)
  return q.query<ExchangeCredentialRow>(
    `SELECT ${COLUMNS} FROM exchange_credential WHERE timing_platform_id = $1 ORDER BY id`,
    [platformId],
  )
}

/** Issues a new credential for a platform (earlier ones stay valid until revoked). */
export async function issueExchangeCredential(q: Sql, platformId: number): Promise<IssuedExchangeCredential> {
  const platform = await platformOf(q, platformId)
  const ca = await platformCa(q)
  const { publicKey, privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  })
  const caCert = forge.pki.certificateFromPem(ca.certPem)
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem)
  for (let attempt = 0; ; attempt++) {
    const certSn = newCertSn()
    const cert = forge.pki.createCertificate()
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey)
    // A leading 0 keeps the DER integer positive.
    cert.serialNumber = `0${certSn}`
    cert.validity.notBefore = new Date(Date.now() - 60_000)
    cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000)
    cert.setSubject([
      { name: 'commonName', value: platform.platformNo },
      // forge writes binary strings: a Chinese name goes in as UTF-8 bytes of a UTF8String.
      {
        name: 'organizationName',
        value: forge.util.encodeUtf8(platform.name),
        valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
      },
      { name: 'organizationalUnitName', value: 'Timing Platform' },
      { name: 'countryName', value: 'CN' },
    ])
    cert.setIssuer(caCert.subject.attributes)
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ])
    cert.sign(caKey, forge.md.sha256.create())
    const certPem = forge.pki.certificateToPem(cert)
    const rows = await q.query<ExchangeCredentialRow>(
      `INSERT INTO exchange_credential (timing_platform_id, cert_sn, cert_pem, public_key_pem)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [platformId, certSn, certPem, publicKey],
    )
    const row = rows[0]
    if (!row) {
      if (attempt < 5) continue
      throw new Error('could not draw an unused certificate serial')
    }
    const password = randomPassword()
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(privateKey), [cert, caCert], password, {
      algorithm: '3des',
      friendlyName: certSn,
    })
    return { ...row, certPem, password, pkcs12Base64: forge.util.encode64(forge.asn1.toDer(p12).getBytes()) }
  }
}

/** Revokes a credential: requests signed with it are refused from now on. */
export async function revokeExchangeCredential(
  q: Sql,
  platformId: number,
  credentialId: number,
): Promise<ExchangeCredentialRow> {
  await platformOf(q, platformId)
  const [row] = await q.query<ExchangeCredentialRow>(
    `UPDATE exchange_credential SET revoked_at = COALESCE(revoked_at, now())
      WHERE id = $1 AND timing_platform_id = $2 RETURNING ${COLUMNS}`,
    [credentialId, platformId],
  )
  if (!row) throw appError('ERR_EXCHANGE_CREDENTIAL_NOT_FOUND', { platformId, id: credentialId })
  return row
}

export interface CallerCredential {
  credentialId: number
  certSn: string
  publicKeyPem: string
  revoked: boolean
  platform: { id: number; platformNo: string; name: string; status: string }
}

/** The credential behind a `user` parameter, with its platform; undefined when unknown. */
export async function credentialBySn(q: Sql, certSn: string): Promise<CallerCredential | undefined> {
  const [row] = await q.query<{
    id: number
    certSn: string
    publicKeyPem: string
    revokedAt: Date | null
    platformId: number
    platformNo: string
    name: string
    status: string
  }>(
    `SELECT c.id, c.cert_sn AS "certSn", c.public_key_pem AS "publicKeyPem", c.revoked_at AS "revokedAt",
            p.id AS "platformId", p.platform_no AS "platformNo", p.name, p.status
       FROM exchange_credential c JOIN timing_platform p ON p.id = c.timing_platform_id
      WHERE c.cert_sn = $1`,
    [certSn.toUpperCase()],
  )
  if (!row) return undefined
  return {
    credentialId: row.id,
    certSn: row.certSn,
    publicKeyPem: row.publicKeyPem,
    revoked: row.revokedAt !== null,
    platform: { id: row.platformId, platformNo: row.platformNo, name: row.name, status: row.status },
  }
}
