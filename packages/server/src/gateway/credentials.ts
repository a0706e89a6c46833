/**
 * Terminal certificates (STANDARDS §2.3): the platform is the CA. Registration issues each
 * terminal an RSA-2048 key pair, a certificate signed by the platform CA and a PKCS#12 (.pfx)
 * protected by a random 12-character password; the 0x8100 answer carries the password and the
 * Base64 PKCS#12. Only the certificate and its public key are kept (terminal_credential); the
 * private key leaves the platform inside the PKCS#12 and is not stored.
 *
 * node:crypto makes the keys (fast, native); node-forge writes the X.509 certificates and the
 * PKCS#12, which node:crypto cannot.
 */
import crypto from 'node:crypto'
import { promisify } from 'node:util'
import forge from 'node-forge'
import type { Sql } from '../db/client.ts'

const generateKeyPair = promisify(crypto.generateKeyPair)

export interface PlatformCa {
  id: number
  certPem: string
  keyPem: string
}

export interface IssuedCredential {
  /** Certificate serial number (hex). */
  serialNo: string
  certPem: string
  publicKeyPem: string
  /** 终端证书口令: 12 characters. */
  password: string
  /** 终端证书: Base64 of the PKCS#12 holding the key, the certificate and the CA certificate. */
  pkcs12Base64: string
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'

/** A random 12-character password (BYTE[12] of the 0x8100 answer). */
export function randomPassword(length = 12): string {
  const bytes = crypto.randomBytes(length * 2)
  let out = ''
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i] as number
    // Rejection sampling keeps the distribution uniform over the alphabet.
    if (b < 256 - (256 % PASSWORD_ALPHABET.length)) out += PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]
  }
  return out.length === length ? out : randomPassword(length)
}

async function rsaKeyPair(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  })
  return { publicKeyPem: publicKey, privateKeyPem: privateKey }
}

function randomSerial(): string {
  // Positive (first bit clear), 16 bytes.
  const b = crypto.randomBytes(16)
  b[0] = (b[0] as number) & 0x7f
  return b.toString('hex')
}

let caCreation: Promise<PlatformCa> | undefined

/**
 * The active platform CA, created on first use (RSA-2048, self-signed, 20 years). When two
 * processes race to create it, both keep the row with the lowest id.
 */
export async function platformCa(sql: Sql): Promise<PlatformCa> {
  const existing = await activeCa(sql)
  if (existing) return existing
  caCreation ??= createCa(sql).finally(() => {
    caCreation = undefined
  })
  return caCreation
}

async function activeCa(sql: Sql): Promise<PlatformCa | undefined> {
  const rows = await sql.query<{ id: number; cert_pem: string; key_pem: string }>(
    'select id, cert_pem, key_pem from platform_ca where retired_at is null order by id limit 1',
  )
  const row = rows[0]
  return row ? { id: row.id, certPem: row.cert_pem, keyPem: row.key_pem } : undefined
}

async function createCa(sql: Sql): Promise<PlatformCa> {
  const { publicKeyPem, privateKeyPem } = await rsaKeyPair()
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem)
  cert.serialNumber = randomSerial()
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 20 * 365 * 86_400_000)
  const subject = [
    { name: 'commonName', value: 'Jiapei Platform CA' },
    { name: 'organizationName', value: 'Jiapei' },
    { name: 'countryName', value: 'CN' },
  ]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  const key = forge.pki.privateKeyFromPem(privateKeyPem)
  cert.sign(key, forge.md.sha256.create())
  const keyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)))
  await sql.query('insert into platform_ca (cert_pem, key_pem) values ($1, $2)', [
    forge.pki.certificateToPem(cert),
    keyPem,
  ])
  return (await activeCa(sql)) as PlatformCa
}

/**
 * Issues a certificate for a terminal (common name = 计时终端编号) signed by the CA, with its
 * PKCS#12. Valid for 10 years.
 */
export async function issueTerminalCertificate(ca: PlatformCa, deviceNo: string): Promise<IssuedCredential> {
  const { publicKeyPem, privateKeyPem } = await rsaKeyPair()
  const caCert = forge.pki.certificateFromPem(ca.certPem)
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem)
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem)
  cert.serialNumber = randomSerial()
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000)
  cert.setSubject([
    { name: 'commonName', value: deviceNo },
    { name: 'organizationalUnitName', value: 'Timing Terminal' },
    { name: 'countryName', value: 'CN' },
  ])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  ])
  cert.sign(caKey, forge.md.sha256.create())
  const password = randomPassword()
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(privateKeyPem), [cert, caCert], password, {
    algorithm: '3des',
    friendlyName: deviceNo,
  })
  return {
    serialNo: cert.serialNumber,
    certPem: forge.pki.certificateToPem(cert),
    publicKeyPem,
    password,
    pkcs12Base64: forge.util.encode64(forge.asn1.toDer(p12).getBytes()),
  }
}

/** Opens a PKCS#12 (Base64) with its password: the private key PEM and the certificate PEM. */
export function openPkcs12(pkcs12Base64: string, password: string): { privateKeyPem: string; certPem: string } {
  const der = forge.util.decode64(pkcs12Base64)
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password)
  const keyOid = forge.pki.oids.pkcs8ShroudedKeyBag as string
  const certOid = forge.pki.oids.certBag as string
  const keyBag = p12.getBags({ bagType: keyOid })[keyOid]?.[0]
  const certBags: forge.pkcs12.Bag[] = p12.getBags({ bagType: certOid })[certOid] ?? []
  if (!keyBag?.key) throw new Error('PKCS#12 has no private key')
  const own = certBags.find(
    (b) =>
      b.cert && !b.cert.extensions.some((e: { name: string; cA?: boolean }) => e.name === 'basicConstraints' && e.cA),
  )
  if (!own?.cert) throw new Error('PKCS#12 has no terminal certificate')
  return { privateKeyPem: forge.pki.privateKeyToPem(keyBag.key), certPem: forge.pki.certificateToPem(own.cert) }
}
