/** Uplink handlers by JT/T 808 message ID; anything else goes to {@link handleDefault}. */
import { handle0x0001 } from './0x0001.ts'
import { handle0x0002 } from './0x0002.ts'
import { handle0x0003 } from './0x0003.ts'
import { handle0x0100 } from './0x0100.ts'
import { handle0x0102 } from './0x0102.ts'
import { handle0x0104 } from './0x0104.ts'
import { handle0x0201 } from './0x0201.ts'
import { handle0x0900 } from './0x0900.ts'
import { handleDefault } from './default.ts'
import type { Handler } from './types.ts'

export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [0x0001, handle0x0001],
  [0x0002, handle0x0002],
  [0x0003, handle0x0003],
  [0x0100, handle0x0100],
  [0x0102, handle0x0102],
  [0x0104, handle0x0104],
  [0x0201, handle0x0201],
  [0x0900, handle0x0900],
])

export { handleDefault }

/** Uplinks accepted before authentication (JT/T 808 §8.4–8.5). */
export const BEFORE_AUTH: ReadonlySet<number> = new Set([0x0100, 0x0102])
