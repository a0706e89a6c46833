/**
 * The NATS JetStream bus between gateway and ingestion (JIAPEI_BUS=nats).
 *
 * Publisher (gateway side): an {@link IngestSink} that puts every envelope on the stream as
 * `<prefix>.frames.<phone>` (photos as `<prefix>.photos.<phone>`) and resolves when JetStream has
 * acknowledged them — stored durably — so a terminal is acked only for data that survives a crash.
 * A message ID per frame lets JetStream drop a re-publish inside its duplicate window.
 *
 * Consumer (role ingest): a durable pull consumer receives messages continuously, hands what has
 * arrived to the ingest writer as one batch (one group commit), and acks the messages only after
 * COMMIT; on failure they are nak'ed and redelivered, and the idempotent writer makes the
 * redelivery harmless.
 */
import { AckPolicy, connect, type JsMsg, type NatsConnection, RetentionPolicy, StorageType } from 'nats'
import { AppError } from '../errors/catalogue.ts'
import type { AssembledPhoto, FrameEnvelope, IngestSink } from './envelope.ts'
import { decodeWire, encodeWire } from './wire.ts'

export interface NatsBusOptions {
  url: string
  /** Stream name (default JIAPEI_INGEST). */
  stream?: string
  /** Subject prefix (default `jiapei`): subjects are `<prefix>.frames.<phone>` and `<prefix>.photos.<phone>`. */
  subjectPrefix?: string
}

const DEFAULT_STREAM = 'JIAPEI_INGEST'
const DEFAULT_PREFIX = 'jiapei'

async function connectBus(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name: 'jiapei-ingest', maxReconnectAttempts: -1 })
  } catch (error) {
    throw new AppError('ERR_INGEST_BUS_UNAVAILABLE', { url, reason: (error as Error).message }, undefined, {
      cause: error,
    })
  }
}

/** Creates the stream when it does not exist yet (work-queue retention: a message leaves once acked). */
export async function ensureStream(nc: NatsConnection, stream: string, prefix: string): Promise<void> {
  const jsm = await nc.jetstreamManager()
  const subjects = [`${prefix}.frames.>`, `${prefix}.photos.>`]
  try {
    await jsm.streams.info(stream)
  } catch {
    await jsm.streams.add({
      name: stream,
      subjects,
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      duplicate_window: 120_000_000_000,
    })
  }
}

const token = (phone: string) => phone.replace(/[^0-9A-Za-z]/g, '') || '0'

export async function createNatsPublisher(options: NatsBusOptions): Promise<IngestSink> {
  const stream = options.stream ?? DEFAULT_STREAM
  const prefix = options.subjectPrefix ?? DEFAULT_PREFIX
  const nc = await connectBus(options.url)
  await ensureStream(nc, stream, prefix)
  const js = nc.jetstream()
  const failed = (count: number, error: unknown) =>
    new AppError('ERR_INGEST_BUS_PUBLISH_FAILED', { count, reason: (error as Error).message }, undefined, {
      cause: error,
    })
  return {
    async accept(envelopes: readonly FrameEnvelope[]) {
      try {
        await Promise.all(
          envelopes.map((e) =>
            js.publish(`${prefix}.frames.${token(e.terminalPhone)}`, encodeWire({ kind: 'frame', envelope: e }), {
              msgID: `f:${e.terminalPhone}:${e.receivedAt.getTime()}:${e.msgId}:${e.serialNo}:${e.direction}`,
              expect: { streamName: stream },
            }),
          ),
        )
      } catch (error) {
        throw failed(envelopes.length, error)
      }
    },
    async acceptPhoto(photo: AssembledPhoto) {
      try {
        await js.publish(`${prefix}.photos.${token(photo.terminalPhone)}`, encodeWire({ kind: 'photo', photo }), {
          msgID: `p:${photo.terminalId}:${photo.photoNo}:${photo.receivedAt.getTime()}`,
          expect: { streamName: stream },
        })
      } catch (error) {
        throw failed(1, error)
      }
    },
    async close() {
      await nc.drain()
    },
  }
}

export interface NatsConsumerOptions extends NatsBusOptions {
  /** Where fetched messages go: the ingest writer. */
  sink: IngestSink
  /** Durable consumer name shared by every ingest process (default `ingest`). */
  durable?: string
  /** Messages per fetch (default 1000). */
  maxBatch?: number
  /** Told about batches that failed (they are redelivered) and messages that are not bus items. */
  onError?: (error: unknown) => void
}

export interface NatsConsumer {
  readonly stats: { batches: number; messages: number; failures: number }
  stop(): Promise<void>
}

export async function startNatsConsumer(options: NatsConsumerOptions): Promise<NatsConsumer> {
  const stream = options.stream ?? DEFAULT_STREAM
  const prefix = options.subjectPrefix ?? DEFAULT_PREFIX
  const durable = options.durable ?? 'ingest'
  const maxBatch = options.maxBatch ?? 1000
  const nc = await connectBus(options.url)
  await ensureStream(nc, stream, prefix)
  const jsm = await nc.jetstreamManager()
  try {
    await jsm.consumers.info(stream, durable)
  } catch {
    await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, ack_wait: 30_000_000_000 })
  }
  const consumer = await nc.jetstream().consumers.get(stream, durable)
  const stats = { batches: 0, messages: 0, failures: 0 }
  let stopped = false

  async function handle(messages: JsMsg[]): Promise<void> {
    const envelopes: FrameEnvelope[] = []
    const photos: AssembledPhoto[] = []
    const valid: JsMsg[] = []
    for (const m of messages) {
      try {
        const item = decodeWire(m.data)
        if (item.kind === 'frame') envelopes.push(item.envelope)
        else photos.push(item.photo)
        valid.push(m)
      } catch (error) {
        // Not ours and never will be: drop it instead of redelivering forever.
        m.term()
        options.onError?.(error)
      }
    }
    try {
      await Promise.all([options.sink.accept(envelopes), ...photos.map((p) => options.sink.acceptPhoto(p))])
    } catch (error) {
      stats.failures++
      for (const m of valid) m.nak(1000)
      options.onError?.(error)
      return
    }
    await Promise.all(valid.map((m) => m.ackAck().catch(() => false)))
    stats.batches++
    stats.messages += valid.length
  }

  // Messages stream in continuously (up to maxBatch outstanding); whatever has arrived while the
  // previous batch committed forms the next batch, so batches grow with load.
  const messages = await consumer.consume({ max_messages: maxBatch })
  const buffer: JsMsg[] = []
  const signal: { wake: (() => void) | null } = { wake: null }
  const reader = (async () => {
    try {
      for await (const m of messages) {
        buffer.push(m)
        signal.wake?.()
      }
    } catch (error) {
      if (!stopped) options.onError?.(error)
    }
    stopped = true
    signal.wake?.()
  })()
  const loop = (async () => {
    while (!stopped || buffer.length > 0) {
      if (buffer.length === 0) {
        await new Promise<void>((resolve) => {
          signal.wake = resolve
        })
        signal.wake = null
        continue
      }
      try {
        await handle(buffer.splice(0, maxBatch))
      } catch (error) {
        options.onError?.(error)
      }
    }
  })()

  return {
    stats,
    async stop() {
      stopped = true
      messages.stop()
      signal.wake?.()
      await reader
      await loop
      await nc.drain()
    },
  }
}
