// 0x8302 提问下发 (JT/T 808-2013 §8.39): 标志 0x09 (紧急 + 终端TTS播读), 问题 "今天训练是否正常？" (18 GBK
// bytes), two 候选答案 1 "正常" and 2 "异常", each 答案ID + WORD length + GBK text.
import { roundTrip } from '../../test/round-trip.ts'
import { question } from './0x8302.question.ts'

roundTrip(question, [
  {
    name: 'two answers',
    hex: '09 12 bdf1ccecd1b5c1b7cac7b7f1d5fdb3a3a3bf 01 0004 d5fdb3a3 02 0004 d2ecb3a3',
    value: {
      flags: 0x09,
      question: '今天训练是否正常？',
      answers: [
        { id: 1, text: '正常' },
        { id: 2, text: '异常' },
      ],
    },
  },
  { name: 'no candidate answers', hex: '00 04 d5fdb3a3', value: { flags: 0, question: '正常', answers: [] } },
])
