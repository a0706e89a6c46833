/** A terminal profile like the demo seed's: a C1 car of a Hangzhou institution and its field. */
import type { TerminalProfile } from '../src/index.ts'

export const FIELD = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [120.1, 30.25],
      [120.1035, 30.2504],
      [120.1032, 30.2528],
      [120.0998, 30.2525],
      [120.1, 30.25],
    ],
  ],
}

/**
 * The smallest site a registry allows: a 3rd-class school's 10,000 m² (148 × 67 m), rotated 35°,
 * so it fills under half of its bounding box.
 */
export const SMALL_FIELD = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [120.109569, 30.25937],
      [120.110833, 30.260134],
      [120.110431, 30.26063],
      [120.109167, 30.259866],
      [120.109569, 30.25937],
    ],
  ],
}

export function profile(overrides: Partial<TerminalProfile> = {}): TerminalProfile {
  return {
    phone: '13800138000',
    deviceNo: '3301000000000123',
    imei: '860000000000123',
    provinceId: 33,
    cityId: 102,
    plate: '浙A1234学',
    plateColor: 2,
    institutionNo: '3301000000000001',
    coach: { coachNo: '3301000000000456', idCard: '330102198001011234', teachPermitted: 'C1' },
    students: [
      { stuNo: '3301000000007001', licenseType: 'C1' },
      { stuNo: '3301000000007002', licenseType: 'C1' },
    ],
    field: FIELD,
    odometerMetres: 35_000_000,
    ...overrides,
  }
}

/** 2026-03-02 09:00:00 Beijing time. */
export const START = Date.UTC(2026, 2, 2, 1, 0, 0)
