/**
 * The terminal gateway (role `gateway`): `createGateway(options).handle(duplex)`, the TCP adapter
 * `startGatewayServer`, limits, and the terminal certificate helpers. See docs/gateway.md.
 */

export { issueTerminalCertificate, openPkcs12, platformCa, randomPassword } from './credentials.ts'
export {
  type CommandMessage,
  createGateway,
  Gateway,
  type GatewayStats,
  type OnlineSession,
} from './gateway.ts'
export { authDigest, signAuth } from './handlers/0x0102.ts'
export { defaultOptions, type GatewayLimits, type GatewayLogger, type GatewayOptions } from './options.ts'
export { FRAME_REJECTIONS, type FrameRejection } from './rejections.ts'
export { type GatewayServer, type GatewayServerOptions, startGatewayServer } from './tcp-server.ts'
