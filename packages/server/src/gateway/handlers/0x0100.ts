/**
 * 0x0100 终端注册 → 0x8100 终端注册应答 (STANDARDS §2.3). The terminal is looked up by its header
 * phone, else by its IMEI; the result comes from the registry:
 *
 * | 结果 | when |
 * |------|------|
 * | 4 数据库中无该终端 | neither the phone nor the IMEI is a registered terminal, or the terminal is banned or retired |
 * | 3 终端已被注册 | the phone and the IMEI belong to different terminals (the number is bound to another device) |
 * | 2 数据库中无该车辆 | the reported plate is not a registered vehicle, or the terminal has no vehicle |
 * | 1 车辆已被注册 | the reported plate belongs to a vehicle bound to another terminal |
 * | 0 成功 | a certificate is issued (PKCS#12) and its public key stored; earlier ones are revoked |
 *
 * Re-registration of the same device is allowed and replaces its certificate (a terminal that lost
 * its key store must be able to come back).
 */
import type { TerminalRegister } from '@jiapei/jt808'
import { issueTerminalCertificate, platformCa } from '../credentials.ts'
import {
  normalizePhone,
  type RegistryTerminal,
  storeCredential,
  terminalByImei,
  terminalByPhone,
  vehicleByPlate,
} from '../registry.ts'
import type { Answer, Handler, Uplink } from './types.ts'

export const REGISTER_RESULT = {
  success: 0,
  vehicleTaken: 1,
  vehicleUnknown: 2,
  terminalTaken: 3,
  terminalUnknown: 4,
} as const

function refuse(up: Uplink, result: number): (ok: boolean) => Answer[] {
  // A refusal is an answer of its own; when it could not be kept, say 失败 in general terms.
  return (ok) =>
    ok
      ? [{ msgId: 0x8100, body: { replySerial: up.header.serial, result } }]
      : [{ msgId: 0x8001, body: { replySerial: up.header.serial, replyId: 0x0100, result: 1 } }]
}

async function decide(
  ctx: Parameters<Handler>[0],
  up: Uplink,
  body: TerminalRegister,
): Promise<{ result: number; terminal?: RegistryTerminal; reason: string }> {
  const db = ctx.database
  const phone = normalizePhone(up.header.phone)
  const byPhone = await terminalByPhone(db, phone)
  const imei = body.imei?.trim()
  const byImei = imei ? await terminalByImei(db, imei) : undefined
  const terminal = byPhone ?? byImei
  if (!terminal) return { result: REGISTER_RESULT.terminalUnknown, reason: 'unknown terminal' }
  if (byPhone && byImei && byPhone.id !== byImei.id) {
    return { result: REGISTER_RESULT.terminalTaken, reason: 'phone and IMEI of different terminals' }
  }
  if (terminal.status !== 'active') return { result: REGISTER_RESULT.terminalUnknown, reason: terminal.status }
  const plate = body.plate.split(String.fromCharCode(0)).join('').replace(/\s+/g, '')
  if (plate) {
    const vehicle = await vehicleByPlate(db, plate)
    if (!vehicle) return { result: REGISTER_RESULT.vehicleUnknown, reason: 'unknown plate' }
    if (vehicle.terminalId !== null && vehicle.terminalId !== terminal.id) {
      return { result: REGISTER_RESULT.vehicleTaken, reason: 'vehicle bound to another terminal' }
    }
    if (terminal.vehicleId !== null && terminal.vehicleId !== vehicle.id) {
      return { result: REGISTER_RESULT.vehicleTaken, reason: 'terminal bound to another vehicle' }
    }
  } else if (terminal.vehicleId === null && terminal.status === 'active') {
    return { result: REGISTER_RESULT.vehicleUnknown, reason: 'terminal has no vehicle' }
  }
  return { result: REGISTER_RESULT.success, terminal, reason: 'ok' }
}

export const handle0x0100: Handler = async (ctx, up) => {
  const body = up.body as TerminalRegister
  const decision = await decide(ctx, up, body)
  if (decision.result !== REGISTER_RESULT.success || !decision.terminal) {
    ctx.count('registrationsRefused')
    ctx.logger.info({ phone: up.header.phone, result: decision.result, reason: decision.reason }, '终端注册被拒绝')
    return { reply: refuse(up, decision.result) }
  }
  const terminal = decision.terminal
  const ca = await platformCa(ctx.database)
  const issued = await issueTerminalCertificate(ca, terminal.deviceNo)
  await storeCredential(ctx.database, terminal.id, issued)
  ctx.count('registrations')
  ctx.logger.info({ terminalId: terminal.id, serialNo: issued.serialNo }, '终端注册成功，已签发证书')
  return {
    reply: (ok) =>
      ok
        ? [
            {
              msgId: 0x8100,
              body: {
                replySerial: up.header.serial,
                result: REGISTER_RESULT.success,
                platformNo: terminal.platformNo,
                institutionNo: terminal.insCode,
                terminalNo: terminal.deviceNo,
                certPassword: issued.password,
                certificate: issued.pkcs12Base64,
              },
            },
          ]
        : [{ msgId: 0x8001, body: { replySerial: up.header.serial, replyId: 0x0100, result: 1 } }],
  }
}
