/**
 * 0x0102 终端鉴权 → 0x8001 (STANDARDS §2.3). The pipeline: find the terminal of the header phone
 * (active), load its current certificate key, check the timestamp window, open the 鉴权密文 with
 * the public key (RSA PKCS#1 v1.5 public-decrypt) and compare it with SHA-256(计时终端编号 16 ASCII
 * ‖ BE32 时间戳), then bind the session (evicting an older session of the same terminal).
 * Only the 驾培 form is accepted: the 808 鉴权码 forms carry no signature.
 */
import crypto from 'node:crypto'
import { currentPublicKeyObject, normalizePhone, terminalByPhone } from '../registry.ts'
import { failureReply, generalReply, type Handler, type HandlerContext, type Uplink } from './types.ts'

/** SHA-256(ASCII 计时终端编号 ‖ BE32 时间戳): what the terminal encrypts with its private key. */
export function authDigest(deviceNo: string, timestamp: number): Buffer {
  const ts = Buffer.alloc(4)
  ts.writeUInt32BE(timestamp >>> 0)
  return crypto
    .createHash('sha256')
    .update(Buffer.concat([Buffer.from(deviceNo.padEnd(16, '\u0000').slice(0, 16), 'latin1'), ts]))
    .digest()
}

/** The 鉴权密文 a terminal sends (used by simulators and tests). */
export function signAuth(privateKeyPem: string, deviceNo: string, timestamp: number): Uint8Array {
  return new Uint8Array(
    crypto.privateEncrypt(
      { key: privateKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
      authDigest(deviceNo, timestamp),
    ),
  )
}

function refused(ctx: HandlerContext, up: Uplink, reason: string) {
  ctx.count('authenticationsRefused')
  ctx.logger.info({ phone: up.header.phone, reason }, '终端鉴权被拒绝')
  return { reply: failureReply(up) }
}

type Step = (ctx: HandlerContext, up: Uplink, state: AuthState) => Promise<string | undefined> | string | undefined

interface AuthState {
  timestamp: number
  ciphertext: Uint8Array
  terminal?: Awaited<ReturnType<typeof terminalByPhone>>
  key?: crypto.KeyObject
}

const checkRegistered: Step = async (ctx, up, s) => {
  s.terminal = await terminalByPhone(ctx.database, up.header.phone)
  if (!s.terminal) return 'unknown phone'
  if (s.terminal.status !== 'active') return `terminal ${s.terminal.status}`
  s.key = await currentPublicKeyObject(ctx.database, s.terminal.id)
  if (!s.key) return 'no certificate issued'
  return undefined
}

const checkTimestamp: Step = (ctx, _up, s) => {
  const skew = Math.abs(ctx.now() / 1000 - s.timestamp)
  return skew > ctx.limits.authWindowSeconds ? `timestamp off by ${Math.round(skew)} s` : undefined
}

const verifyToken: Step = (_ctx, _up, s) => {
  if (!s.terminal || !s.key) return 'no key'
  let recovered: Buffer
  try {
    recovered = crypto.publicDecrypt({ key: s.key, padding: crypto.constants.RSA_PKCS1_PADDING }, s.ciphertext)
  } catch {
    return 'ciphertext does not open with the certificate key'
  }
  const expected = authDigest(s.terminal.deviceNo, s.timestamp)
  if (recovered.length !== expected.length || !crypto.timingSafeEqual(recovered, expected)) return 'digest differs'
  return undefined
}

const bindSession: Step = (ctx, up, s) => {
  if (!s.terminal || !s.key) return 'no key'
  ctx.bind({ ...s.terminal, publicKey: s.key }, normalizePhone(up.header.phone))
  ctx.count('authentications')
  return undefined
}

export const AUTH_PIPELINE: readonly Step[] = [checkRegistered, checkTimestamp, verifyToken, bindSession]

export const handle0x0102: Handler = async (ctx, up) => {
  const body = up.body as { timestamp?: number; ciphertext?: Uint8Array }
  if (up.header.version !== 'jiapei' || body.timestamp === undefined || !body.ciphertext) {
    return refused(ctx, up, 'not the signed 驾培 form')
  }
  const state: AuthState = { timestamp: body.timestamp, ciphertext: body.ciphertext }
  for (const step of AUTH_PIPELINE) {
    const problem = await step(ctx, up, state)
    if (problem) return refused(ctx, up, problem)
  }
  const reply = generalReply(up)
  return {
    reply: (ok) => {
      // Answered 失败 because the sink failed: the terminal will authenticate again.
      if (!ok) ctx.unbind()
      return reply(ok)
    },
  }
}
