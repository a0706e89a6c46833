// 0x0302 提问应答 (JT/T 808-2013 §8.40): 应答流水号 7 (the 0x8302's serial), 答案ID 1.
import { roundTrip } from '../../test/round-trip.ts'
import { questionReply } from './0x0302.question-reply.ts'

roundTrip(questionReply, [{ name: 'answer 1', hex: '0007 01', value: { replySerial: 7, answerId: 1 } }])
