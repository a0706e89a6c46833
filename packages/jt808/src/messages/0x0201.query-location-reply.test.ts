// 0x0201 位置信息查询应答 (JT/T 808-2013 §8.20): 应答流水号 + a 0x0200 body.
import { roundTrip } from '../../test/round-trip.ts'
import { queryLocationReply } from './0x0201.query-location-reply.ts'

roundTrip(queryLocationReply, [
  {
    name: '驾培',
    hex: '0003 00000000 00000003 01cdf225 07296bbe 0190 018a 005a 240501083000 05 02 0898',
    value: {
      replySerial: 3,
      location: {
        alarm: 0,
        status: 3,
        lat: 30274085,
        lng: 120155070,
        recorderSpeed: 400,
        gnssSpeed: 394,
        heading: 90,
        timeLocal: '240501083000',
        items: [{ id: 5, value: 2200 }],
      },
    },
  },
])
