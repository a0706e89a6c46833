/**
 * Chooses the bus between gateway and ingestion from configuration (JIAPEI_BUS):
 *
 * - `inproc`: the gateway's sink is the ingest writer itself; an ack waits for the group commit.
 * - `nats`: the gateway's sink publishes to JetStream (an ack waits for the JetStream ack); a
 *   process with the `ingest` role runs the consumer that feeds its writer.
 */
import path from 'node:path'
import type { Config } from '../config/load.ts'
import type { Database } from '../db/client.ts'
import type { IngestSink } from './envelope.ts'
import { createNatsPublisher, type NatsConsumer, startNatsConsumer } from './nats-bus.ts'
import { createPhotoStore, type PhotoStore } from './photo-store.ts'
import type { RecordIngested } from './pipeline.ts'
import { createIngestWriter, type IngestWriter } from './writer.ts'

export interface IngestBus {
  /** What the gateway hands envelopes and photos to. */
  sink: IngestSink
  /** The writer of this process (inproc, or nats with the ingest role). */
  writer: IngestWriter | null
  /** The JetStream consumer of this process (nats with the ingest role). */
  consumer: NatsConsumer | null
  photoStore: PhotoStore
  close(): Promise<void>
}

export interface IngestBusOptions {
  config: Pick<Config, 'ingest' | 'dataDir' | 'roles'>
  database: Database
  onIngested?: (event: RecordIngested) => void
  onError?: (error: unknown) => void
  /** JetStream stream and subject prefix (tests use their own). */
  stream?: string
  subjectPrefix?: string
}

export function photoStoreOf(config: Pick<Config, 'dataDir'>): PhotoStore {
  return createPhotoStore(path.join(config.dataDir, 'photos'))
}

export async function openIngestBus(options: IngestBusOptions): Promise<IngestBus> {
  const { config, database } = options
  const photoStore = photoStoreOf(config)
  const makeWriter = () =>
    createIngestWriter({
      database,
      photoStore,
      windowMs: config.ingest.windowMs,
      maxBatch: config.ingest.maxBatch,
      concurrency: config.ingest.concurrency,
      ...(options.onIngested ? { onIngested: options.onIngested } : {}),
    })

  if (config.ingest.bus === 'inproc') {
    const writer = makeWriter()
    return { sink: writer, writer, consumer: null, photoStore, close: () => writer.close() }
  }

  const natsOptions = {
    url: config.ingest.natsUrl,
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.subjectPrefix ? { subjectPrefix: options.subjectPrefix } : {}),
  }
  const publisher = await createNatsPublisher(natsOptions)
  let writer: IngestWriter | null = null
  let consumer: NatsConsumer | null = null
  if ((config.roles as readonly string[]).includes('ingest')) {
    writer = makeWriter()
    consumer = await startNatsConsumer({
      ...natsOptions,
      sink: writer,
      maxBatch: config.ingest.maxBatch,
      ...(options.onError ? { onError: options.onError } : {}),
    })
  }
  return {
    sink: publisher,
    writer,
    consumer,
    photoStore,
    async close() {
      await publisher.close()
      await consumer?.stop()
      await writer?.close()
    },
  }
}
