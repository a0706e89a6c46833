/**
 * 0x0101 上报教练员登录 → 0x8101 (STANDARDS §2.7), result decided from the registry:
 * 2 无效的教练员编号 (unknown, or filed at another institution than the terminal's),
 * 3 准教车型不符 (the reported 准教车型 differs from the filed one, or does not cover the vehicle),
 * 9 其他错误 (the coach is not 在职), 1 登录成功.
 */
import { COACH_LOGIN_RESULT, COACH_READ_ALOUD, type CoachLogin, coachLoginReply } from '@jiapei/jt808-training'
import { coachByNo } from '../../registry.ts'
import { type TrainingHandler, trainingAnswer } from './types.ts'

const R = COACH_LOGIN_RESULT.code

/** Whether a 准教车型 value such as `C1` or `C1C2` covers a vehicle type. */
export function covers(permitted: string, type: string | null): boolean {
  if (!type) return true
  return permitted.toUpperCase().includes(type.toUpperCase().slice(0, 2))
}

export const handleCoachLogin: TrainingHandler = async (ctx, up, env) => {
  const body = env.body as CoachLogin
  const terminal = ctx.session.terminal
  const coach = await coachByNo(ctx.database, body.coachNo)
  let result: number = R.success
  let message = ''
  if (!coach || !terminal || coach.institutionId !== terminal.institutionId) {
    result = R.invalidCoachNo
    message = coach ? '非本机构教练员' : '教练员编号无效'
  } else if (coach.employmentStatus !== 'employed') {
    result = R.other
    message = '教练员不在职'
  } else if (
    body.teachPermitted.trim().toUpperCase() !== coach.teachPermitted.toUpperCase() ||
    !covers(coach.teachPermitted, terminal.vehicleType)
  ) {
    result = R.licenseTypeMismatch
    message = '准教车型不符'
  }
  const answer = trainingAnswer(env, coachLoginReply, {
    result,
    coachNo: body.coachNo,
    readAloud: result === R.success ? COACH_READ_ALOUD.code.global : COACH_READ_ALOUD.code.read,
    message,
  })
  return {
    reply: (ok) =>
      ok ? [answer] : [{ msgId: 0x8001, body: { replySerial: up.header.serial, replyId: 0x0900, result: 1 } }],
  }
}
