/**
 * 计时终端应用参数 (表B.56): the 14-byte block carried by 0x8501 after 参数编号 and by 0x0503
 * (表B.60) after 结果. Defaults per STANDARDS §2.7 are in {@link DEFAULT_APP_PARAMS}.
 */
import { struct, u8, u16, type ValueOf } from '@jiapei/jt808'
import { APP_PHOTO_UPLOAD, APP_READ_ALOUD, CROSS_SCHOOL } from '../codes.ts'
import { minutes } from '../fields.ts'

const seconds = (v: number) => `${v} 秒`

export const appParams = struct([
  { key: 'photoIntervalMin', name: '定时拍照时间间隔 (min)', type: u8, format: minutes },
  { key: 'photoUpload', name: '照片上传设置', type: u8, codes: APP_PHOTO_UPLOAD.labels },
  { key: 'readAloud', name: '是否报读附加消息', type: u8, codes: APP_READ_ALOUD.labels },
  { key: 'stopTimingDelayMin', name: '熄火后停止学时计时的延时时间 (min)', type: u8, format: minutes },
  {
    key: 'gnssIntervalAfterEngineOffSec',
    name: '熄火后GNSS数据包上传间隔 (s)',
    type: u16,
    format: (v) => (v === 0 ? '0 = 不上传' : seconds(v)),
  },
  { key: 'coachLogoutDelayMin', name: '熄火后教练自动登出的延时时间 (min)', type: u16, format: minutes },
  { key: 'reverifyIntervalMin', name: '重新验证身份时间 (min)', type: u16, format: minutes },
  { key: 'coachCrossSchool', name: '教练跨校教学', type: u8, codes: CROSS_SCHOOL.labels },
  { key: 'studentCrossSchool', name: '学员跨校学习', type: u8, codes: CROSS_SCHOOL.labels },
  { key: 'sameCommandIntervalSec', name: '响应平台同类消息时间间隔 (s)', type: u16, format: seconds },
])

export type AppParams = ValueOf<typeof appParams>

/** The defaults named by the standard; fields without a stated default use common terminal values. */
export const DEFAULT_APP_PARAMS: Readonly<AppParams> = Object.freeze({
  photoIntervalMin: 15,
  photoUpload: APP_PHOTO_UPLOAD.code.automatic,
  readAloud: APP_READ_ALOUD.code.read,
  stopTimingDelayMin: 5,
  gnssIntervalAfterEngineOffSec: 3600,
  coachLogoutDelayMin: 150,
  reverifyIntervalMin: 30,
  coachCrossSchool: CROSS_SCHOOL.code.forbidden,
  studentCrossSchool: CROSS_SCHOOL.code.forbidden,
  sameCommandIntervalSec: 60,
})
