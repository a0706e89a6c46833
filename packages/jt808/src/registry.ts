/**
 * The message table: message ID → definition. Every core message is listed here; an extension may
 * add or replace entries with {@link registerMessage}. IDs that are not in the table decode as raw
 * bytes (never an error).
 */
import type { MessageDefinition } from './message.ts'
import { terminalGeneralReply } from './messages/0x0001.terminal-general-reply.ts'
import { heartbeat } from './messages/0x0002.heartbeat.ts'
import { terminalLogout } from './messages/0x0003.terminal-logout.ts'
import { uplinkPassThrough } from './messages/0x0900.uplink-pass-through.ts'
import { platformGeneralReply } from './messages/0x8001.platform-general-reply.ts'
import { downlinkPassThrough } from './messages/0x8900.downlink-pass-through.ts'

const CORE_MESSAGES: readonly MessageDefinition<never>[] = [
  terminalGeneralReply,
  heartbeat,
  terminalLogout,
  uplinkPassThrough,
  platformGeneralReply,
  downlinkPassThrough,
] as unknown as MessageDefinition<never>[]

const table = new Map<number, MessageDefinition<unknown>>()
for (const def of CORE_MESSAGES) table.set(def.id, def as unknown as MessageDefinition<unknown>)

/** Adds or replaces the definition of one message ID. */
export function registerMessage<B>(def: MessageDefinition<B>): void {
  table.set(def.id, def as unknown as MessageDefinition<unknown>)
}

export function findMessage(id: number): MessageDefinition<unknown> | undefined {
  return table.get(id)
}

/** All registered definitions, sorted by ID. */
export function listMessages(): MessageDefinition<unknown>[] {
  return [...table.values()].sort((a, b) => a.id - b.id)
}
