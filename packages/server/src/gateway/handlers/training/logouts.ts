/** 0x0102 上报教练员登出 → 0x8102 and 0x0202 上报学员登出 → 0x8202 (STANDARDS §2.7): 1 登出成功 once kept. */
import {
  COACH_LOGOUT_RESULT,
  type CoachLogout,
  coachLogoutReply,
  STUDENT_LOGOUT_RESULT,
  type StudentLogout,
  studentLogoutReply,
} from '@jiapei/jt808-training'
import { type TrainingHandler, trainingAnswer } from './types.ts'

export const handleCoachLogout: TrainingHandler = (_ctx, _up, env) => {
  const { coachNo } = env.body as CoachLogout
  return {
    reply: (ok) => [
      trainingAnswer(env, coachLogoutReply, {
        result: ok ? COACH_LOGOUT_RESULT.code.success : COACH_LOGOUT_RESULT.code.failure,
        coachNo,
      }),
    ],
  }
}

export const handleStudentLogout: TrainingHandler = (_ctx, _up, env) => {
  const { studentNo } = env.body as StudentLogout
  return {
    reply: (ok) => [
      trainingAnswer(env, studentLogoutReply, {
        result: ok ? STUDENT_LOGOUT_RESULT.code.success : STUDENT_LOGOUT_RESULT.code.failure,
        studentNo,
      }),
    ],
  }
}
