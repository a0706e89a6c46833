/**
 * The NATS JetStream server the bus tests use (`NATS_URL`, default the local server). Like the
 * PostgreSQL server in engines.ts: unreachable means skip with a reason, except under CI.
 */
import net from 'node:net'

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

/** A reason to skip when NATS is not reachable; under CI it must be. */
export async function natsSkip(): Promise<string | false> {
  const url = new URL(NATS_URL)
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 4222) })
    socket.setTimeout(2000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
  if (reachable) return false
  if (process.env.CI === 'true') throw new Error(`NATS JetStream unreachable at ${NATS_URL}`)
  return `NATS unreachable at ${NATS_URL}; start nats-server -js`
}
