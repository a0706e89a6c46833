/**
 * Registry tables (M1, M3, M4): regions, timing platforms, institutions and everything they file.
 *
 * Every row below an institution carries `institution_id`, `city_code` and `county_code` so a
 * jurisdiction filter is a plain equality on the row itself (cheap, index-friendly and shard-
 * friendly; see docs/architecture.md "Jurisdiction"). Codes of the national registry (统一编号)
 * are stored as text with CHECKs on their length; validation with check digits lives in
 * `domain/identity.ts`. The allowed values of coded text columns come from `domain/vocabulary.ts`,
 * the same lists the registry definitions and the console use (they are not database enums, so a
 * new value needs no migration).
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import {
  BUSINESS_TYPE,
  CONTRACT_STATUS,
  EMPLOYMENT_STATUS,
  FIELD_KIND,
  FIELD_STATUS,
  FILING_STATUS,
  PAY_MODE,
  PLATFORM_STATUS,
  SEX,
  STUDENT_STATUS,
  TERMINAL_STATUS,
  VEHICLE_STATUS,
  valuesOf,
} from '../../domain/vocabulary.ts'

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

const placement = {
  cityCode: text('city_code').notNull(),
  countyCode: text('county_code').notNull(),
}

/** GB/T 2260 行政区划: province (330000), city (330100), county-level division (330102). */
export const region = pgTable(
  'region',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: ['province', 'city', 'county'] }).notNull(),
    parentCode: text('parent_code'),
    /** Representative point (WGS-84 lng/lat) used to place generated data and map labels. */
    centerLng: doublePrecision('center_lng'),
    centerLat: doublePrecision('center_lat'),
  },
  (t) => [index('region_parent_idx').on(t.parentCode), check('region_code_len', sql`length(${t.code}) = 6`)],
)

/** 计时平台: a timing platform (ours or a third party's) that runs terminals and uploads data. */
export const timingPlatform = pgTable(
  'timing_platform',
  {
    id: serial('id').primaryKey(),
    platformNo: text('platform_no').notNull(),
    name: text('name').notNull(),
    operatorName: text('operator_name').notNull(),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    status: text('status', { enum: valuesOf(PLATFORM_STATUS) })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('timing_platform_no_uq').on(t.platformNo),
    check('platform_no_len', sql`length(${t.platformNo}) = 5`),
  ],
)

