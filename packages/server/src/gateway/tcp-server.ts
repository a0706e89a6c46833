/**
 * The node:net adapter of the gateway: listens on `config.gateway.port` and hands every socket to
 * `gateway.handle`. Nothing else lives here (the gateway serves any duplex stream).
 */
import net from 'node:net'
import type { Config } from '../config/load.ts'
import type { Database } from '../db/client.ts'
import type { IngestSink } from '../ingestion/envelope.ts'
import { createGateway, type Gateway } from './gateway.ts'
import type { GatewayLimits, GatewayLogger } from './options.ts'

export interface GatewayServerOptions {
  config: Pick<Config, 'gateway'>
  database: Database
  sink: IngestSink
  logger?: GatewayLogger
  /** Listen address (default 0.0.0.0: terminals connect from outside). */
  host?: string
  /** Limits not in configuration (tests). */
  limits?: Partial<GatewayLimits>
}

export interface GatewayServer {
  port: number
  gateway: Gateway
  close(): Promise<void>
}

export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const g = options.config.gateway
  const gateway = createGateway({
    database: options.database,
    sink: options.sink,
    nodeName: g.nodeName,
    heartbeatTimeoutMs: g.heartbeatTimeoutMs,
    authTimeoutMs: g.authTimeoutMs,
    maxFrameSize: g.maxFrameSize,
    subpackageTimeoutMs: g.subpackageTimeoutMs,
    authWindowSeconds: g.authWindowSeconds,
    ...options.limits,
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.setKeepAlive(true, 60_000)
    gateway.handle(socket, `${socket.remoteAddress}:${socket.remotePort}`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(g.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : g.port
  options.logger?.info({ port }, '终端网关已启动')
  return {
    port,
    gateway,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await gateway.close()
      await closed
    },
  }
}
