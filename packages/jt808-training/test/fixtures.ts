/**
 * Hex fixtures of every 驾培 pass-through message body, written segment by segment from the byte
 * layouts of STANDARDS §2.7 (not produced by the encoder), each with the value it decodes to.
 */
import { hex } from '@jiapei/jt808'
import {
  appParamsQuery,
  appParamsQueryReply,
  appParamsSet,
  appParamsSetReply,
  coachLogin,
  coachLoginReply,
  coachLogout,
  coachLogoutReply,
  identityReply,
  identityRequest,
  minuteRecord,
  photoData,
  photoNow,
  photoNowReply,
  photoQuery,
  photoQueryReply,
  photoQueryResult,
  photoQueryResultReply,
  photoUploadInit,
  photoUploadInitReply,
  photoUploadRequest,
  photoUploadRequestReply,
  recordQuery,
  recordQueryReply,
  studentLogin,
  studentLoginReply,
  studentLogout,
  studentLogoutReply,
  type TrainingMessageDefinition,
  trainingBanSet,
  trainingBanSetReply,
  unifiedNoReply,
  unifiedNoRequest,
  vehicleBinding,
  vehicleBindingReply,
} from '../src/index.ts'

export interface Fixture<B> {
  name: string
  /** Body hex; spaces separate the fields. */
  hex: string
  value: B
}

export interface FixtureSet<B = unknown> {
  def: TrainingMessageDefinition<B>
  cases: Fixture<B>[]
}

function set<B>(def: TrainingMessageDefinition<B>, cases: NoInfer<Fixture<B>>[]): FixtureSet {
  return { def: def as unknown as TrainingMessageDefinition<unknown>, cases }
}

const none = new Uint8Array(0)

// ── Shared segments ──────────────────────────────────────────────────────
export const TERMINAL_NO = '1234567890123456'
export const TERMINAL_NO_HEX = '31323334353637383930313233343536'
const COACH_NO = '3301000000000001'
const COACH_HEX = '33333031303030303030303030303031'
const STUDENT_NO = '3301000000000101'
const STUDENT_HEX = '33333031303030303030303030313031'
const ID_CARD = '330102199001011234'
const ID_CARD_HEX = '333330313032313939303031303131323334'
const CLASS_ID_HEX = '0001e240' // 123456

/** 驾培 GNSS数据包 basic part: no alarm, ACC on + fixed, 30.274085 N 120.155070 E, 40.0/39.5 km/h, 90°. */
const GNSS28_HEX = '00000000 00000003 01cdf225 07296bbe 0190 018b 005a 260115083030'
const GNSS28 = {
  alarm: 0,
  status: 3,
  lat: 30274085,
  lng: 120155070,
  recorderSpeed: 400,
  gnssSpeed: 395,
  heading: 90,
  timeLocal: '260115083030',
}
/** 附加GNSS数据包 (38 bytes): fix at second 30 + 里程 123.4 km + 发动机转速 2000 rpm. */
const GNSS38_HEX = '00000000 00000003 01cdf225 07296bbe 0190 018b 005a 260115080330 01 04 000004d2 05 02 07d0'
const GNSS38 = { ...GNSS28, timeLocal: '260115080330', mileage: 1234, rpm: 2000 }

/** 学时记录编号 = 计时终端编号 + 260115 + minute of day 0483 (08:03). */
export const RECORD_NO = '12345678901234562601150483'
const RECORD_NO_HEX = '3132333435363738393031323334353632363031313530343833'
const PHOTO_NO = '0000000017'
const PHOTO_NO_HEX = '30303030303030303137'
/** 表B.56 block with the standard defaults. */
const APP_PARAMS_HEX = '0f 01 01 05 0e10 0096 001e 02 02 003c'
const APP_PARAMS = {
  photoIntervalMin: 15,
  photoUpload: 1,
  readAloud: 1,
  stopTimingDelayMin: 5,
  gnssIntervalAfterEngineOffSec: 3600,
  coachLogoutDelayMin: 150,
  reverifyIntervalMin: 30,
  coachCrossSchool: 2,
  studentCrossSchool: 2,
  sameCommandIntervalSec: 60,
}
const GBK_WELCOME = 'bbb6d3adb5c7c2bc' // 欢迎登录
const GBK_SAFETY = 'c7ebd7a2d2e2b0b2c8ab' // 请注意安全
const GBK_BANNED = 'bdf1c8d5bdfbd1b5' // 今日禁训
const GBK_PLATE = 'd5e3413132333435' // 浙A12345

/** The 0x0203 minute record used by the envelope and frame tests (114 bytes). */
export const MINUTE_RECORD_HEX = `${RECORD_NO_HEX} 01 ${STUDENT_HEX} ${COACH_HEX} ${CLASS_ID_HEX} 080359 1212110000 00 0190 0007 ${GNSS38_HEX}`
export const MINUTE_RECORD = {
  recordNo: RECORD_NO,
  reportType: 1,
  studentNo: STUDENT_NO,
  coachNo: COACH_NO,
  classId: 123456,
  recordTimeLocal: '080359',
  courseCode: '1212110000',
  status: 0,
  maxSpeed: 400,
  mileage: 7,
  gnss: GNSS38,
}

