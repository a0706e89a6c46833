/** 0x0002 终端心跳 → 0x8001 (STANDARDS §2.3). Any uplink refreshes the session; this one is kept too. */
import { generalReply, type Handler } from './types.ts'

export const handle0x0002: Handler = (_ctx, up) => ({ reply: generalReply(up) })
