// 0x0801 多媒体数据上传 (JT/T 808-2013 §8.56): ID 1, 图像, JPEG, 定时动作, 通道 1, the 28-byte
// position block (驾培 layout under the 驾培 header, 808 layout otherwise), then the JPEG bytes.
import { roundTrip } from '../../test/round-trip.ts'
import { hex } from '../bytes/hex.ts'
import { multimediaUpload } from './0x0801.multimedia-upload.ts'

const head = { mediaId: 1, mediaType: 0, format: 0, event: 1, channel: 1 }
const JPEG = 'ffd8ffe000104a464946ffd9'

roundTrip(multimediaUpload, [
  {
    name: '驾培 photo',
    hex: '00000001 00 00 01 01 00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000 ffd8ffe000104a464946ffd9',
    value: {
      ...head,
      location: {
        alarm: 0,
        status: 3,
        lat: 30274085,
        lng: 120155070,
        recorderSpeed: 400,
        gnssSpeed: 394,
        heading: 90,
        timeLocal: '240501083000',
      },
      data: hex(JPEG),
    },
  },
  {
    name: '2013 photo',
    version: '2013',
    hex: '00000001 00 00 01 01 00000000 00000003 01cdf225 07296bbe 0020 0190 005a 240501083000 ffd8ffe000104a464946ffd9',
    value: {
      ...head,
      location: {
        alarm: 0,
        status: 3,
        lat: 30274085,
        lng: 120155070,
        altitude: 32,
        speed: 400,
        heading: 90,
        timeLocal: '240501083000',
      },
      data: hex(JPEG),
    },
  },
])
