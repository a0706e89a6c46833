/**
 * One definition per registry entity: the URL segment, the table, every field with its Chinese
 * label, kind and validator. The HTTP schemas, `prepareCreate`/`prepareUpdate`, list filters,
 * masking, import templates and export columns are all derived from these definitions.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Permission } from '../auth/roles.ts'
import {
  coach,
  contract,
  institution,
  student,
  terminal,
  timingPlatform,
  trainingField,
  vehicle,
} from '../db/schema/index.ts'
import {
  checkCreditCode,
  checkIdCard,
  checkImei,
  checkMobile,
  checkPlate,
  checkPlatformNo,
  checkRegistryNo,
  checkTerminalPhone,
  LICENSE_TYPES,
  normalizeIdCard,
  normalizePlate,
} from '../domain/identity.ts'
import {
  BUSINESS_TYPE,
  CLASS_LEVEL,
  CONTRACT_STATUS,
  EMPLOYMENT_STATUS,
  FIELD_KIND,
  FIELD_STATUS,
  FILING_STATUS,
  labelsOf,
  PAY_MODE,
  PLATE_COLOR,
  PLATFORM_STATUS,
  SEX,
  STUDENT_STATUS,
  TERMINAL_STATUS,
  TERMINAL_TYPE,
  VEHICLE_STATUS,
  type Vocabulary,
  valuesOf,
} from '../domain/vocabulary.ts'

export const ENTITY_NAMES = [
  'institutions',
  'fields',
  'coaches',
  'vehicles',
  'terminals',
  'students',
  'contracts',
  'platforms',
] as const
export type EntityName = (typeof ENTITY_NAMES)[number]

export function isEntityName(value: string): value is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(value)
}

export type FieldKind = 'text' | 'int' | 'float' | 'date' | 'enum' | 'textArray' | 'json'

export interface FieldDef {
  /** camelCase key, equal to the Drizzle column key and the JSON property. */
  key: string
  /** Chinese label (form labels, import headers, error messages). */
  label: string
  kind: FieldKind
  /** Must be present on create. */
  required?: boolean
  /** Allowed values of an `enum` (or of each element of a `textArray`), with their Chinese labels. */
  values?: readonly (string | number)[]
  valueLabels?: Readonly<Record<string, string>>
  min?: number
  max?: number
  maxLength?: number
  /** Canonical stored form (trim/upper-case …) applied before `check`. */
  normalize?: (value: string) => string
  /** Returns a Chinese reason when the value is invalid. */
  check?: (value: string) => string | null
  /** Unique across the whole province (duplicate → ERR_REG_DUPLICATE). */
  unique?: boolean
  /** Personal data: masked in lists and for readers without personal:read. */
  personal?: 'idCard' | 'phone'
  /** Derived by the server (never accepted from input). */
  derived?: boolean
  /** Accepted on create only. */
  createOnly?: boolean
}

export interface EntityDef {
  name: EntityName
  /** Table name (audit `entity`). */
  table: string
  /** Drizzle table. */
  drizzle: PgTable
  label: string
  fields: readonly FieldDef[]
  /** Rows carry institution_id and derive city/county from their institution. */
  owned: boolean
  /** Keys searched by `q` (ILIKE). */
  searchKeys: readonly string[]
  /** Key filtered by `status`. */
  statusKey?: string
  /** Key filtered by `licenseType` (a list field matches when it contains the value). */
  licenseKey?: string
  /** Key filtered by `vehicleType`. */
  vehicleTypeKey?: string
  /** Keys a list may be sorted by. */
  sortKeys: readonly string[]
  /** A human-readable name of a row, for audit details. */
  titleKey: string
  /** Permission needed for POST/PATCH/DELETE. */
  write: Permission
}

/** An `enum` field over one vocabulary of domain/vocabulary.ts: its values and Chinese labels. */
const enumOf = (vocabulary: Vocabulary) =>
  ({ kind: 'enum', values: valuesOf(vocabulary), valueLabels: labelsOf(vocabulary) }) as const
const mobile = (v: string) => checkMobile(v)
const reg = (label: string) => (v: string) => checkRegistryNo(v, label)
const upper = (v: string) => v.trim().toUpperCase()
const licenseEnum = { kind: 'enum', values: LICENSE_TYPES } as const

const placementFields: FieldDef[] = [
  { key: 'cityCode', label: '所属地市', kind: 'text', derived: true },
  { key: 'countyCode', label: '所属区县', kind: 'text', derived: true },
]
const institutionRef: FieldDef = { key: 'institutionId', label: '所属机构', kind: 'int', required: true, min: 1 }

