/**
 * Sub-package reassembly (JT/T 808 消息包封装项, STANDARDS §2.2). Packets of one message share the
 * message ID and carry consecutive serials, so the message is keyed by ID + the serial of packet 1
 * (serial − 包序号 + 1). Packets may arrive in any order and twice; the message is complete when
 * every 包序号 1…总包数 is present. A message still incomplete when its last packet (or a lull)
 * shows packets missing gets a 0x8003 补传分包请求; one still incomplete after the timeout is dropped.
 */

export interface PartialMessage {
  msgId: number
  /** 原始消息流水号: the serial of packet 1. */
  firstSerial: number
  total: number
  packets: Map<number, Uint8Array>
  startedAt: number
  lastAt: number
  /** When a 0x8003 was last sent for it (0 = never). */
  resendAt: number
}

export type AddResult =
  | { status: 'invalid' }
  | { status: 'partial'; message: PartialMessage; missing: number[]; lastSeen: boolean }
  | { status: 'complete'; message: PartialMessage; body: Uint8Array }

export class Reassembler {
  private readonly messages = new Map<string, PartialMessage>()

  get size(): number {
    return this.messages.size
  }

  add(msgId: number, serial: number, total: number, index: number, body: Uint8Array, now: number): AddResult {
    if (total < 1 || index < 1 || index > total) return { status: 'invalid' }
    const firstSerial = (serial - index + 1 + 0x10000) & 0xffff
    const key = `${msgId}:${firstSerial}:${total}`
    let message = this.messages.get(key)
    if (!message) {
      message = { msgId, firstSerial, total, packets: new Map(), startedAt: now, lastAt: now, resendAt: 0 }
      this.messages.set(key, message)
    }
    message.packets.set(index, body)
    message.lastAt = now
    if (message.packets.size === total) {
      this.messages.delete(key)
      const parts: Uint8Array[] = []
      for (let i = 1; i <= total; i++) parts.push(message.packets.get(i) as Uint8Array)
      return { status: 'complete', message, body: Buffer.concat(parts) }
    }
    // The last packet arrived but earlier ones did not (or were lost): ask for them now.
    const lastSeen = message.packets.has(total)
    return { status: 'partial', message, missing: missingOf(message), lastSeen }
  }

  /**
   * Messages to ask again for (nothing arrived for `resendAfterMs` and not asked within that time)
   * and messages dropped because they exceeded `timeoutMs`.
   */
  sweep(
    now: number,
    resendAfterMs: number,
    timeoutMs: number,
  ): { resend: PartialMessage[]; expired: PartialMessage[] } {
    const resend: PartialMessage[] = []
    const expired: PartialMessage[] = []
    for (const [key, m] of this.messages) {
      if (now - m.startedAt >= timeoutMs) {
        this.messages.delete(key)
        expired.push(m)
      } else if (now - m.lastAt >= resendAfterMs && now - m.resendAt >= resendAfterMs) {
        resend.push(m)
      }
    }
    return { resend, expired }
  }

  clear(): void {
    this.messages.clear()
  }
}

export function missingOf(m: PartialMessage): number[] {
  const missing: number[] = []
  for (let i = 1; i <= m.total; i++) if (!m.packets.has(i)) missing.push(i)
  return missing
}
