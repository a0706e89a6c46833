/**
 * GET and DELETE services, keyed by path (STANDARDS §3.1: no body; the key values are in the path
 * and are what the signature covers, concatenated in path order). queries.ts holds the GET
 * services, deletes.ts the DELETE ones; a path no service matches answers errorcode 1000.
 */
import type { Caller, ExchangeEnv } from '../gate.ts'
import { DELETE_SERVICES } from './deletes.ts'
import { GET_SERVICES } from './queries.ts'

/** The key values of a path by name, e.g. `{ stunum: '…', subject: '1' }`. */
export type Keys = Readonly<Record<string, string>>

export interface KeyedService {
  /** Service name as logged (exchange_request.service), e.g. `coach` for `DELETE coach-{coachnum}`. */
  name: string
  /** The path pattern; its capture groups are the key values in signing order. */
  pattern: RegExp
  /** Names of the capture groups, in order. */
  keys: readonly string[]
  handle(caller: Caller, keys: Keys, env: ExchangeEnv): Promise<unknown>
}

export interface KeyedMatch {
  service: KeyedService
  /** Key values by name. */
  keys: Keys
  /** Key values in path order: the signed data. */
  values: string[]
}

/** The keyed service of `method` a path names, with its key values; undefined when none does. */
export function keyedService(method: 'GET' | 'DELETE', path: string): KeyedMatch | undefined {
  for (const service of method === 'GET' ? GET_SERVICES : DELETE_SERVICES) {
    const m = path.match(service.pattern)
    if (!m) continue
    const values = m.slice(1, service.keys.length + 1).map((v) => v ?? '')
    return { service, values, keys: Object.fromEntries(service.keys.map((k, i) => [k, values[i] as string])) }
  }
  return undefined
}
