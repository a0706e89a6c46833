/**
 * The terminal's credentials: the PKCS#12 of 0x8100 (Base64, protected by the 终端证书口令) opened
 * with node-forge, and the 0x0102 鉴权密文 made with its private key (STANDARDS §2.3).
 */
import { constants, createHash, createPrivateKey, type KeyObject, privateEncrypt, X509Certificate } from 'node:crypto'
import forge from 'node-forge'

export interface TerminalCredentials {
  /** The private key, for 0x0102 and the 校验串 of 驾培 uplinks. */
  privateKey: KeyObject
  /** The terminal certificate (its public key is what the platform verifies against). */
  certificate: X509Certificate
  /** 计时终端编号 the platform assigned in 0x8100. */
  terminalNo: string
  platformNo: string
  institutionNo: string
}

// PKCS#12 bag types (RFC 7292 §4.2).
const KEY_BAG = '1.2.840.113549.1.12.10.1.1'
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2'
const CERT_BAG = '1.2.840.113549.1.12.10.1.3'

/** Opens a Base64 PKCS#12 with its password; throws when the password is wrong or no key is inside. */
export function openPkcs12(base64: string, password: string): { privateKey: KeyObject; certificate: X509Certificate } {
  const der = forge.util.decode64(base64)
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, password)
  const bags = (oid: string) => p12.getBags({ bagType: oid })[oid] ?? []
  const keyBags = [...bags(SHROUDED_KEY_BAG), ...bags(KEY_BAG)]
  const key = keyBags.find((b) => b.key)?.key
  if (!key) throw new Error('PKCS#12 中没有私钥 / no private key in the PKCS#12')
  const cert = bags(CERT_BAG).find((b) => b.cert)?.cert
  if (!cert) throw new Error('PKCS#12 中没有证书 / no certificate in the PKCS#12')
  return {
    privateKey: createPrivateKey(forge.pki.privateKeyToPem(key as forge.pki.rsa.PrivateKey)),
    certificate: new X509Certificate(forge.pki.certificateToPem(cert)),
  }
}

/**
 * 鉴权密文: RSA PKCS#1 v1.5 private-key encryption of SHA-256(计时终端编号 as 16 ASCII bytes ‖
 * BE32 timestamp). Not a DigestInfo signature (STANDARDS §2.3).
 */
export function authCiphertext(terminalNo: string, timestamp: number, privateKey: KeyObject): Uint8Array {
  const input = Buffer.alloc(20)
  input.write(terminalNo.padEnd(16, '\0').slice(0, 16), 0, 'latin1')
  input.writeUInt32BE(timestamp >>> 0, 16)
  const digest = createHash('sha256').update(input).digest()
  return new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digest))
}
