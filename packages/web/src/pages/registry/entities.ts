/**
 * The registry entities of the console: list columns, filters, form fields and detail items.
 * One table per entity; the generic list page, form and detail drawer read only this file.
 */
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
  type ValueOf,
  type Vocabulary,
  vocabulary,
} from '../../validation.ts'

export type EntityKey =
  | 'institutions'
  | 'fields'
  | 'coaches'
  | 'vehicles'
  | 'terminals'
  | 'students'
  | 'contracts'
  | 'platforms'

export interface Option {
  value: string | number
  label: string
  color?: string
}

/** How a value is shown in lists and details. */
export type Display =
  | { kind: 'text' }
  | { kind: 'enum'; options: Option[] }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'plate' }
  | { kind: 'money' }
  | { kind: 'tags' }
  | { kind: 'area' }
  /** 地市 + 区县 of the row (cityName, countyName). */
  | { kind: 'place' }

/** A reference to another entity, chosen with a searchable select. */
export interface Reference {
  entity: EntityKey
  /** Filter the candidates by the value of another form field (e.g. vehicles of the institution). */
  dependsOn?: { field: string; param: string }
  label(item: Record<string, unknown>): string
}

export interface FieldDef {
  name: string
  label: string
  input:
    | 'text'
    | 'textarea'
    | 'number'
    | 'select'
    | 'multi'
    | 'tags'
    | 'date'
    | 'region'
    | 'reference'
    | 'money'
    | 'geojson'
  options?: Option[]
  reference?: Reference
  required?: boolean
  /** Client-side hint: null when valid, else the reason (mirrors the server's validators). */
  check?: (value: string) => string | null
  placeholder?: string
  maxLength?: number
  /** Only when creating (identifiers the server keeps stable). */
  createOnly?: boolean
  /** Helps fill the form (e.g. narrows a reference) but is not sent; the server derives it. */
  notSent?: boolean
  /** Personal data: unmasked only in the detail view for users with personal:read. */
  personal?: boolean
  display?: Display
}

export interface ColumnDef {
  key: string
  title: string
  display?: Display
  sortable?: boolean
  width?: number
  /** Link to the institution detail page. */
  link?: 'institution'
}

export interface FilterDef {
  region: boolean
  institution: boolean
  status?: Option[]
  licenseType?: boolean
  vehicleType?: boolean
}

export interface EntityDef {
  key: EntityKey
  title: string
  /** Noun for a single row, e.g. 教练员. */
  noun: string
  searchHint: string
  rowLabel(item: Record<string, unknown>): string
  columns: ColumnDef[]
  filters: FilterDef
  fields: FieldDef[]
  /** Read-only items shown in details in addition to the fields. */
  extraDetails: { name: string; label: string; display?: Display }[]
}

const licenseOptions: Option[] = LICENSE_TYPES.map((t) => ({ value: t, label: t }))

/**
 * The options of one vocabulary (values and Chinese labels shared with the server, in display
 * order), with the tag colour of each value where lists show the value as a coloured tag.
 */
function optionsOf<T extends Vocabulary>(terms: T, colors?: Readonly<Record<ValueOf<T>, string>>): Option[] {
  return terms.map(([value, label]) => {
    const color = colors?.[value as ValueOf<T>]
    return color ? { value, label, color } : { value, label }
  })
}

export const SEX = optionsOf(vocabulary.SEX)

export const FILING_STATUS = optionsOf(vocabulary.FILING_STATUS, {
  filed: 'green',
  pending: 'gold',
  suspended: 'orange',
  revoked: 'red',
  closed: 'default',
})

export const CLASS_LEVEL = optionsOf(vocabulary.CLASS_LEVEL)

export const FIELD_KIND = optionsOf(vocabulary.FIELD_KIND)

const ACTIVE_INACTIVE = optionsOf(vocabulary.FIELD_STATUS, { active: 'green', inactive: 'default' })

const EMPLOYMENT = optionsOf(vocabulary.EMPLOYMENT_STATUS, { employed: 'green', suspended: 'orange', left: 'default' })

const OCCUPATION_LEVEL = optionsOf(vocabulary.OCCUPATION_LEVEL)

const PLATE_COLOR = optionsOf(vocabulary.PLATE_COLOR)

