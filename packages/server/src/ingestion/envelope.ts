/**
 * What the gateway hands to ingestion: one normalized envelope per accepted frame, and one
 * assembled photo per completed 0x0305/0x0306 upload. The gateway does no business logic; the
 * sink makes envelopes durable (raw archive first, then sessions, minute records, positions) and
 * resolves only when they are committed, so a terminal is acknowledged only for durable data.
 */

export interface FrameEnvelope {
  /** When the gateway received the frame (server clock, UTC). */
  receivedAt: Date
  /** Terminal phone from the header (digits, leading zeros removed as the registry stores it). */
  terminalPhone: string
  /** Registry id of the authenticated terminal; absent before authentication (0x0100, 0x0102). */
  terminalId?: number
  msgId: number
  /** Header serial number (消息流水号). */
  serialNo: number
  /** JT/T 808 layout the header was read with, e.g. 'jiapei', '2013', '2019'. */
  layout: string
  direction: 'up' | 'down'
  /** The unescaped frame (header + body + checksum), exactly as it can be replayed through the codec. */
  frame: Uint8Array
  /** Decoded message body (the codec's output), absent when decoding failed. */
  message?: unknown
  /** Codec error code when the frame was kept but could not be decoded. */
  decodeError?: string
  /** Name of the gateway process that received it. */
  gatewayNode: string
}

export interface AssembledPhoto {
  terminalId: number
  terminalPhone: string
  /** 照片编号 (the terminal's own number). */
  photoNo: string
  receivedAt: Date
  bytes: Uint8Array
  /** Fields of the 0x0305 upload-init message (event type, channel, class id, GNSS, face confidence …). */
  init: Record<string, unknown>
}

/** The gateway's only way out. Implementations: in-process writer, NATS JetStream publisher. */
export interface IngestSink {
  /** Resolves once every envelope is durable; rejects if they are not (the gateway then answers failure). */
  accept(envelopes: readonly FrameEnvelope[]): Promise<void>
  /** Resolves once the photo bytes and metadata are durable. */
  acceptPhoto(photo: AssembledPhoto): Promise<void>
  close(): Promise<void>
}
