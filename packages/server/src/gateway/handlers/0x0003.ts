/** 0x0003 终端注销 → 0x8001 (STANDARDS §2.3); the terminal then closes the connection itself. */
import { generalReply, type Handler } from './types.ts'

export const handle0x0003: Handler = (_ctx, up) => ({ reply: generalReply(up) })
