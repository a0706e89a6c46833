/**
 * 驾培 pass-through handlers by 透传消息ID. Messages not listed here are kept and answered with the
 * 0x8001 of their 0x0900 frame: 0x0203 上报学时记录 and the answers to platform commands (0x0205,
 * 0x0301, 0x0302, 0x0304, 0x0501, 0x0502, 0x0503), which settle the waiting command.
 */
import { PHOTO_QUERY_ANSWER, photoQueryResultReply } from '@jiapei/jt808-training'
import { handleCoachLogin } from './0x0101.ts'
import { handleStudentLogin } from './0x0201.ts'
import { handleCoachLogout, handleStudentLogout } from './logouts.ts'
import { handlePhotoData, handlePhotoInit } from './photos.ts'
import { type TrainingHandler, trainingAnswer } from './types.ts'

/** 0x0303 上报照片查询结果 → 0x8303 默认应答 (the terminal waits for it before its next batch). */
const handlePhotoQueryResult: TrainingHandler = (_ctx, _up, env) => ({
  reply: (ok) => [
    trainingAnswer(env, photoQueryResultReply, {
      answer: ok ? PHOTO_QUERY_ANSWER.code.continue : PHOTO_QUERY_ANSWER.code.stop,
    }),
  ],
})

/**
 * 0x0401/0x0402/0x0403 ask the platform for identity data the gateway does not hold (the exchange
 * with the national platform answers them): kept and answered 3 不支持.
 */
const unsupported: TrainingHandler = (_ctx, up) => ({
  reply: (ok) => [
    { msgId: 0x8001, body: { replySerial: up.header.serial, replyId: up.header.msgId, result: ok ? 3 : 1 } },
  ],
})

export const TRAINING_HANDLERS: ReadonlyMap<number, TrainingHandler> = new Map<number, TrainingHandler>([
  [0x0101, handleCoachLogin],
  [0x0102, handleCoachLogout],
  [0x0201, handleStudentLogin],
  [0x0202, handleStudentLogout],
  [0x0303, handlePhotoQueryResult],
  [0x0305, handlePhotoInit],
  [0x0306, handlePhotoData],
  [0x0401, unsupported],
  [0x0402, unsupported],
  [0x0403, unsupported],
])