const VEHICLE_STATUS = optionsOf(vocabulary.VEHICLE_STATUS, {
  active: 'green',
  suspended: 'orange',
  scrapped: 'default',
})

const TERMINAL_TYPE = optionsOf(vocabulary.TERMINAL_TYPE)

const TERMINAL_STATUS = optionsOf(vocabulary.TERMINAL_STATUS, { active: 'green', banned: 'red', retired: 'default' })

const BUSINESS_TYPE = optionsOf(vocabulary.BUSINESS_TYPE)

const STUDENT_STATUS = optionsOf(vocabulary.STUDENT_STATUS, {
  enrolled: 'blue',
  training: 'green',
  graduated: 'default',
  withdrawn: 'red',
})

const PAY_MODE = optionsOf(vocabulary.PAY_MODE)

const CONTRACT_STATUS = optionsOf(vocabulary.CONTRACT_STATUS, {
  active: 'green',
  completed: 'default',
  terminated: 'red',
})

const PLATFORM_STATUS = optionsOf(vocabulary.PLATFORM_STATUS, {
  active: 'green',
  suspended: 'orange',
  retired: 'default',
})

const enumOf = (options: Option[]): Display => ({ kind: 'enum', options })
const DATE: Display = { kind: 'date' }

const institutionRef: Reference = { entity: 'institutions', label: (i) => String(i.name) }
const platformRef: Reference = { entity: 'platforms', label: (i) => `${i.name}（${i.platformNo}）` }

const institutionField: FieldDef = {
  name: 'institutionId',
  label: '所属机构',
  input: 'reference',
  reference: institutionRef,
  required: true,
}

const regionColumns: ColumnDef[] = [{ key: 'countyName', title: '所在地区', display: { kind: 'place' }, width: 150 }]

const placeDetails = [
  { name: 'institutionName', label: '所属机构' },
  { name: 'cityName', label: '地市' },
  { name: 'countyName', label: '区县' },
]

const stamps = [
  { name: 'createdAt', label: '创建时间', display: { kind: 'datetime' } as Display },
  { name: 'updatedAt', label: '更新时间', display: { kind: 'datetime' } as Display },
]

const registryNo = (label: string) => (v: string) => checkRegistryNo(v, label)
const checkVin = (v: string) =>
  /^[A-HJ-NPR-Z0-9]{17}$/.test(v.trim().toUpperCase()) ? null : '车架号（VIN）应为 17 位字母数字（不含 I、O、Q）'

