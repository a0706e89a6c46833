// 0x8304 信息服务 (JT/T 808-2013 §8.43): 信息类型 1, 信息长度 16, "前方施工，请减速" in GBK.
import { roundTrip } from '../../test/round-trip.ts'
import { informationService } from './0x8304.information-service.ts'

roundTrip(informationService, [
  {
    name: 'road notice',
    hex: '01 0010 c7b0b7bdcaa9b9a4a3acc7ebbcf5cbd9',
    value: { infoType: 1, content: '前方施工，请减速' },
  },
])
