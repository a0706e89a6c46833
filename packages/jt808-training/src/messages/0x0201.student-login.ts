/** 0x0201 上报学员登录 (↑, answered by 0x8201). STANDARDS §2.7. */
import { gnssBasic, struct, u32 } from '@jiapei/jt808'
import { courseCode, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const studentLogin = defineTrainingMessage({
  id: 0x0201,
  direction: 'up',
  specName: '上报学员登录',
  slug: 'student-login',
  replyId: 0x8201,
  body: struct([
    { key: 'studentNo', name: '学员编号', type: registryNo },
    { key: 'coachNo', name: '当前教练编号', type: registryNo },
    { key: 'courseCode', name: '培训课程（课程编码）', type: courseCode },
    { key: 'classId', name: '课堂ID', type: u32 },
    { key: 'gnss', name: 'GNSS数据包', type: gnssBasic },
  ]),
})

export type StudentLogin = BodyOf<typeof studentLogin>