/** 驾培机构. */
export const institution = pgTable(
  'institution',
  {
    id: serial('id').primaryKey(),
    /** 全国统一编号, 16 characters. */
    insCode: text('ins_code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    /** 统一社会信用代码, 18 characters. */
    creditCode: text('credit_code'),
    ...placement,
    address: text('address'),
    legalPerson: text('legal_person'),
    contactPhone: text('contact_phone'),
    /** 机构等级: 一级 / 二级 / 三级 (GB/T 30340-2013). */
    classLevel: integer('class_level').notNull(),
    /** 经营范围: vehicle types it may train, e.g. {C1,C2}. */
    businessScope: text('business_scope').array().notNull(),
    /** 备案状态. */
    filingStatus: text('filing_status', { enum: valuesOf(FILING_STATUS) })
      .notNull()
      .default('filed'),
    licenceNo: text('licence_no'),
    licenceValidUntil: date('licence_valid_until'),
    /** 收费项目与标准: [{ item, licenseType, amountYuan, unit, note }]. */
    feeItems: jsonb('fee_items').notNull().default(sql`'[]'::jsonb`),
    /** 公示信息 (public disclosure): service hours, complaint phone, intro text … */
    disclosure: jsonb('disclosure').notNull().default(sql`'{}'::jsonb`),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    timingPlatformId: integer('timing_platform_id').references(() => timingPlatform.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('institution_ins_code_uq').on(t.insCode),
    index('institution_city_idx').on(t.cityCode),
    index('institution_county_idx').on(t.countyCode),
    check('institution_ins_code_len', sql`length(${t.insCode}) = 16`),
    check('institution_class_level', sql`${t.classLevel} between 1 and 3`),
  ],
)

/** 教练场地 (training field): a polygon with its area and facilities. */
export const trainingField = pgTable(
  'training_field',
  {
    id: serial('id').primaryKey(),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    name: text('name').notNull(),
    /** site = 场地 (科目二), classroom = 教室, road = 道路训练路线 (科目三). */
    kind: text('kind', { enum: valuesOf(FIELD_KIND) })
      .notNull()
      .default('site'),
    address: text('address'),
    /** GeoJSON Polygon (WGS-84). */
    polygon: jsonb('polygon'),
    areaM2: doublePrecision('area_m2'),
    facilities: text('facilities').array().notNull().default(sql`'{}'::text[]`),
    /** Vehicle types this field is approved for. */
    vehicleTypes: text('vehicle_types').array().notNull().default(sql`'{}'::text[]`),
    status: text('status', { enum: valuesOf(FIELD_STATUS) })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [
    index('training_field_institution_idx').on(t.institutionId),
    index('training_field_county_idx').on(t.countyCode),
  ],
)

/** 教练员. */
export const coach = pgTable(
  'coach',
  {
    id: serial('id').primaryKey(),
    coachNo: text('coach_no').notNull(),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    name: text('name').notNull(),
    sex: text('sex', { enum: valuesOf(SEX) }).notNull(),
    idCard: text('id_card').notNull(),
    mobile: text('mobile'),
    /** 准驾车型 on the coach's own driving licence. */
    drivingPermitted: text('driving_permitted'),
    /** 准教车型 (what the coach may teach), e.g. C1. */
    teachPermitted: text('teach_permitted').notNull(),
    firstLicensedOn: date('first_licensed_on'),
    /** 职业技能等级 1 (五级/初级) … 5 (一级/高级技师). */
    occupationLevel: integer('occupation_level'),
    occupationCertNo: text('occupation_cert_no'),
    employmentStatus: text('employment_status', { enum: valuesOf(EMPLOYMENT_STATUS) })
      .notNull()
      .default('employed'),
    hiredOn: date('hired_on'),
    leftOn: date('left_on'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('coach_no_uq').on(t.coachNo),
    uniqueIndex('coach_id_card_uq').on(t.idCard),
    index('coach_institution_idx').on(t.institutionId),
    index('coach_county_idx').on(t.countyCode),
    check('coach_no_len', sql`length(${t.coachNo}) = 16`),
  ],
)

/** 教练车. */
export const vehicle = pgTable(
  'vehicle',
  {
    id: serial('id').primaryKey(),
    carNo: text('car_no').notNull(),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    /** 车牌号 without separator, e.g. 浙AD12345 or 浙A1234学. */
    plate: text('plate').notNull(),
    /** 1 蓝 2 黄 3 黑 4 白 5 绿 9 其它 (national exchange code). */
    plateColor: integer('plate_color').notNull(),
    vehicleType: text('vehicle_type').notNull(),
    brand: text('brand'),
    model: text('model'),
    vin: text('vin'),
    engineNo: text('engine_no'),
    purchasedOn: date('purchased_on'),
    /** 年审（检验）有效期至. */
    inspectionValidUntil: date('inspection_valid_until'),
    status: text('status', { enum: valuesOf(VEHICLE_STATUS) })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('vehicle_car_no_uq').on(t.carNo),
    uniqueIndex('vehicle_plate_uq').on(t.plate),
    index('vehicle_institution_idx').on(t.institutionId),
    index('vehicle_county_idx').on(t.countyCode),
    check('vehicle_car_no_len', sql`length(${t.carNo}) = 16`),
  ],
)

/** 计时终端. */
export const terminal = pgTable(
  'terminal',
  {
    id: serial('id').primaryKey(),
    /** 计时终端编号 (16). */
    deviceNo: text('device_no').notNull(),
    /** SIM / phone number used in the JT/T 808 header. */
    phone: text('phone').notNull(),
    imei: text('imei').notNull(),
    serialNo: text('serial_no'),
    vendor: text('vendor'),
    model: text('model'),
    /** 1 车载计程计时终端, 2 课堂教学计时终端, 3 模拟训练计时终端. */
    terminalType: integer('terminal_type').notNull().default(1),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    vehicleId: integer('vehicle_id').references(() => vehicle.id),
    timingPlatformId: integer('timing_platform_id')
      .notNull()
      .references(() => timingPlatform.id),
    status: text('status', { enum: valuesOf(TERMINAL_STATUS) })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('terminal_device_no_uq').on(t.deviceNo),
    uniqueIndex('terminal_phone_uq').on(t.phone),
    uniqueIndex('terminal_imei_uq').on(t.imei),
    uniqueIndex('terminal_vehicle_uq').on(t.vehicleId),
    index('terminal_institution_idx').on(t.institutionId),
    index('terminal_platform_idx').on(t.timingPlatformId),
    check('terminal_device_no_len', sql`length(${t.deviceNo}) = 16`),
  ],
)

/** 学员. */
export const student = pgTable(
  'student',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stuNo: text('stu_no').notNull(),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    name: text('name').notNull(),
    sex: text('sex', { enum: valuesOf(SEX) }).notNull(),
    idCard: text('id_card').notNull(),
    nationality: text('nationality').notNull().default('中国'),
    phone: text('phone'),
    address: text('address'),
    /** 培训车型 C1, C2, B2 … */
    licenseType: text('license_type').notNull(),
    /** 业务类型: initial (初领), upgrade (增驾), other. */
    businessType: text('business_type', { enum: valuesOf(BUSINESS_TYPE) })
      .notNull()
      .default('initial'),
    enrolledOn: date('enrolled_on').notNull(),
    status: text('status', { enum: valuesOf(STUDENT_STATUS) })
      .notNull()
      .default('enrolled'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('student_no_uq').on(t.stuNo),
    index('student_id_card_idx').on(t.idCard),
    index('student_institution_idx').on(t.institutionId),
    index('student_county_idx').on(t.countyCode),
    index('student_city_idx').on(t.cityCode),
    check('student_no_len', sql`length(${t.stuNo}) = 16`),
  ],
)

/** 学员跨机构转学 (transfer history); the student row always points at the current institution. */
export const studentTransfer = pgTable(
  'student_transfer',
  {
    id: serial('id').primaryKey(),
    studentId: bigint('student_id', { mode: 'number' })
      .notNull()
      .references(() => student.id),
    fromInstitutionId: integer('from_institution_id')
      .notNull()
      .references(() => institution.id),
    toInstitutionId: integer('to_institution_id')
      .notNull()
      .references(() => institution.id),
    reason: text('reason'),
    transferredAt: timestamp('transferred_at', { withTimezone: true }).notNull().defaultNow(),
    byUserId: integer('by_user_id'),
  },
  (t) => [index('student_transfer_student_idx').on(t.studentId)],
)

/** 培训合同 (M4): fee terms, pay-per-hour and train-first-pay-later. */
export const contract = pgTable(
  'contract',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    contractNo: text('contract_no').notNull(),
    studentId: bigint('student_id', { mode: 'number' })
      .notNull()
      .references(() => student.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institution.id),
    ...placement,
    licenseType: text('license_type').notNull(),
    /** 计时收费 (pay per hour), 先培训后付费 (train first), 一次性收费 (lump sum). */
    payMode: text('pay_mode', { enum: valuesOf(PAY_MODE) }).notNull(),
    totalAmountFen: integer('total_amount_fen').notNull(),
    unitPriceFen: integer('unit_price_fen'),
    escrowAccount: text('escrow_account'),
    signedOn: date('signed_on').notNull(),
    status: text('status', { enum: valuesOf(CONTRACT_STATUS) })
      .notNull()
      .default('active'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('contract_no_uq').on(t.contractNo),
    index('contract_student_idx').on(t.studentId),
    index('contract_institution_idx').on(t.institutionId),
  ],
)

export type Region = typeof region.$inferSelect
export type Institution = typeof institution.$inferSelect
export type TrainingField = typeof trainingField.$inferSelect
export type Coach = typeof coach.$inferSelect
export type Vehicle = typeof vehicle.$inferSelect
export type Terminal = typeof terminal.$inferSelect
export type Student = typeof student.$inferSelect
export type Contract = typeof contract.$inferSelect
export type TimingPlatform = typeof timingPlatform.$inferSelect
