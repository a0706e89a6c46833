/**
 * Spreadsheet columns of every registry entity, derived from the entity definitions
 * (`registry/definitions.ts`): the Chinese label is the header, enum labels are what a cell
 * holds, the definition's normaliser and validator check each cell. Only references differ from
 * the API: a spreadsheet names an institution by its 机构编号, a platform by its 平台编号, a
 * vehicle by its 车牌号 and a student by its 学员编号, never by database ids.
 *
 * The same columns are used for the import template, for import and for export, so an export can
 * be imported again unchanged. Export-only columns (names shown for people reading the list) are
 * recognised on import and ignored.
 */
import { creditCodeCheckChar, idCardCheckChar, luhnCheckDigit } from '../../domain/identity.ts'
import { zhejiangRegions } from '../../domain/regions.ts'
import { ENTITIES, type EntityName, type FieldDef } from '../definitions.ts'

/** A database row looked up by a code in the file. */
export type RefKind = 'institution' | 'platform' | 'vehicle' | 'student' | 'county'

export interface SheetColumn {
  /** Chinese header as written in templates and exports. */
  header: string
  /** Other headers accepted on import (older templates, common wording). */
  aliases: string[]
  /** Input key passed to prepareCreate (the definition's key); null for export-only columns. */
  key: string | null
  /** The definition's field, when the column maps to one directly. */
  field?: FieldDef
  /** The cell names a row by its code; the importer resolves it to the id. */
  ref?: RefKind
  required: boolean
  /** Column lives in export and template only as information; ignored on import. */
  exportOnly?: boolean
  /** Stored as text in xlsx (identity numbers must not become 1.1E+17). */
  text?: boolean
  /** Amount in yuan in the sheet, fen in the database. */
  yuan?: boolean
  /** What to write and the rules, for the 填写说明 sheet. */
  note: string
  example: string
}

/** Example cell values for the template (valid check digits, Zhejiang codes). */
const EXAMPLES: Record<string, string> = {
  insCode: '3301060000000001',
  coachNo: '3301060000100001',
  carNo: '3301060000200001',
  deviceNo: '3301060000300001',
  stuNo: '3301060000400001',
  contractNo: 'HT2024000001',
  platformNo: '33001',
  creditCode: `91330106MA2AXXXX0${creditCodeCheckChar('91330106MA2AXXXX0')}`,
  name: '',
  idCard: `33010619900101123${idCardCheckChar('33010619900101123')}`,
  mobile: '13800138000',
  phone: '13800138000',
  contactPhone: '13800138000',
  plate: '浙A1234学',
  imei: `86000000000000${luhnCheckDigit('86000000000000')}`,
  vin: 'LSVNV2182E2100001',
  address: '杭州市西湖区文三路 100 号',
  drivingPermitted: 'C1',
  teachPermitted: 'C1',
  licenseType: 'C1',
  vehicleType: 'C1',
  businessScope: 'C1,C2',
  vehicleTypes: 'C1,C2',
  facilities: '倒车入库,侧方停车,坡道定点',
  nationality: '中国',
  brand: '大众',
  model: '桑塔纳',
  vendor: '浙江某电子科技有限公司',
  lng: '120.13',
  lat: '30.27',
  occupationLevel: '3',
  totalAmountFen: '4800.00',
  unitPriceFen: '120.00',
  escrowAccount: '1202020209000012345',
  legalPerson: '张三',
  shortName: '',
  licenceNo: '浙交运管许可杭字330106000001号',
  engineNo: 'E12345678',
  serialNo: 'SN20240001',
  occupationCertNo: '3301062024000001',
  operatorName: '浙江某科技有限公司',
  contactName: '李四',
}

const NAME_EXAMPLES: Partial<Record<EntityName, string>> = {
  institutions: '杭州西湖驾驶员培训有限公司',
  fields: '西湖训练场',
  coaches: '王建国',
  students: '李明',
  platforms: '浙江驾培计时平台',
}

const TEXT_KEYS = new Set([
  'insCode',
  'coachNo',
  'carNo',
  'deviceNo',
  'stuNo',
  'contractNo',
  'platformNo',
  'creditCode',
  'idCard',
  'mobile',
  'phone',
  'contactPhone',
  'imei',
  'serialNo',
  'escrowAccount',
  'occupationCertNo',
  'licenceNo',
  'engineNo',
  'vin',
])

