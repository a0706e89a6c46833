/**
 * The contract between the gateway and its per-message handlers. A handler looks at one accepted
 * uplink (a whole frame, or a message reassembled from sub-packages) and returns an
 * {@link Outcome}: what to keep, what extra must become durable, and what to answer once it is.
 * Handlers never write to the socket themselves and never acknowledge before durability.
 */
import type { Header } from '@jiapei/jt808'
import type { Database } from '../../db/client.ts'
import type { AssembledPhoto } from '../../ingestion/envelope.ts'
import type { GatewayLimits, GatewayLogger } from '../options.ts'
import type { FrameRejection } from '../rejections.ts'
import type { BoundTerminal, Session } from '../session.ts'

export interface Uplink {
  header: Header
  /** Decoded body (of the whole message when reassembled). */
  body: unknown
  /** Body bytes (of the whole message when reassembled). */
  bodyBytes: Uint8Array
  receivedAt: Date
  reassembled: boolean
}

/** A message to send: ID and body value (or raw body bytes). */
export interface Answer {
  msgId: number
  body: unknown
}

export interface Outcome {
  /** Replaces the decoded body on the envelope (e.g. photo bytes left out: they go to acceptPhoto). */
  message?: unknown
  /** The frame is refused: kept raw with this code, counted, and answered with `reply(false)`. */
  rejected?: FrameRejection
  /** A photo completed by this uplink: made durable before the answer. */
  photo?: AssembledPhoto
  /** Answers once the uplink is durable (`ok`) or could not be made durable / was refused (`!ok`). */
  reply?: (ok: boolean) => Answer[]
}

export interface HandlerContext {
  readonly session: Session
  readonly database: Database
  readonly limits: GatewayLimits
  readonly logger: GatewayLogger
  /** Server clock, ms. */
  now(): number
  /** Binds the session to an authenticated terminal (evicting an older session of it). */
  bind(terminal: BoundTerminal, phone: string): void
  /** Undoes {@link bind} (an authentication whose record could not be made durable). */
  unbind(): void
  /** Resolves a downlink command waiting under `key`. */
  settle(key: string, reply: unknown): boolean
  /** Counts a named event in the gateway's statistics. */
  count(name: CounterName): void
}

export type CounterName =
  | 'registrations'
  | 'registrationsRefused'
  | 'authentications'
  | 'authenticationsRefused'
  | 'signatureFailures'
  | 'photosAssembled'

export type Handler = (ctx: HandlerContext, up: Uplink) => Outcome | Promise<Outcome>

/** 0x8001 平台通用应答 to an uplink: result 0 成功 when ok, else `failure` (1 失败 by default). */
export function generalReply(up: Uplink, failure = 1): (ok: boolean) => Answer[] {
  return (ok) => [
    { msgId: 0x8001, body: { replySerial: up.header.serial, replyId: up.header.msgId, result: ok ? 0 : failure } },
  ]
}

/** 0x8001 with a failure result whatever the sink said (a refusal that is kept). */
export function failureReply(up: Uplink, result = 1): () => Answer[] {
  return () => [{ msgId: 0x8001, body: { replySerial: up.header.serial, replyId: up.header.msgId, result } }]
}
