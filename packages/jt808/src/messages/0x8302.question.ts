/**
 * 0x8302 提问下发 (JT/T 808-2011/2013 §8.39; dropped in 2019): 标志 BYTE, 问题内容长度 BYTE,
 * 问题文本 STRING (GBK), then the 候选答案列表 to the end of the body, each 答案ID BYTE, 答案内容长度
 * WORD, 答案内容 STRING. The terminal answers with 0x0302 提问应答.
 */
import { defineMessage } from '../message.ts'
import { gbkPrefixed, listRest, struct, u8, u16 } from '../schema/fields.ts'

/** 标志 bits (bits 1, 2, 5–7 are reserved). */
export const QUESTION_FLAGS: Readonly<Record<number, string>> = {
  1: '紧急',
  8: '终端TTS播读',
  16: '广告屏显示',
}

export const question = defineMessage({
  id: 0x8302,
  direction: 'down',
  specName: '提问下发',
  slug: 'question',
  body: struct([
    {
      key: 'flags',
      name: '标志',
      type: u8,
      format: (v: number) =>
        Object.entries(QUESTION_FLAGS)
          .filter(([bit]) => (v & Number(bit)) !== 0)
          .map(([, label]) => label)
          .join('、') || '无',
    },
    { key: 'question', name: '问题文本', type: gbkPrefixed(u8) },
    {
      key: 'answers',
      name: '候选答案列表',
      type: listRest(
        struct([
          { key: 'id', name: '答案ID', type: u8 },
          { key: 'text', name: '答案内容', type: gbkPrefixed(u16) },
        ]),
        '候选答案',
      ),
    },
  ]),
})

export type Question = ReturnType<typeof question.read>
