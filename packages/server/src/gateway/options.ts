/**
 * Every limit of the gateway with its unit, and the options `createGateway` takes. Values come
 * from configuration (`config.gateway`, see docs/configuration.md) or, in tests, plain objects.
 */
import type { Database } from '../db/client.ts'
import type { IngestSink } from '../ingestion/envelope.ts'

export interface GatewayLimits {
  /** Close a session that sent nothing (not even 0x0002) for this long, ms. */
  heartbeatTimeoutMs: number
  /** Close a connection that has not authenticated (0x0102) within this time, ms. */
  authTimeoutMs: number
  /** Largest frame, unescaped bytes between the delimiters. */
  maxFrameSize: number
  /** Drop a sub-packaged message whose packets are still missing after this long, ms. */
  subpackageTimeoutMs: number
  /** Ask again (0x8003) for missing packets when nothing arrived for this long, ms. */
  subpackageResendAfterMs: number
  /** Accepted difference between the 0x0102 timestamp and the server clock, s. */
  authWindowSeconds: number
  /** Default time a downlink command waits for the terminal's answer, ms. */
  commandTimeoutMs: number
  /** Most concurrent connections; further ones are closed at once. */
  maxSessions: number
  /** Most concurrent photo uploads per session. */
  maxPhotosPerSession: number
  /** Largest photo, bytes. */
  maxPhotoBytes: number
  /** Forget a photo upload (0x0305 without all its 0x0306 data) after this long, ms. */
  photoTimeoutMs: number
  /** Period of the sweep that reaps idle sessions and expired sub-packages, ms (0 = derived). */
  sweepIntervalMs: number
}

export const defaultOptions: Readonly<GatewayLimits> = Object.freeze({
  heartbeatTimeoutMs: 180_000,
  authTimeoutMs: 60_000,
  maxFrameSize: 2048,
  subpackageTimeoutMs: 30_000,
  subpackageResendAfterMs: 5_000,
  authWindowSeconds: 600,
  commandTimeoutMs: 30_000,
  maxSessions: 200_000,
  maxPhotosPerSession: 4,
  maxPhotoBytes: 4 * 1024 * 1024,
  photoTimeoutMs: 300_000,
  sweepIntervalMs: 0,
})

/** Structured logger (pino-compatible subset). */
export interface GatewayLogger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export const silentLogger: GatewayLogger = { debug() {}, info() {}, warn() {}, error() {} }

export interface GatewayOptions extends Partial<GatewayLimits> {
  database: Database
  sink: IngestSink
  /** Name of this gateway process, recorded on every envelope. */
  nodeName?: string
  logger?: GatewayLogger
  /** Server clock (tests). */
  now?: () => Date
}
