/**
 * 0x0201 上报学员登录 → 0x8201 (STANDARDS §2.7), result decided from the registry:
 * 2 无效的学员编号 (unknown, or enrolled at another institution), 3 禁止登录的学员 (退学 or 结业),
 * 5 准教车型与培训车型不符 (课程编码 vehicle type or the terminal's vehicle differs from the
 * student's 培训车型), 9 其他错误 (课程编码 unreadable), 1 登录成功 with the recorded minutes and
 * mileage (overall and in the course's 培训部分).
 */
import {
  parseCourseCode,
  STUDENT_LOGIN_RESULT,
  STUDENT_READ_ALOUD,
  type StudentLogin,
  studentLoginReply,
} from '@jiapei/jt808-training'
import { studentByNo, studentProgress } from '../../registry.ts'
import { covers } from './0x0101.ts'
import { type TrainingHandler, trainingAnswer } from './types.ts'

const R = STUDENT_LOGIN_RESULT.code

export const handleStudentLogin: TrainingHandler = async (ctx, up, env) => {
  const body = env.body as StudentLogin
  const terminal = ctx.session.terminal
  const student = await studentByNo(ctx.database, body.studentNo)
  const course = parseCourseCode(body.courseCode)
  let result: number = R.success
  let message = ''
  let progress = { totalMinutes: 0, partMinutes: 0, totalMileage: 0, partMileage: 0 }
  if (!student || !terminal || student.institutionId !== terminal.institutionId) {
    result = R.invalidStudentNo
    message = student ? '非本机构学员' : '学员编号无效'
  } else if (student.status === 'withdrawn' || student.status === 'graduated') {
    result = R.banned
    message = student.status === 'withdrawn' ? '学员已退学' : '学员已结业'
  } else if (!course.ok) {
    result = R.other
    message = '培训课程编码无效'
  } else if (
    (course.value.licenseType !== null && course.value.licenseType !== student.licenseType) ||
    !covers(student.licenseType, terminal.vehicleType)
  ) {
    result = R.licenseTypeMismatch
    message = '准教车型与培训车型不符'
  } else {
    progress = await studentProgress(ctx.database, student.id, course.value.part)
  }
  const answer = trainingAnswer(env, studentLoginReply, {
    result,
    studentNo: body.studentNo,
    ...progress,
    readAloud: result === R.success ? STUDENT_READ_ALOUD.code.silent : STUDENT_READ_ALOUD.code.read,
    message,
  })
  return {
    reply: (ok) =>
      ok ? [answer] : [{ msgId: 0x8001, body: { replySerial: up.header.serial, replyId: 0x0900, result: 1 } }],
  }
}
