/** 0x8201 学员登录应答 (↓). STANDARDS §2.7; 附加消息 at most 254 bytes. */
import { gbkPrefixed, struct, u8, u16 } from '@jiapei/jt808'
import { STUDENT_LOGIN_RESULT, STUDENT_READ_ALOUD } from '../codes.ts'
import { kmTenths, minutes, registryNo } from '../fields.ts'
import { type BodyOf, defineTrainingMessage } from '../message.ts'

export const studentLoginReply = defineTrainingMessage({
  id: 0x8201,
  direction: 'down',
  specName: '学员登录应答',
  slug: 'student-login-reply',
  body: struct([
    { key: 'result', name: '登录结果', type: u8, codes: STUDENT_LOGIN_RESULT.labels },
    { key: 'studentNo', name: '学员编号', type: registryNo },
    { key: 'totalMinutes', name: '总培训学时 (min)', type: u16, format: minutes },
    { key: 'partMinutes', name: '当前培训部分已完成学时 (min)', type: u16, format: minutes },
    { key: 'totalMileage', name: '总培训里程 (0.1 km)', type: u16, format: kmTenths },
    { key: 'partMileage', name: '当前培训部分已完成里程 (0.1 km)', type: u16, format: kmTenths },
    { key: 'readAloud', name: '是否报读附加消息', type: u8, codes: STUDENT_READ_ALOUD.labels },
    { key: 'message', name: '附加消息（长度 BYTE + GBK）', type: gbkPrefixed(u8) },
  ]),
})

export type StudentLoginReply = BodyOf<typeof studentLoginReply>
