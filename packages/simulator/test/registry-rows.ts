/** Registry rows for the fleet and end-to-end tests. */
import type { Database } from '../../server/src/db/client.ts'
import { FIELD } from './fixtures.ts'

export /** One institution with its site, three C1 cars with terminals, two coaches and five students. */
async function insertRegistry(db: Database): Promise<void> {
  const [platform] = await db.query<{ id: number }>(
    `insert into timing_platform (platform_no, name, operator_name) values ('A0107', '计时平台', '运营商') returning id`,
  )
  const [inst] = await db.query<{ id: number }>(
    `insert into institution (ins_code, name, city_code, county_code, class_level, business_scope, timing_platform_id)
     values ('3301060000000001', '之江驾校', '330100', '330106', 1, '{C1}', $1) returning id`,
    [platform?.id],
  )
  await db.query(
    `insert into training_field (institution_id, city_code, county_code, name, kind, polygon)
     values ($1, '330100', '330106', '之江训练场', 'site', $2::jsonb)`,
    [inst?.id, JSON.stringify(FIELD)],
  )
  for (let i = 1; i <= 3; i++) {
    const [veh] = await db.query<{ id: number }>(
      `insert into vehicle (car_no, institution_id, city_code, county_code, plate, plate_color, vehicle_type)
       values ($1, $2, '330100', '330106', $3, 2, 'C1') returning id`,
      [`V33010600000000${i}`, inst?.id, `浙A0000${i}学`],
    )
    await db.query(
      `insert into terminal (device_no, phone, imei, institution_id, city_code, county_code, vehicle_id, timing_platform_id)
       values ($1, $2, $3, $4, '330100', '330106', $5, $6)`,
      [`T33010600000000${i}`, `1390000000${i}`, `86000000000000${i}`, inst?.id, veh?.id, platform?.id],
    )
  }
  for (let i = 1; i <= 2; i++) {
    await db.query(
      `insert into coach (coach_no, institution_id, city_code, county_code, name, sex, id_card, teach_permitted)
       values ($1, $2, '330100', '330106', '张教练', 'male', $3, 'C1')`,
      [`C33010600000000${i}`, inst?.id, `33010619800101000${i}`],
    )
  }
  for (let i = 1; i <= 5; i++) {
    await db.query(
      `insert into student (stu_no, institution_id, city_code, county_code, name, sex, id_card, license_type, enrolled_on)
       values ($1, $2, '330100', '330106', '李学员', 'female', $3, 'C1', '2026-01-01')`,
      [`S33010600000000${i}`, inst?.id, `33010620000101000${i}`],
    )
  }
}
