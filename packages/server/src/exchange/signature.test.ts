/**
 * The exchange signature (STANDARDS §3.1) with a fixed key: the pinned vector guards the signed
 * byte layout (body ‖ BE64(ts), SHA-256, PKCS#1 v1.5 private encryption, uppercase hex).
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { describe, test } from 'node:test'
import { be64, keyValuesData, signDigest, signExchange, uploadData, verifyExchange } from './signature.ts'

const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA2wv0pIlo3fLff1Fp+ZCM+98uh/Zoor+kM/CPboFgkzxynxOq
MQlUAG0NGsnl/jQ3PrWa0wkangev6+pSaXkR0eMy9tBdp28s01BLvazlvdA9tgCK
ouaSCOwYd+q7J9cB7Fe2Nq2B4s8mipeNORfwQAU292p9P9wYG7bfgG1Wz5NgPksO
se3i2thzuOpohxYHUK3n+PPrR5h6eqBW7/Gk2SguBfCNCYtmvQLNq8LKUUyFYMt9
7yoTptwWQf+Xp+5SZBc5188wHLrsfVb59Z6gA1lRI6rxsjQ6Tk5lPL0r9xyzMOhs
FitU2DIUp2l0xCkiHHb7EC7ldrhr35AK/Ar2kQIDAQABAoIBAAONYgU3UoFbcIUP
PiCJR+UHh3jWXdfqU1SRjZTrYZRfsATtB+b5zZBAdHyDStDcmksAvVMX8CPhEGj7
NMUPvOKOTH+4zTUDejrOz/yiaLsjXPXWNElcI4EEKakrsAdvTuFdIogIWC10Qi3w
E17qOMfkAcJBSojSJhywcndR5p0RAUbm8Cuv3926PRo00bYij6YqWcoBAhoy1Ryt
MxWLm1ey4Ngo56y1vUHNP2+2zGqQDrdF7wo+qWAHkS8uKl4YF+4xOKS1WYjR/V8t
PFs//bJn8o4Ay5lC8pm2GsUqaWiV7CQB2OqQTZ6/yZHikYIMQETof4dHMzN7Ia0b
XmIJfSECgYEA+e4TvLCZK1+ay7DIb5GTyrdQDaRxDGnujaF/ut4S5FUZv/4qkG2Z
Zce31Bk7Ki1OWEYg7dM3k8JQbNoE9s6LqUm1LUNC3reBM3aZFzLaSn0AyBqvCyJc
AugVF5xjAim8VrP6lirHE+60h4x6wGKu5M5tWixTPG1cmSrFi8n1+bECgYEA4F3d
IIGdFeDFxidf2c61Ryhp3LavQWRqk6YQJxF6Vgmr0CkqCHHA533GXRN5bY+nNxDY
SG/2YoVPcBRjVcz5kzC3oLeoGFQSnD9V3fJj/63ndMTLKPu2lojvYCNuomsv7AS8
1kHPquW/xh6tg8WxQx9lGWTo1oCdYJEKgrYBIuECgYEAjRc2sy2quk6Vb2nULQ+s
tCK6IYl0fEKM9g12swJM/fOAvt74HmKQ12FgyG6Z9NxwvuqQClJTrKlkh56ocL/3
HdFLY0r2RA6p9Gh+UhdWHfjlaRGPQaTa9pUX2yVgy0bOWM/vpbhufDUkWuUWIudS
vj4+g0pEjvdZ7+mybZDMuHECgYAQLDPoR+9+yDj5U5VBKfk/K9aVpkVzvT1Bb1Ly
vfvHf+L2mkEBYtG43gQSaXjzQMuY2In+jrN/3oQfXBjc8m17AqP53cMsHcNJp/cU
jIhQwcRRUm4igiJjL3OxxlwPMRK/PIgwGYZSl0T/ju6K9REV+YlcDz4JWDP/5fSP
/3aNgQKBgQD33DyzxeOHkzj1Pr9N0IN6x3Ez5fp1cCm9bvzmZxoWZpJcw5/4nMT7
QiZoH6a4/FbbgtYcg7TL0GNdmVTtATfrBK03Y/7SlQKfT+QDYqMLRIDJGDIqlmr/
WGhmZgzR876ic1R665stwhNN6/mKOeR+n/uqPqOsxct/Qz/LWGd1vA==
-----END RSA PRIVATE KEY-----
`
const PUBLIC_KEY = crypto.createPublicKey(PRIVATE_KEY).export({ type: 'spki', format: 'pem' }) as string
const OTHER = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })

const BODY = '{"inscode":"3301060000000001","stunum":"3301060000000101"}'
const TS = 1700000000000
/** sign of BODY at TS with PRIVATE_KEY, computed once from the definition and pinned. */
const VECTOR =
  '8B254B396170B3F68F9E37067C0F94B91E25E73655E3D7CA878E30A8B617ECE749005998867DDA0B45DC75D847DD9C09ED6B713055B1412945F55D2CD3AC389E8E0C641BAEF468006C4A21B267898449D6D9D08BB86C6E68A2014E82CC5B2C7EE982CBDD9AF28BCA7A52E76495B2F27CF26155654A461E848194B2FFD4C5EF4BE64282BBB15EABB819F05EF1194A48E3E41F12037151B5606B8A25391170B753BB299176FA0C3BE2B83B642E4E15BC1C62CCB2952F9FCE7283E0B92677F85ECE6DD00F9284AF221D917044EFF5A9AF1A7F35E9A0377DA5C0F69E143D7DB703CD3778E4452C208E1057499DD5795B29265F3589DE8A4FADF1D680B0E44215958C'