export const FIXTURES: FixtureSet[] = [
  set(coachLogin, [
    {
      name: 'C1 coach',
      hex: `${COACH_HEX} ${ID_CARD_HEX} 4331 ${GNSS28_HEX}`,
      value: { coachNo: COACH_NO, coachIdCard: ID_CARD, teachPermitted: 'C1', gnss: GNSS28 },
    },
    {
      name: 'short card number padded at the front',
      hex: `${COACH_HEX} 0000000000000000000000 31323334353637 4232 ${GNSS28_HEX}`,
      value: { coachNo: COACH_NO, coachIdCard: '1234567', teachPermitted: 'B2', gnss: GNSS28 },
    },
  ]),
  set(coachLoginReply, [
    {
      name: 'success with a message to read aloud',
      hex: `01 ${COACH_HEX} 01 08 ${GBK_WELCOME}`,
      value: { result: 1, coachNo: COACH_NO, readAloud: 1, message: '欢迎登录' },
    },
    {
      name: 'invalid coach number, no message',
      hex: `02 ${COACH_HEX} 00 00`,
      value: { result: 2, coachNo: COACH_NO, readAloud: 0, message: '' },
    },
  ]),
  set(coachLogout, [{ name: 'logout', hex: `${COACH_HEX} ${GNSS28_HEX}`, value: { coachNo: COACH_NO, gnss: GNSS28 } }]),
  set(coachLogoutReply, [{ name: 'success', hex: `01 ${COACH_HEX}`, value: { result: 1, coachNo: COACH_NO } }]),
  set(studentLogin, [
    {
      name: 'C1 part 2 基础驾驶',
      hex: `${STUDENT_HEX} ${COACH_HEX} 1212110000 ${CLASS_ID_HEX} ${GNSS28_HEX}`,
      value: { studentNo: STUDENT_NO, coachNo: COACH_NO, courseCode: '1212110000', classId: 123456, gnss: GNSS28 },
    },
  ]),
  set(studentLoginReply, [
    {
      name: 'success with totals and a prompt',
      hex: `01 ${STUDENT_HEX} 0960 01e0 0bb8 012c 01 0a ${GBK_SAFETY}`,
      value: {
        result: 1,
        studentNo: STUDENT_NO,
        totalMinutes: 2400,
        partMinutes: 480,
        totalMileage: 3000,
        partMileage: 300,
        readAloud: 1,
        message: '请注意安全',
      },
    },
    {
      name: 'vehicle type mismatch',
      hex: `05 ${STUDENT_HEX} 0000 0000 0000 0000 00 00`,
      value: {
        result: 5,
        studentNo: STUDENT_NO,
        totalMinutes: 0,
        partMinutes: 0,
        totalMileage: 0,
        partMileage: 0,
        readAloud: 0,
        message: '',
      },
    },
  ]),
  set(studentLogout, [
    {
      name: 'one hour, 10 km',
      hex: `${STUDENT_HEX} 260115093000 003c 0064 ${CLASS_ID_HEX} ${GNSS28_HEX}`,
      value: {
        studentNo: STUDENT_NO,
        logoutTimeLocal: '260115093000',
        loginMinutes: 60,
        loginMileage: 100,
        classId: 123456,
        gnss: GNSS28,
      },
    },
  ]),
  set(studentLogoutReply, [{ name: 'success', hex: `01 ${STUDENT_HEX}`, value: { result: 1, studentNo: STUDENT_NO } }]),
  set(minuteRecord, [
    { name: 'automatic, 08:03', hex: MINUTE_RECORD_HEX, value: MINUTE_RECORD },
    {
      name: 'on request, abnormal',
      hex: `${RECORD_NO_HEX} 02 ${STUDENT_HEX} ${COACH_HEX} ${CLASS_ID_HEX} 080359 2002010000 01 0000 0000 ${GNSS38_HEX}`,
      value: { ...MINUTE_RECORD, reportType: 2, courseCode: '2002010000', status: 1, maxSpeed: 0, mileage: 0 },
    },
  ]),
  set(recordQuery, [
    {
      name: 'by time',
      hex: '01 260115080000 260115120000 0000',
      value: { mode: 1, startTimeLocal: '260115080000', endTimeLocal: '260115120000', count: 0 },
    },
    {
      name: 'by count',
      hex: '02 000000000000 000000000000 0010',
      value: { mode: 2, startTimeLocal: '000000000000', endTimeLocal: '000000000000', count: 16 },
    },
  ]),
  set(recordQueryReply, [
    { name: 'uploading', hex: '01', value: { result: 1, extra: none } },
    { name: 'vendor bytes kept raw', hex: '04 abcd', value: { result: 4, extra: hex('abcd') } },
  ]),
  set(photoNow, [{ name: '640×480, auto channel', hex: '01 00 02', value: { uploadMode: 1, channel: 0, size: 2 } }]),
  set(photoNowReply, [
    { name: 'success', hex: '01 01 00 02', value: { result: 1, uploadMode: 1, channel: 0, size: 2, extra: none } },
  ]),
  set(photoQuery, [
    {
      name: 'one day',
      hex: '01 260115000000 260115235959',
      value: { mode: 1, startTimeLocal: '260115000000', endTimeLocal: '260115235959' },
    },
  ]),
  set(photoQueryReply, [{ name: 'started', hex: '01', value: { result: 1, extra: none } }]),
  set(photoQueryResult, [
    {
      name: 'last packet, two photos',
      hex: `01 03 02 ${PHOTO_NO_HEX} 30303030303030303138`,
      value: { isEnd: 1, total: 3, photoNos: [PHOTO_NO, '0000000018'] },
    },
    { name: 'nothing found', hex: '01 00 00', value: { isEnd: 1, total: 0, photoNos: [] } },
  ]),
  set(photoQueryResultReply, [{ name: 'continue', hex: '00', value: { answer: 0 } }]),
  set(photoUploadRequest, [{ name: 'one photo', hex: PHOTO_NO_HEX, value: { photoNo: PHOTO_NO } }]),
  set(photoUploadRequestReply, [{ name: 'found', hex: '00', value: { result: 0, extra: none } }]),
  set(photoUploadInit, [
    {
      name: 'student login photo',
      hex: `${PHOTO_NO_HEX} ${STUDENT_HEX} 81 01 02 11 0003 00000a00 ${CLASS_ID_HEX} ${GNSS38_HEX} 5f`,
      value: {
        photoNo: PHOTO_NO,
        personNo: STUDENT_NO,
        uploadMode: 129,
        channel: 1,
        size: 2,
        event: 17,
        packetCount: 3,
        photoSize: 2560,
        classId: 123456,
        gnss: GNSS38,
        faceConfidence: 95,
      },
    },
  ]),
  set(photoUploadInitReply, [{ name: 'accepted', hex: '00', value: { answer: 0, extra: none } }]),
  set(photoData, [
    {
      name: 'JPEG packet',
      hex: `${PHOTO_NO_HEX} ffd8ffe000104a464946 ffd9`,
      value: { photoNo: PHOTO_NO, data: hex('ffd8ffe000104a464946ffd9') },
    },
  ]),
  set(appParamsSet, [
    { name: 'set all, defaults', hex: `00 ${APP_PARAMS_HEX}`, value: { paramNo: 0, params: APP_PARAMS, extra: none } },
    {
      name: 'one field, vendor bytes kept',
      hex: `07 ${APP_PARAMS_HEX} dc01`,
      value: { paramNo: 7, params: APP_PARAMS, extra: hex('dc01') },
    },
  ]),
  set(appParamsSetReply, [{ name: 'success', hex: '00', value: { result: 0 } }]),
  set(trainingBanSet, [
    { name: 'ban with prompt', hex: `02 08 ${GBK_BANNED}`, value: { state: 2, message: '今日禁训', extra: none } },
    { name: 'lift ban', hex: '01 00', value: { state: 1, message: '', extra: none } },
  ]),
  set(trainingBanSetReply, [
    {
      name: 'ban applied',
      hex: `00 02 08 ${GBK_BANNED}`,
      value: { result: 0, state: 2, message: '今日禁训', extra: none },
    },
  ]),
  set(appParamsQuery, [{ name: 'empty body', hex: '', value: { extra: none } }]),
  set(appParamsQueryReply, [
    { name: 'defaults', hex: `00 ${APP_PARAMS_HEX}`, value: { result: 0, params: APP_PARAMS, extra: none } },
  ]),
  set(identityRequest, [
    {
      name: 'coach identity',
      hex: `04 01 ${ID_CARD_HEX}`,
      value: { infoType: 4, personType: 1, idCard: ID_CARD, extra: none },
    },
  ]),
  set(identityReply, [
    {
      name: 'text and vendor extras',
      hex: `0005 00 00000008 ${GBK_WELCOME} 01 ${COACH_HEX}`,
      value: { requestSeq: 5, result: 0, info: '欢迎登录', extra: hex(`01${COACH_HEX}`) },
    },
  ]),
  set(unifiedNoRequest, [
    { name: 'type 2 with search key', hex: `02 ${ID_CARD_HEX}`, value: { type: 2, searchKey: ID_CARD, extra: none } },
    { name: 'type 1 without key', hex: '01', value: { type: 1, extra: none } },
  ]),
  set(unifiedNoReply, [
    {
      name: 'coach number',
      hex: `0006 00 ${COACH_HEX} 4331`,
      value: { requestSeq: 6, result: 0, unifiedNo: COACH_NO, licenseType: 'C1', extra: none },
    },
  ]),
  set(vehicleBinding, [{ name: 'plate text kept raw', hex: GBK_PLATE, value: { content: hex(GBK_PLATE) } }]),
  set(vehicleBindingReply, [
    { name: 'bound', hex: `0007 00 01 ${GBK_PLATE}`, value: { requestSeq: 7, result: 0, flag: 1, plate: '浙A12345' } },
  ]),
]