/** JSON fields that are not exchanged as spreadsheet cells (edited in the console instead). */
const SKIPPED_KEYS = new Set(['feeItems', 'disclosure', 'cityCode'])

function enumNote(field: FieldDef): string {
  const values = field.values ?? []
  const labels = values.map((v) => field.valueLabels?.[String(v)] ?? String(v))
  return field.kind === 'textArray'
    ? `可填多个，用逗号或顿号分隔：${labels.join('、')}`
    : `填写其一：${labels.join('、')}`
}

function baseNote(field: FieldDef): string {
  const parts: string[] = [field.required ? '必填' : '选填']
  switch (field.kind) {
    case 'date':
      parts.push('日期，格式 YYYY-MM-DD（如 2024-03-01）')
      break
    case 'int':
    case 'float':
      parts.push('数字')
      if (field.min !== undefined && field.max !== undefined) parts.push(`范围 ${field.min}–${field.max}`)
      break
    case 'enum':
    case 'textArray':
      if (field.values) parts.push(enumNote(field))
      else parts.push('可填多个，用逗号或顿号分隔')
      break
    case 'json':
      parts.push('GeoJSON 文本（Polygon），可留空')
      break
    default:
      if (field.maxLength) parts.push(`不超过 ${field.maxLength} 个字`)
  }
  if (field.unique) parts.push('全省唯一，不得与已有记录或本文件其他行重复')
  if (field.personal === 'idCard') parts.push('18 位，末位校验位须正确')
  return parts.join('；')
}

function exampleFor(entity: EntityName, field: FieldDef): string {
  if (field.key === 'name') return NAME_EXAMPLES[entity] ?? ''
  const known = EXAMPLES[field.key]
  if (known !== undefined) return known
  if (field.kind === 'enum' && field.values?.[0] !== undefined) {
    const first = field.values[0]
    return field.valueLabels?.[String(first)] ?? String(first)
  }
  if (field.kind === 'date') return '2024-03-01'
  return ''
}

function fieldColumn(entity: EntityName, field: FieldDef): SheetColumn {
  const yuan = field.kind === 'int' && field.key.endsWith('Fen')
  const header = yuan ? field.label.replace('（分）', '（元）') : field.label
  const column: SheetColumn = {
    header,
    aliases: [],
    key: field.key,
    field,
    required: Boolean(field.required),
    text: TEXT_KEYS.has(field.key),
    note: yuan ? `${baseNote(field)}；单位元，可保留两位小数` : baseNote(field),
    example: exampleFor(entity, field),
  }
  if (yuan) column.yuan = true
  return column
}

const INSTITUTION_REF: SheetColumn = {
  header: '机构编号',
  aliases: ['所属机构编号', '培训机构编号', '驾培机构编号'],
  key: 'institutionId',
  ref: 'institution',
  required: true,
  text: true,
  note: '必填；所属驾培机构的 16 位机构编号，机构须已备案且在您的管辖范围内',
  example: '3301060000000001',
}

const INSTITUTION_NAME: SheetColumn = {
  header: '机构名称',
  aliases: ['所属机构', '培训机构'],
  key: null,
  exportOnly: true,
  required: false,
  note: '仅供阅读，导入时忽略（以机构编号为准）',
  example: '杭州西湖驾驶员培训有限公司',
}

const COUNTY_NAME: SheetColumn = {
  header: '所属区县',
  aliases: ['区县'],
  key: null,
  exportOnly: true,
  required: false,
  note: '仅供阅读，导入时忽略（由所属机构决定）',
  example: '西湖区',
}

