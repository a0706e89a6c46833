/** 0x0003 终端注销: empty body. */
import { defineMessage, empty } from '../message.ts'

export const terminalLogout = defineMessage({
  id: 0x0003,
  direction: 'up',
  specName: '终端注销',
  slug: 'terminal-logout',
  body: empty,
})
