/** Every core message definition, by ID. */
export { GENERAL_RESULTS, type TerminalGeneralReply, terminalGeneralReply } from './0x0001.terminal-general-reply.ts'
export { heartbeat } from './0x0002.heartbeat.ts'
export { terminalLogout } from './0x0003.terminal-logout.ts'
export { uplinkPassThrough } from './0x0900.uplink-pass-through.ts'
export { PLATFORM_RESULTS, type PlatformGeneralReply, platformGeneralReply } from './0x8001.platform-general-reply.ts'
export { downlinkPassThrough } from './0x8900.downlink-pass-through.ts'
export type { PassThroughBody } from './pass-through.ts'
