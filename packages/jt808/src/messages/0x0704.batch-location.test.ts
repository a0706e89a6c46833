// 0x0704 定位数据批量上传 (JT/T 808-2013 §8.53): 数据项个数 2, 类型 1 盲区补报, each item a WORD
// length + a 0x0200 body (驾培 GNSS数据包 + 0x01 里程 under the 驾培 header).
import { roundTrip } from '../../test/round-trip.ts'
import { batchLocation } from './0x0704.batch-location.ts'

const basic = {
  alarm: 0,
  status: 3,
  lat: 30274085,
  lng: 120155070,
  recorderSpeed: 400,
  gnssSpeed: 394,
  heading: 90,
  timeLocal: '240501083000',
}

roundTrip(batchLocation, [
  {
    name: '驾培 blind-area backfill',
    hex: '0002 01 0022 00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000 01 04 00001e61 001c 00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000',
    value: {
      type: 1,
      locations: [
        { ...basic, items: [{ id: 1, value: 7777 }] },
        { ...basic, items: [] },
      ],
    },
  },
  {
    name: '2013 one item',
    version: '2013',
    hex: '0001 00 001c 00000000 00000003 01cdf225 07296bbe 0020 0190 005a 240501083000',
    value: {
      type: 0,
      locations: [
        {
          alarm: 0,
          status: 3,
          lat: 30274085,
          lng: 120155070,
          altitude: 32,
          speed: 400,
          heading: 90,
          timeLocal: '240501083000',
          items: [],
        },
      ],
    },
  },
])
