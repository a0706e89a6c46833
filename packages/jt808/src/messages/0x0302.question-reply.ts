/** 0x0302 提问应答 (JT/T 808-2011/2013 §8.40; dropped in 2019): 应答流水号 WORD (of the 0x8302), 答案ID BYTE. */
import { defineMessage } from '../message.ts'
import { struct, u8, u16 } from '../schema/fields.ts'

export const questionReply = defineMessage({
  id: 0x0302,
  direction: 'up',
  specName: '提问应答',
  slug: 'question-reply',
  body: struct([
    { key: 'replySerial', name: '应答流水号', type: u16 },
    { key: 'answerId', name: '答案ID', type: u8 },
  ]),
})

export type QuestionReply = ReturnType<typeof questionReply.read>
