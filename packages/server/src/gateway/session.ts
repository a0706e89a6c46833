/**
 * One connection: its stream, frame reader, sub-package buffers, photo uploads in progress, the
 * terminal it authenticated as, and the downlink commands waiting for an answer. The gateway owns
 * the lifecycle; handlers read and update a session through {@link HandlerContext}.
 */
import type { KeyObject } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { FrameReader, type ProtocolVersion } from '@jiapei/jt808'
import type { RegistryTerminal } from './registry.ts'
import { Reassembler } from './subpackages.ts'

export interface BoundTerminal extends RegistryTerminal {
  publicKey: KeyObject
}

export interface PhotoUpload {
  photoNo: string
  init: Record<string, unknown>
  /** 照片数据大小 announced by 0x0305 (bytes). */
  expectedBytes: number
  parts: Uint8Array[]
  receivedBytes: number
  startedAt: number
}

export interface PendingCommand {
  resolve(reply: unknown): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

let nextSessionId = 1

export class Session {
  readonly id = nextSessionId++
  readonly reader: FrameReader
  readonly reassembler = new Reassembler()
  readonly photos = new Map<string, PhotoUpload>()
  /** Commands waiting for an answer, by key (`s:<serial>` for 808 replies, `t:<id>` for 驾培 replies). */
  readonly pending = new Map<string, PendingCommand[]>()
  terminal: BoundTerminal | undefined
  /** Header phone of the authenticated terminal (registry form, leading zeros removed). */
  phone: string | undefined
  /** Header layout of the first decoded frame; answers and commands use it. */
  version: ProtocolVersion | undefined
  readonly connectedAt: Date
  lastSeen: number
  closed = false
  /** Chunks received but not yet processed (back-pressure). */
  queued = 0
  queue: Promise<void> = Promise.resolve()
  private serial = 0
  /** 驾培包序号 of platform-initiated envelopes. */
  private packetSeq = 0

  constructor(
    readonly stream: Duplex,
    maxFrameSize: number,
    now: Date,
    readonly remote: string,
  ) {
    this.reader = new FrameReader({ maxFrameSize })
    this.connectedAt = now
    this.lastSeen = now.getTime()
  }

  nextSerial(): number {
    this.serial = (this.serial + 1) & 0xffff
    return this.serial
  }

  /** Reserves `count` consecutive serials; returns the first. */
  reserveSerials(count: number): number {
    const first = this.nextSerial()
    this.serial = (this.serial + count - 1) & 0xffff
    return first
  }

  nextPacketSeq(): number {
    this.packetSeq = (this.packetSeq % 0xffff) + 1
    return this.packetSeq
  }

  /** Writes bytes unless the stream is gone. */
  write(bytes: Uint8Array): void {
    if (this.closed || this.stream.destroyed || !this.stream.writable) return
    this.stream.write(bytes)
  }

  addPending(key: string, command: PendingCommand): void {
    const list = this.pending.get(key)
    if (list) list.push(command)
    else this.pending.set(key, [command])
  }

  /** Resolves the oldest command waiting under `key`; false when none waits. */
  settle(key: string, reply: unknown): boolean {
    const list = this.pending.get(key)
    const first = list?.shift()
    if (!first) return false
    if (list && list.length === 0) this.pending.delete(key)
    clearTimeout(first.timer)
    first.resolve(reply)
    return true
  }

  removePending(key: string, command: PendingCommand): void {
    const list = this.pending.get(key)
    if (!list) return
    const i = list.indexOf(command)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) this.pending.delete(key)
  }
}
