/**
 * 0x8105 终端控制: 命令字 BYTE, 命令参数 STRING (GBK, fields separated by ';'; empty for most
 * commands).
 */
import { defineMessage } from '../message.ts'
import { gbkRest, struct, u8 } from '../schema/fields.ts'

export const CONTROL_COMMANDS: Readonly<Record<number, string>> = {
  1: '无线升级',
  2: '控制终端连接指定服务器',
  3: '终端关机',
  4: '终端复位',
  5: '终端恢复出厂设置',
  6: '关闭数据通信',
  7: '关闭所有无线通信',
}

export const terminalControl = defineMessage({
  id: 0x8105,
  direction: 'down',
  specName: '终端控制',
  slug: 'terminal-control',
  body: struct([
    { key: 'command', name: '命令字', type: u8, codes: CONTROL_COMMANDS },
    { key: 'parameters', name: '命令参数', type: gbkRest },
  ]),
})

export type TerminalControl = ReturnType<typeof terminalControl.read>