/** Replaces a reference field of the definitions by its spreadsheet form. */
function refColumn(entity: EntityName, field: FieldDef): SheetColumn[] {
  switch (field.key) {
    case 'institutionId':
      return field.derived ? [] : [INSTITUTION_REF, INSTITUTION_NAME]
    case 'timingPlatformId':
      return [
        {
          header: '计时平台编号',
          aliases: ['平台编号', '计时平台'],
          key: 'timingPlatformId',
          ref: 'platform',
          required: Boolean(field.required),
          text: true,
          note: `${field.required ? '必填' : '选填'}；5 位计时平台编号，平台须已登记`,
          example: '33001',
        },
      ]
    case 'vehicleId':
      return [
        {
          header: '安装车辆车牌号',
          aliases: ['安装车辆', '绑定车牌号', '车牌号'],
          key: 'vehicleId',
          ref: 'vehicle',
          required: false,
          note: '选填；终端安装在哪辆教练车上（车牌号），车辆须已登记且在您的管辖范围内；一辆车只能安装一台终端',
          example: '浙A1234学',
        },
      ]
    case 'studentId':
      return [
        {
          header: '学员编号',
          aliases: ['学员统一编号'],
          key: 'studentId',
          ref: 'student',
          required: true,
          text: true,
          note: '必填；签约学员的 16 位学员编号，学员须已登记且在您的管辖范围内',
          example: '3301060000400001',
        },
        {
          header: '学员姓名',
          aliases: [],
          key: null,
          exportOnly: true,
          required: false,
          note: '仅供阅读，导入时忽略（以学员编号为准）',
          example: '李明',
        },
      ]
    case 'countyCode':
      if (entity !== 'institutions') return []
      return [
        {
          header: '所属区县代码',
          aliases: ['所属区县', '区县代码', '区县', '行政区划代码'],
          key: 'countyCode',
          ref: 'county',
          required: true,
          text: true,
          note: '必填；6 位县级行政区划代码（如 330106），也可填区县名称（如 西湖区，重名时写 杭州市西湖区）',
          example: '330106',
        },
      ]
    default:
      return []
  }
}

const REF_KEYS = new Set(['institutionId', 'timingPlatformId', 'vehicleId', 'studentId', 'countyCode'])

const cache = new Map<EntityName, SheetColumn[]>()

/** The spreadsheet columns of an entity, in sheet order. */
export function sheetColumns(entity: EntityName): SheetColumn[] {
  const hit = cache.get(entity)
  if (hit) return hit
  const def = ENTITIES[entity]
  const columns: SheetColumn[] = []
  for (const field of def.fields) {
    if (REF_KEYS.has(field.key)) {
      columns.push(...refColumn(entity, field))
      continue
    }
    if (SKIPPED_KEYS.has(field.key)) continue
    if (field.derived) {
      if (field.key === 'areaM2') {
        columns.push({ ...fieldColumn(entity, field), key: null, exportOnly: true, note: '仅供阅读，由场地范围计算' })
      }
      continue
    }
    columns.push(fieldColumn(entity, field))
  }
  const at = columns.indexOf(INSTITUTION_NAME)
  if (def.owned && at >= 0) columns.splice(at + 1, 0, COUNTY_NAME)
  cache.set(entity, columns)
  return columns
}

/** Columns read on import. */
export function importColumns(entity: EntityName): SheetColumn[] {
  return sheetColumns(entity).filter((c) => !c.exportOnly)
}

/** Header as compared on import: no spaces (half/full width), full-width brackets unified. */
export function headerKey(header: string): string {
  return header
    .replace(/[\s\u3000]+/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .replace(/\*+$/, '')
    .toUpperCase()
}

// ── Region names ───────────────────────────────────────────────────────

let countyIndex: { byCode: Map<string, string>; byName: Map<string, string[]> } | undefined

function counties() {
  if (countyIndex) return countyIndex
  const regions = zhejiangRegions()
  const cityName = new Map(regions.filter((r) => r.level === 'city').map((r) => [r.code, r.name]))
  const byCode = new Map<string, string>()
  const byName = new Map<string, string[]>()
  const add = (name: string, code: string) => byName.set(name, [...(byName.get(name) ?? []), code])
  for (const r of regions) {
    if (r.level !== 'county') continue
    byCode.set(r.code, r.name)
    add(r.name, r.code)
    const city = cityName.get(r.parentCode ?? '')
    if (city) add(`${city}${r.name}`, r.code)
  }
  countyIndex = { byCode, byName }
  return countyIndex
}

/** Resolves a county cell (code, name or 市+区县 name) to codes; several codes = ambiguous. */
export function resolveCounty(value: string): string[] {
  const v = value.replace(/\s+/g, '').replace(/^浙江省/, '')
  const index = counties()
  if (/^\d{6}$/.test(v)) return [v]
  return index.byName.get(v) ?? []
}

/** Name of a region code (city or county), for export-only columns. */
export function regionName(code: string | null | undefined): string {
  if (!code) return ''
  return zhejiangRegions().find((r) => r.code === code)?.name ?? code
}