export const ENTITIES: Readonly<Record<EntityName, EntityDef>> = {
  institutions: {
    name: 'institutions',
    table: 'institution',
    drizzle: institution,
    label: '驾培机构',
    owned: false,
    fields: [
      {
        key: 'insCode',
        label: '机构编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: reg('机构编号'),
      },
      { key: 'name', label: '机构名称', kind: 'text', required: true, maxLength: 100 },
      { key: 'shortName', label: '简称', kind: 'text', maxLength: 50 },
      { key: 'creditCode', label: '统一社会信用代码', kind: 'text', normalize: upper, check: checkCreditCode },
      { key: 'cityCode', label: '所属地市', kind: 'text' },
      { key: 'countyCode', label: '所属区县', kind: 'text', required: true },
      { key: 'address', label: '地址', kind: 'text', maxLength: 200 },
      { key: 'legalPerson', label: '法定代表人', kind: 'text', maxLength: 50 },
      { key: 'contactPhone', label: '联系电话', kind: 'text', maxLength: 30 },
      {
        key: 'classLevel',
        label: '机构等级',
        required: true,
        ...enumOf(CLASS_LEVEL),
      },
      { key: 'businessScope', label: '经营范围', kind: 'textArray', required: true, values: LICENSE_TYPES },
      {
        key: 'filingStatus',
        label: '备案状态',
        ...enumOf(FILING_STATUS),
      },
      { key: 'licenceNo', label: '经营许可证号', kind: 'text', maxLength: 50 },
      { key: 'licenceValidUntil', label: '许可有效期至', kind: 'date' },
      { key: 'feeItems', label: '收费项目', kind: 'json' },
      { key: 'disclosure', label: '公示信息', kind: 'json' },
      { key: 'lng', label: '经度', kind: 'float', min: 73, max: 136 },
      { key: 'lat', label: '纬度', kind: 'float', min: 3, max: 54 },
      { key: 'timingPlatformId', label: '计时平台', kind: 'int', min: 1 },
    ],
    searchKeys: ['name', 'shortName', 'insCode'],
    statusKey: 'filingStatus',
    licenseKey: 'businessScope',
    sortKeys: ['id', 'insCode', 'name', 'countyCode', 'classLevel', 'filingStatus', 'createdAt'],
    titleKey: 'name',
    write: 'institution:write',
  },
  fields: {
    name: 'fields',
    table: 'training_field',
    drizzle: trainingField,
    label: '教练场地',
    owned: true,
    fields: [
      institutionRef,
      ...placementFields,
      { key: 'name', label: '场地名称', kind: 'text', required: true, maxLength: 100 },
      {
        key: 'kind',
        label: '场地类型',
        ...enumOf(FIELD_KIND),
      },
      { key: 'address', label: '地址', kind: 'text', maxLength: 200 },
      { key: 'polygon', label: '场地范围（GeoJSON）', kind: 'json' },
      { key: 'areaM2', label: '面积（平方米）', kind: 'float', derived: true },
      { key: 'facilities', label: '设施', kind: 'textArray' },
      { key: 'vehicleTypes', label: '适用车型', kind: 'textArray', values: LICENSE_TYPES },
      {
        key: 'status',
        label: '状态',
        ...enumOf(FIELD_STATUS),
      },
    ],
    searchKeys: ['name', 'address'],
    statusKey: 'status',
    vehicleTypeKey: 'vehicleTypes',
    sortKeys: ['id', 'name', 'areaM2', 'countyCode', 'createdAt'],
    titleKey: 'name',
    write: 'registry:write',
  },
  coaches: {
    name: 'coaches',
    table: 'coach',
    drizzle: coach,
    label: '教练员',
    owned: true,
    fields: [
      {
        key: 'coachNo',
        label: '教练员编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: reg('教练员编号'),
      },
      institutionRef,
      ...placementFields,
      { key: 'name', label: '姓名', kind: 'text', required: true, maxLength: 50 },
      { key: 'sex', label: '性别', ...enumOf(SEX) },
      {
        key: 'idCard',
        label: '身份证号',
        kind: 'text',
        required: true,
        unique: true,
        personal: 'idCard',
        normalize: normalizeIdCard,
        check: checkIdCard,
      },
      { key: 'mobile', label: '手机号', kind: 'text', personal: 'phone', check: mobile },
      { key: 'drivingPermitted', label: '准驾车型', kind: 'text', maxLength: 20 },
      { key: 'teachPermitted', label: '准教车型', required: true, ...licenseEnum },
      { key: 'firstLicensedOn', label: '初领驾驶证日期', kind: 'date' },
      { key: 'occupationLevel', label: '职业技能等级', kind: 'int', min: 1, max: 5 },
      { key: 'occupationCertNo', label: '职业资格证号', kind: 'text', maxLength: 50 },
      {
        key: 'employmentStatus',
        label: '供职状态',
        ...enumOf(EMPLOYMENT_STATUS),
      },
      { key: 'hiredOn', label: '入职日期', kind: 'date' },
      { key: 'leftOn', label: '离职日期', kind: 'date' },
    ],
    searchKeys: ['name', 'coachNo'],
    statusKey: 'employmentStatus',
    licenseKey: 'teachPermitted',
    sortKeys: ['id', 'coachNo', 'name', 'teachPermitted', 'hiredOn', 'countyCode', 'createdAt'],
    titleKey: 'name',
    write: 'registry:write',
  },
  vehicles: {
    name: 'vehicles',
    table: 'vehicle',
    drizzle: vehicle,
    label: '教练车',
    owned: true,
    fields: [
      {
        key: 'carNo',
        label: '教练车编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: reg('教练车编号'),
      },
      institutionRef,
      ...placementFields,
      {
        key: 'plate',
        label: '车牌号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: normalizePlate,
        check: checkPlate,
      },
      {
        key: 'plateColor',
        label: '车牌颜色',
        required: true,
        ...enumOf(PLATE_COLOR),
      },
      { key: 'vehicleType', label: '培训车型', required: true, ...licenseEnum },
      { key: 'brand', label: '品牌', kind: 'text', maxLength: 50 },
      { key: 'model', label: '型号', kind: 'text', maxLength: 50 },
      {
        key: 'vin',
        label: '车架号',
        kind: 'text',
        normalize: upper,
        check: (v) => (/^[A-HJ-NPR-Z0-9]{17}$/.test(v) ? null : '车架号（VIN）应为 17 位字母数字（不含 I、O、Q）'),
      },
      { key: 'engineNo', label: '发动机号', kind: 'text', maxLength: 50 },
      { key: 'purchasedOn', label: '购置日期', kind: 'date' },
      { key: 'inspectionValidUntil', label: '年审有效期至', kind: 'date' },
      {
        key: 'status',
        label: '状态',
        ...enumOf(VEHICLE_STATUS),
      },
    ],
    searchKeys: ['plate', 'carNo', 'brand'],
    statusKey: 'status',
    vehicleTypeKey: 'vehicleType',
    sortKeys: ['id', 'carNo', 'plate', 'vehicleType', 'inspectionValidUntil', 'countyCode', 'createdAt'],
    titleKey: 'plate',
    write: 'registry:write',
  },
  terminals: {
    name: 'terminals',
    table: 'terminal',
    drizzle: terminal,
    label: '计时终端',
    owned: true,
    fields: [
      {
        key: 'deviceNo',
        label: '终端编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: reg('终端编号'),
      },
      { key: 'phone', label: 'SIM 卡号', kind: 'text', required: true, unique: true, check: checkTerminalPhone },
      { key: 'imei', label: 'IMEI', kind: 'text', required: true, unique: true, check: checkImei },
      { key: 'serialNo', label: '出厂序列号', kind: 'text', maxLength: 50 },
      { key: 'vendor', label: '生产厂家', kind: 'text', maxLength: 100 },
      { key: 'model', label: '终端型号', kind: 'text', maxLength: 50 },
      {
        key: 'terminalType',
        label: '终端类型',
        ...enumOf(TERMINAL_TYPE),
      },
      institutionRef,
      ...placementFields,
      { key: 'vehicleId', label: '安装车辆', kind: 'int', min: 1, unique: true },
      { key: 'timingPlatformId', label: '计时平台', kind: 'int', required: true, min: 1 },
      {
        key: 'status',
        label: '状态',
        ...enumOf(TERMINAL_STATUS),
      },
    ],
    searchKeys: ['deviceNo', 'imei', 'phone'],
    statusKey: 'status',
    sortKeys: ['id', 'deviceNo', 'terminalType', 'countyCode', 'createdAt'],
    titleKey: 'deviceNo',
    write: 'terminal:write',
  },
  students: {
    name: 'students',
    table: 'student',
    drizzle: student,
    label: '学员',
    owned: true,
    fields: [
      {
        key: 'stuNo',
        label: '学员编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: reg('学员编号'),
      },
      { ...institutionRef, createOnly: true },
      ...placementFields,
      { key: 'name', label: '姓名', kind: 'text', required: true, maxLength: 50 },
      { key: 'sex', label: '性别', ...enumOf(SEX) },
      {
        key: 'idCard',
        label: '身份证号',
        kind: 'text',
        required: true,
        personal: 'idCard',
        normalize: normalizeIdCard,
        check: checkIdCard,
      },
      { key: 'nationality', label: '国籍', kind: 'text', maxLength: 30 },
      { key: 'phone', label: '手机号', kind: 'text', personal: 'phone', check: mobile },
      { key: 'address', label: '住址', kind: 'text', maxLength: 200 },
      { key: 'licenseType', label: '培训车型', required: true, ...licenseEnum },
      {
        key: 'businessType',
        label: '业务类型',
        ...enumOf(BUSINESS_TYPE),
      },
      { key: 'enrolledOn', label: '报名日期', kind: 'date', required: true },
      {
        key: 'status',
        label: '状态',
        ...enumOf(STUDENT_STATUS),
      },
    ],
    searchKeys: ['name', 'stuNo'],
    statusKey: 'status',
    licenseKey: 'licenseType',
    sortKeys: ['id', 'stuNo', 'name', 'licenseType', 'enrolledOn', 'status', 'countyCode', 'createdAt'],
    titleKey: 'name',
    write: 'registry:write',
  },
  contracts: {
    name: 'contracts',
    table: 'contract',
    drizzle: contract,
    label: '培训合同',
    owned: true,
    fields: [
      {
        key: 'contractNo',
        label: '合同编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        maxLength: 40,
      },
      { key: 'studentId', label: '学员', kind: 'int', required: true, min: 1, createOnly: true },
      { key: 'institutionId', label: '所属机构', kind: 'int', derived: true },
      ...placementFields,
      { key: 'licenseType', label: '培训车型', required: true, ...licenseEnum },
      {
        key: 'payMode',
        label: '收费方式',
        required: true,
        ...enumOf(PAY_MODE),
      },
      { key: 'totalAmountFen', label: '合同金额（分）', kind: 'int', required: true, min: 0 },
      { key: 'unitPriceFen', label: '学时单价（分）', kind: 'int', min: 0 },
      { key: 'escrowAccount', label: '资金监管账户', kind: 'text', maxLength: 50 },
      { key: 'signedOn', label: '签订日期', kind: 'date', required: true },
      {
        key: 'status',
        label: '状态',
        ...enumOf(CONTRACT_STATUS),
      },
    ],
    searchKeys: ['contractNo'],
    statusKey: 'status',
    licenseKey: 'licenseType',
    sortKeys: ['id', 'contractNo', 'signedOn', 'totalAmountFen', 'countyCode', 'createdAt'],
    titleKey: 'contractNo',
    write: 'registry:write',
  },
  platforms: {
    name: 'platforms',
    table: 'timing_platform',
    drizzle: timingPlatform,
    label: '计时平台',
    owned: false,
    fields: [
      {
        key: 'platformNo',
        label: '平台编号',
        kind: 'text',
        required: true,
        unique: true,
        normalize: upper,
        check: checkPlatformNo,
      },
      { key: 'name', label: '平台名称', kind: 'text', required: true, maxLength: 100 },
      { key: 'operatorName', label: '运营单位', kind: 'text', required: true, maxLength: 100 },
      { key: 'contactName', label: '联系人', kind: 'text', maxLength: 50 },
      { key: 'contactPhone', label: '联系电话', kind: 'text', check: mobile },
      {
        key: 'status',
        label: '状态',
        ...enumOf(PLATFORM_STATUS),
      },
    ],
    searchKeys: ['name', 'platformNo', 'operatorName'],
    statusKey: 'status',
    sortKeys: ['id', 'platformNo', 'name', 'createdAt'],
    titleKey: 'name',
    write: 'platform:write',
  },
}

export function entityDef(name: EntityName): EntityDef {
  return ENTITIES[name]
}

/** The Drizzle column of a key. */
export function column(def: EntityDef, key: string): PgColumn {
  const col = (def.drizzle as unknown as Record<string, PgColumn | undefined>)[key]
  if (!col) throw new Error(`${def.table} has no column ${key}`)
  return col
}

/** Fields an API client may send on create. */
export function inputFields(def: EntityDef): FieldDef[] {
  return def.fields.filter((f) => !f.derived)
}

/** Fields an API client may send on update. */
export function updateFields(def: EntityDef): FieldDef[] {
  return def.fields.filter((f) => !f.derived && !f.createOnly)
}
