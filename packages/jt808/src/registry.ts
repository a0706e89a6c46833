/**
 * The message table: message ID → definition. Every core message is listed here; an extension may
 * add or replace entries with {@link registerMessage}. IDs that are not in the table decode as raw
 * bytes (never an error).
 */
import type { MessageDefinition } from './message.ts'
import * as messages from './messages/index.ts'

const CORE_MESSAGES: MessageDefinition<unknown>[] = [
  messages.terminalGeneralReply,
  messages.heartbeat,
  messages.terminalLogout,
  messages.terminalResendRequest,
  messages.terminalRegister,
  messages.terminalAuth,
  messages.queryParametersReply,
  messages.locationReport,
  messages.queryLocationReply,
  messages.questionReply,
  messages.batchLocation,
  messages.multimediaUpload,
  messages.uplinkPassThrough,
  messages.platformGeneralReply,
  messages.resendRequest,
  messages.registerReply,
  messages.setParameters,
  messages.queryParameters,
  messages.terminalControl,
  messages.querySpecificParameters,
  messages.queryLocation,
  messages.trackLocation,
  messages.question,
  messages.informationService,
  messages.downlinkPassThrough,
] as MessageDefinition<never>[] as MessageDefinition<unknown>[]

const table = new Map<number, MessageDefinition<unknown>>()
for (const def of CORE_MESSAGES) table.set(def.id, def)

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