describe('exchange signature', () => {
  test('BE64 of a millisecond timestamp is 8 big-endian bytes', () => {
    assert.equal(be64(TS).toString('hex'), '0000018bcfe56800')
    assert.equal(be64(0).length, 8)
  })

  test('the pinned vector: same key, body and timestamp give the same sign', () => {
    assert.equal(signExchange(BODY, TS, PRIVATE_KEY), VECTOR)
    assert.match(VECTOR, /^[0-9A-F]{512}$/)
  })

  test('a signature is accepted in the raw-digest form the specification describes, in any case', () => {
    assert.equal(verifyExchange(BODY, TS, VECTOR, PUBLIC_KEY), 'raw-digest')
    assert.equal(verifyExchange(BODY, TS, VECTOR.toLowerCase(), PUBLIC_KEY), 'raw-digest')
  })

  test('a SHA256withRSA signature (DigestInfo inside) is accepted too', () => {
    const data = Buffer.concat([Buffer.from(BODY, 'utf8'), be64(TS)])
    const javaStyle = crypto.sign('sha256', data, PRIVATE_KEY).toString('hex').toUpperCase()
    assert.equal(verifyExchange(BODY, TS, javaStyle, PUBLIC_KEY), 'digest-info')
    assert.equal(signExchange(BODY, TS, PRIVATE_KEY, 'digest-info'), javaStyle)
  })

  const refusals: [string, () => string | null][] = [
    ['a changed body', () => verifyExchange(BODY.replace('0101', '0102'), TS, VECTOR, PUBLIC_KEY)],
    ['a changed timestamp', () => verifyExchange(BODY, TS + 1, VECTOR, PUBLIC_KEY)],
    ["another platform's key", () => verifyExchange(BODY, TS, signExchange(BODY, TS, OTHER.privateKey), PUBLIC_KEY)],
    ['a truncated sign', () => verifyExchange(BODY, TS, VECTOR.slice(0, 256), PUBLIC_KEY)],
    ['a sign that is not hex', () => verifyExchange(BODY, TS, 'XYZ', PUBLIC_KEY)],
    ['an empty sign', () => verifyExchange(BODY, TS, '', PUBLIC_KEY)],
  ]
  for (const [name, run] of refusals) {
    test(`refused: ${name}`, () => assert.equal(run(), null))
  }

  test('GET/DELETE sign the key values in path order', () => {
    assert.equal(keyValuesData(['3301060000000101', 2]), '33010600000001012')
    const sign = signExchange(keyValuesData(['3301060000000101', 2]), TS, PRIVATE_KEY)
    assert.equal(verifyExchange('33010600000001012', TS, sign, PUBLIC_KEY), 'raw-digest')
    assert.equal(verifyExchange('33010600000001013', TS, sign, PUBLIC_KEY), null)
  })

  test('uploads sign the file bytes and the text fields in name order', () => {
    const file = Buffer.from([0xff, 0xd8, 0xff])
    const a = uploadData(file, { stunum: 'S', recnum: 'R' })
    const b = uploadData(file, { recnum: 'R', stunum: 'S' })
    assert.deepEqual(a, b)
    assert.equal(a.subarray(3).toString('utf8'), 'recnum=R&stunum=S')
  })

  test('the replay key does not depend on the case of the sign', () => {
    assert.equal(signDigest(VECTOR), signDigest(VECTOR.toLowerCase()))
    assert.match(signDigest(VECTOR), /^[0-9a-f]{64}$/)
  })
})