export const ENTITIES: Record<EntityKey, EntityDef> = {
  institutions: {
    key: 'institutions',
    title: '驾培机构',
    noun: '驾培机构',
    searchHint: '机构名称、简称、统一编号、信用代码',
    rowLabel: (i) => String(i.name),
    columns: [
      { key: 'insCode', title: '机构编号', sortable: true, width: 170 },
      { key: 'name', title: '机构名称', sortable: true, link: 'institution' },
      ...regionColumns,
      { key: 'classLevel', title: '等级', display: enumOf(CLASS_LEVEL), sortable: true, width: 80 },
      { key: 'businessScope', title: '经营范围', display: { kind: 'tags' } },
      { key: 'filingStatus', title: '备案状态', display: enumOf(FILING_STATUS), width: 100 },
      { key: 'licenceValidUntil', title: '许可有效期至', display: DATE, width: 120 },
    ],
    filters: { region: true, institution: false, status: FILING_STATUS, licenseType: true },
    fields: [
      {
        name: 'insCode',
        label: '机构编号',
        input: 'text',
        required: true,
        check: registryNo('机构编号'),
        maxLength: 16,
        createOnly: true,
      },
      { name: 'name', label: '机构名称', input: 'text', required: true },
      { name: 'shortName', label: '简称', input: 'text' },
      { name: 'creditCode', label: '统一社会信用代码', input: 'text', check: checkCreditCode, maxLength: 18 },
      { name: 'region', label: '所在区县', input: 'region', required: true },
      { name: 'address', label: '经营地址', input: 'text' },
      { name: 'legalPerson', label: '法定代表人', input: 'text' },
      { name: 'contactPhone', label: '联系电话', input: 'text' },
      {
        name: 'classLevel',
        label: '机构等级',
        input: 'select',
        options: CLASS_LEVEL,
        required: true,
        display: enumOf(CLASS_LEVEL),
      },
      {
        name: 'businessScope',
        label: '经营范围（培训车型）',
        input: 'multi',
        options: licenseOptions,
        required: true,
        display: { kind: 'tags' },
      },
      {
        name: 'filingStatus',
        label: '备案状态',
        input: 'select',
        options: FILING_STATUS,
        display: enumOf(FILING_STATUS),
      },
      { name: 'licenceNo', label: '经营许可证号', input: 'text' },
      { name: 'licenceValidUntil', label: '许可有效期至', input: 'date', display: DATE },
      { name: 'timingPlatformId', label: '计时平台', input: 'reference', reference: platformRef },
      { name: 'lng', label: '经度', input: 'number' },
      { name: 'lat', label: '纬度', input: 'number' },
    ],
    extraDetails: [
      { name: 'cityName', label: '地市' },
      { name: 'countyName', label: '区县' },
      { name: 'platformName', label: '计时平台名称' },
      ...stamps,
    ],
  },

  fields: {
    key: 'fields',
    title: '教练场地',
    noun: '教练场地',
    searchHint: '场地名称、地址',
    rowLabel: (i) => String(i.name),
    columns: [
      { key: 'name', title: '场地名称', sortable: true },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      ...regionColumns,
      { key: 'kind', title: '类型', display: enumOf(FIELD_KIND), width: 120 },
      { key: 'areaM2', title: '面积（m²）', display: { kind: 'area' }, sortable: true, width: 120 },
      { key: 'vehicleTypes', title: '适用车型', display: { kind: 'tags' } },
      { key: 'status', title: '状态', display: enumOf(ACTIVE_INACTIVE), width: 80 },
    ],
    filters: { region: true, institution: true, status: ACTIVE_INACTIVE, vehicleType: true },
    fields: [
      institutionField,
      { name: 'name', label: '场地名称', input: 'text', required: true },
      {
        name: 'kind',
        label: '类型',
        input: 'select',
        options: FIELD_KIND,
        required: true,
        display: enumOf(FIELD_KIND),
      },
      { name: 'address', label: '地址', input: 'text' },
      { name: 'vehicleTypes', label: '适用车型', input: 'multi', options: licenseOptions, display: { kind: 'tags' } },
      { name: 'facilities', label: '设施', input: 'tags', display: { kind: 'tags' } },
      { name: 'status', label: '状态', input: 'select', options: ACTIVE_INACTIVE, display: enumOf(ACTIVE_INACTIVE) },
      {
        name: 'polygon',
        label: '场地范围（GeoJSON Polygon，WGS-84）',
        input: 'geojson',
        placeholder: '{"type":"Polygon","coordinates":[[[120.1,30.2],[120.101,30.2],[120.101,30.201],[120.1,30.2]]]}',
      },
    ],
    extraDetails: [...placeDetails, { name: 'areaM2', label: '面积（m²）', display: { kind: 'area' } }, ...stamps],
  },

  coaches: {
    key: 'coaches',
    title: '教练员',
    noun: '教练员',
    searchHint: '姓名、教练员编号',
    rowLabel: (i) => `${i.name}（${i.coachNo}）`,
    columns: [
      { key: 'coachNo', title: '教练员编号', sortable: true, width: 170 },
      { key: 'name', title: '姓名', sortable: true, width: 90 },
      { key: 'sex', title: '性别', display: enumOf(SEX), width: 60 },
      { key: 'idCard', title: '身份证号', width: 180 },
      { key: 'mobile', title: '手机号', width: 120 },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      ...regionColumns,
      { key: 'teachPermitted', title: '准教车型', width: 90 },
      { key: 'employmentStatus', title: '状态', display: enumOf(EMPLOYMENT), width: 90 },
    ],
    filters: { region: true, institution: true, status: EMPLOYMENT, licenseType: true },
    fields: [
      {
        name: 'coachNo',
        label: '教练员编号',
        input: 'text',
        required: true,
        check: registryNo('教练员编号'),
        maxLength: 16,
        createOnly: true,
      },
      institutionField,
      { name: 'name', label: '姓名', input: 'text', required: true },
      {
        name: 'idCard',
        label: '身份证号',
        input: 'text',
        required: true,
        check: checkIdCard,
        maxLength: 18,
        personal: true,
      },
      { name: 'sex', label: '性别', input: 'select', options: SEX, required: true, display: enumOf(SEX) },
      { name: 'mobile', label: '手机号', input: 'text', check: checkMobile, maxLength: 11, personal: true },
      { name: 'drivingPermitted', label: '准驾车型', input: 'text' },
      { name: 'teachPermitted', label: '准教车型', input: 'select', options: licenseOptions, required: true },
      { name: 'firstLicensedOn', label: '初次领证日期', input: 'date', display: DATE },
      {
        name: 'occupationLevel',
        label: '职业技能等级',
        input: 'select',
        options: OCCUPATION_LEVEL,
        display: enumOf(OCCUPATION_LEVEL),
      },
      { name: 'occupationCertNo', label: '职业资格证号', input: 'text' },
      {
        name: 'employmentStatus',
        label: '在职状态',
        input: 'select',
        options: EMPLOYMENT,
        display: enumOf(EMPLOYMENT),
      },
      { name: 'hiredOn', label: '入职日期', input: 'date', display: DATE },
      { name: 'leftOn', label: '离职日期', input: 'date', display: DATE },
    ],
    extraDetails: [...placeDetails, ...stamps],
  },

  vehicles: {
    key: 'vehicles',
    title: '教练车',
    noun: '教练车',
    searchHint: '车牌号、车辆编号、VIN',
    rowLabel: (i) => String(i.plate),
    columns: [
      { key: 'plate', title: '车牌号', display: { kind: 'plate' }, sortable: true, width: 120 },
      { key: 'carNo', title: '车辆编号', sortable: true, width: 170 },
      { key: 'vehicleType', title: '车型', width: 70 },
      { key: 'brand', title: '品牌型号', width: 140 },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      ...regionColumns,
      { key: 'inspectionValidUntil', title: '年审有效期至', display: DATE, sortable: true, width: 120 },
      { key: 'status', title: '状态', display: enumOf(VEHICLE_STATUS), width: 80 },
    ],
    filters: { region: true, institution: true, status: VEHICLE_STATUS, vehicleType: true },
    fields: [
      {
        name: 'carNo',
        label: '车辆编号',
        input: 'text',
        required: true,
        check: registryNo('教练车编号'),
        maxLength: 16,
        createOnly: true,
      },
      institutionField,
      {
        name: 'plate',
        label: '车牌号',
        input: 'text',
        required: true,
        check: checkPlate,
        placeholder: '浙A·D12345 或 浙A1234学',
        display: { kind: 'plate' },
      },
      {
        name: 'plateColor',
        label: '号牌颜色',
        input: 'select',
        options: PLATE_COLOR,
        required: true,
        display: enumOf(PLATE_COLOR),
      },
      { name: 'vehicleType', label: '车型', input: 'select', options: licenseOptions, required: true },
      { name: 'brand', label: '品牌', input: 'text' },
      { name: 'model', label: '型号', input: 'text' },
      { name: 'vin', label: '车架号（VIN）', input: 'text', maxLength: 17, check: checkVin },
      { name: 'engineNo', label: '发动机号', input: 'text' },
      { name: 'purchasedOn', label: '购置日期', input: 'date', display: DATE },
      { name: 'inspectionValidUntil', label: '年审有效期至', input: 'date', display: DATE },
      { name: 'status', label: '状态', input: 'select', options: VEHICLE_STATUS, display: enumOf(VEHICLE_STATUS) },
    ],
    extraDetails: [...placeDetails, ...stamps],
  },

  terminals: {
    key: 'terminals',
    title: '计时终端',
    noun: '计时终端',
    searchHint: '终端编号、SIM 卡号、IMEI',
    rowLabel: (i) => String(i.deviceNo),
    columns: [
      { key: 'deviceNo', title: '终端编号', sortable: true, width: 170 },
      { key: 'terminalType', title: '类型', display: enumOf(TERMINAL_TYPE), width: 150 },
      { key: 'phone', title: 'SIM 卡号', width: 130 },
      { key: 'vehiclePlate', title: '绑定车辆', display: { kind: 'plate' }, width: 110 },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      { key: 'platformName', title: '计时平台', width: 160 },
      ...regionColumns,
      { key: 'status', title: '状态', display: enumOf(TERMINAL_STATUS), width: 80 },
    ],
    filters: { region: true, institution: true, status: TERMINAL_STATUS },
    fields: [
      {
        name: 'deviceNo',
        label: '终端编号',
        input: 'text',
        required: true,
        check: registryNo('终端编号'),
        maxLength: 16,
        createOnly: true,
      },
      institutionField,
      { name: 'timingPlatformId', label: '计时平台', input: 'reference', reference: platformRef, required: true },
      {
        name: 'vehicleId',
        label: '绑定教练车',
        input: 'reference',
        reference: {
          entity: 'vehicles',
          dependsOn: { field: 'institutionId', param: 'institutionId' },
          label: (v) => String(v.plate),
        },
      },
      {
        name: 'terminalType',
        label: '终端类型',
        input: 'select',
        options: TERMINAL_TYPE,
        required: true,
        display: enumOf(TERMINAL_TYPE),
      },
      { name: 'phone', label: 'SIM 卡号', input: 'text', required: true, check: checkTerminalPhone, maxLength: 16 },
      { name: 'imei', label: 'IMEI', input: 'text', required: true, check: checkImei, maxLength: 15 },
      { name: 'serialNo', label: '出厂序列号', input: 'text' },
      { name: 'vendor', label: '生产厂家', input: 'text' },
      { name: 'model', label: '型号', input: 'text' },
      { name: 'status', label: '状态', input: 'select', options: TERMINAL_STATUS, display: enumOf(TERMINAL_STATUS) },
    ],
    extraDetails: [
      ...placeDetails,
      { name: 'vehiclePlate', label: '车牌号', display: { kind: 'plate' } },
      { name: 'platformName', label: '计时平台名称' },
      ...stamps,
    ],
  },

  students: {
    key: 'students',
    title: '学员',
    noun: '学员',
    searchHint: '姓名、学员编号',
    rowLabel: (i) => `${i.name}（${i.stuNo}）`,
    columns: [
      { key: 'stuNo', title: '学员编号', sortable: true, width: 170 },
      { key: 'name', title: '姓名', sortable: true, width: 90 },
      { key: 'sex', title: '性别', display: enumOf(SEX), width: 60 },
      { key: 'idCard', title: '身份证号', width: 180 },
      { key: 'licenseType', title: '培训车型', width: 90 },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      ...regionColumns,
      { key: 'enrolledOn', title: '报名日期', display: DATE, sortable: true, width: 110 },
      { key: 'status', title: '状态', display: enumOf(STUDENT_STATUS), width: 90 },
    ],
    filters: { region: true, institution: true, status: STUDENT_STATUS, licenseType: true },
    fields: [
      {
        name: 'stuNo',
        label: '学员编号',
        input: 'text',
        required: true,
        check: registryNo('学员编号'),
        maxLength: 16,
        createOnly: true,
      },
      { ...institutionField, createOnly: true },
      { name: 'name', label: '姓名', input: 'text', required: true },
      {
        name: 'idCard',
        label: '身份证号',
        input: 'text',
        required: true,
        check: checkIdCard,
        maxLength: 18,
        personal: true,
      },
      { name: 'sex', label: '性别', input: 'select', options: SEX, required: true, display: enumOf(SEX) },
      { name: 'nationality', label: '国籍', input: 'text' },
      { name: 'phone', label: '手机号', input: 'text', check: checkMobile, maxLength: 11, personal: true },
      { name: 'address', label: '联系地址', input: 'text', personal: true },
      { name: 'licenseType', label: '培训车型', input: 'select', options: licenseOptions, required: true },
      {
        name: 'businessType',
        label: '业务类型',
        input: 'select',
        options: BUSINESS_TYPE,
        display: enumOf(BUSINESS_TYPE),
      },
      { name: 'enrolledOn', label: '报名日期', input: 'date', required: true, display: DATE },
      { name: 'status', label: '状态', input: 'select', options: STUDENT_STATUS, display: enumOf(STUDENT_STATUS) },
    ],
    extraDetails: [...placeDetails, ...stamps],
  },

  contracts: {
    key: 'contracts',
    title: '培训合同',
    noun: '培训合同',
    searchHint: '合同编号、学员姓名',
    rowLabel: (i) => String(i.contractNo),
    columns: [
      { key: 'contractNo', title: '合同编号', sortable: true, width: 190 },
      { key: 'studentName', title: '学员', width: 90 },
      { key: 'institutionName', title: '所属机构', link: 'institution' },
      ...regionColumns,
      { key: 'licenseType', title: '车型', width: 70 },
      { key: 'payMode', title: '收费方式', display: enumOf(PAY_MODE), width: 120 },
      { key: 'totalAmountFen', title: '合同金额（元）', display: { kind: 'money' }, sortable: true, width: 130 },
      { key: 'signedOn', title: '签订日期', display: DATE, sortable: true, width: 110 },
      { key: 'status', title: '状态', display: enumOf(CONTRACT_STATUS), width: 90 },
    ],
    filters: { region: true, institution: true, status: CONTRACT_STATUS, licenseType: true },
    fields: [
      { name: 'contractNo', label: '合同编号', input: 'text', required: true, createOnly: true, maxLength: 40 },
      { ...institutionField, createOnly: true, notSent: true },
      {
        name: 'studentId',
        label: '学员',
        input: 'reference',
        required: true,
        createOnly: true,
        reference: {
          entity: 'students',
          dependsOn: { field: 'institutionId', param: 'institutionId' },
          label: (s) => `${s.name}（${s.stuNo}）`,
        },
      },
      { name: 'licenseType', label: '培训车型', input: 'select', options: licenseOptions, required: true },
      {
        name: 'payMode',
        label: '收费方式',
        input: 'select',
        options: PAY_MODE,
        required: true,
        display: enumOf(PAY_MODE),
      },
      { name: 'totalAmountFen', label: '合同金额（元）', input: 'money', required: true, display: { kind: 'money' } },
      { name: 'unitPriceFen', label: '计时单价（元/学时）', input: 'money', display: { kind: 'money' } },
      { name: 'escrowAccount', label: '资金监管账户', input: 'text' },
      { name: 'signedOn', label: '签订日期', input: 'date', required: true, display: DATE },
      { name: 'status', label: '状态', input: 'select', options: CONTRACT_STATUS, display: enumOf(CONTRACT_STATUS) },
    ],
    extraDetails: [{ name: 'studentName', label: '学员姓名' }, ...placeDetails, ...stamps],
  },

  platforms: {
    key: 'platforms',
    title: '计时平台',
    noun: '计时平台',
    searchHint: '平台名称、编号、运营单位',
    rowLabel: (i) => String(i.name),
    columns: [
      { key: 'platformNo', title: '平台编号', sortable: true, width: 100 },
      { key: 'name', title: '平台名称', sortable: true },
      { key: 'operatorName', title: '运营单位' },
      { key: 'contactName', title: '联系人', width: 100 },
      { key: 'contactPhone', title: '联系电话', width: 130 },
      { key: 'status', title: '状态', display: enumOf(PLATFORM_STATUS), width: 90 },
    ],
    filters: { region: false, institution: false, status: PLATFORM_STATUS },
    fields: [
      {
        name: 'platformNo',
        label: '平台编号',
        input: 'text',
        required: true,
        check: checkPlatformNo,
        maxLength: 5,
        createOnly: true,
      },
      { name: 'name', label: '平台名称', input: 'text', required: true },
      { name: 'operatorName', label: '运营单位', input: 'text', required: true },
      { name: 'contactName', label: '联系人', input: 'text' },
      { name: 'contactPhone', label: '联系电话', input: 'text', check: checkMobile, maxLength: 11 },
      { name: 'status', label: '状态', input: 'select', options: PLATFORM_STATUS, display: enumOf(PLATFORM_STATUS) },
    ],
    extraDetails: stamps,
  },
}

export const ENTITY_ORDER: EntityKey[] = [
  'institutions',
  'fields',
  'coaches',
  'vehicles',
  'terminals',
  'students',
  'contracts',
  'platforms',
]
