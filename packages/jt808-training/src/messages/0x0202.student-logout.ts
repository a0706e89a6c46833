/** 0x0202 上报学员登出 (↑, answered by 0x8202). STANDARDS §2.7. */
import { bcdTime, gnssBasic, struct, u16, u32 } from '@jiapei/jt808'
import { kmTenths, minutes, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const studentLogout = defineTrainingMessage({
  id: 0x0202,
  direction: 'up',
  specName: '上报学员登出',
  slug: 'student-logout',
  replyId: 0x8202,
  body: struct([
    { key: 'studentNo', name: '学员编号', type: registryNo },
    { key: 'logoutTimeLocal', name: '登出时间', type: bcdTime },
    { key: 'loginMinutes', name: '该次登录总时间 (min)', type: u16, format: minutes },
    { key: 'loginMileage', name: '该次登录总里程 (0.1 km)', type: u16, format: kmTenths },
    { key: 'classId', name: '课堂ID', type: u32 },
    { key: 'gnss', name: 'GNSS数据包', type: gnssBasic },
  ]),
})

export type StudentLogout = BodyOf<typeof studentLogout>
