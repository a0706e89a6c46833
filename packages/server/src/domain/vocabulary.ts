/**
 * The coded values of the registry and their Chinese labels, each written once, in display order.
 *
 * The registry definitions (validation, import/export, OpenAPI), the Drizzle schema (the allowed
 * values of text columns) and the web console (selects, filters, tags) all read these lists, so a
 * new status is added here and nowhere else. Values of integer columns stay numbers.
 * Pure data without dependencies: the web console imports this file as it is.
 */

/** One coded value and its Chinese label. */
export type Term<V extends string | number = string | number> = readonly [value: V, label: string]

/** The coded values of one column, in display order. */
export type Vocabulary<V extends string | number = string | number> = readonly Term<V>[]

/** The union of the values of a vocabulary. */
export type ValueOf<T extends Vocabulary> = T[number][0]

/** 性别. */
export const SEX = [
  ['M', '男'],
  ['F', '女'],
] as const satisfies Vocabulary<string>

/** 驾培机构备案状态. */
export const FILING_STATUS = [
  ['filed', '已备案'],
  ['pending', '待审核'],
  ['suspended', '暂停'],
  ['revoked', '撤销'],
  ['closed', '歇业'],
] as const satisfies Vocabulary<string>

/** 驾培机构等级 (GB/T 30340-2013). */
export const CLASS_LEVEL = [
  [1, '一级'],
  [2, '二级'],
  [3, '三级'],
] as const satisfies Vocabulary<number>

/** 教练场地类型: 训练场 (科目二), 教室, 道路训练线路 (科目三). */
export const FIELD_KIND = [
  ['site', '训练场'],
  ['classroom', '教室'],
  ['road', '道路训练线路'],
] as const satisfies Vocabulary<string>

/** 教练场地状态. */
export const FIELD_STATUS = [
  ['active', '启用'],
  ['inactive', '停用'],
] as const satisfies Vocabulary<string>

/** 教练员供职状态. */
export const EMPLOYMENT_STATUS = [
  ['employed', '在职'],
  ['suspended', '停教'],
  ['left', '离职'],
] as const satisfies Vocabulary<string>

/** 教练员职业技能等级: 1 (五级/初级工) … 5 (一级/高级技师). */
export const OCCUPATION_LEVEL = [
  [1, '五级（初级工）'],
  [2, '四级（中级工）'],
  [3, '三级（高级工）'],
  [4, '二级（技师）'],
  [5, '一级（高级技师）'],
] as const satisfies Vocabulary<number>

/** 车牌颜色 (national exchange code). */
export const PLATE_COLOR = [
  [1, '蓝'],
  [2, '黄'],
  [3, '黑'],
  [4, '白'],
  [5, '绿'],
  [9, '其他'],
] as const satisfies Vocabulary<number>

/** 教练车状态. */
export const VEHICLE_STATUS = [
  ['active', '在用'],
  ['suspended', '停用'],
  ['scrapped', '报废'],
] as const satisfies Vocabulary<string>

/** 计时终端类型. */
export const TERMINAL_TYPE = [
  [1, '车载计程计时终端'],
  [2, '课堂教学计时终端'],
  [3, '模拟训练计时终端'],
] as const satisfies Vocabulary<number>

/** 计时终端状态. */
export const TERMINAL_STATUS = [
  ['active', '在用'],
  ['banned', '禁用'],
  ['retired', '停用'],
] as const satisfies Vocabulary<string>

/** 学员业务类型. */
export const BUSINESS_TYPE = [
  ['initial', '初领'],
  ['upgrade', '增驾'],
  ['other', '其他'],
] as const satisfies Vocabulary<string>

/** 学员状态. */
export const STUDENT_STATUS = [
  ['enrolled', '已报名'],
  ['training', '培训中'],
  ['graduated', '已结业'],
  ['withdrawn', '已退学'],
] as const satisfies Vocabulary<string>

/** 培训合同收费方式. */
export const PAY_MODE = [
  ['per_hour', '计时收费'],
  ['train_first', '先培训后付费'],
  ['lump_sum', '一次性收费'],
] as const satisfies Vocabulary<string>

/** 培训合同状态. */
export const CONTRACT_STATUS = [
  ['active', '履行中'],
  ['completed', '已完成'],
  ['terminated', '已解除'],
] as const satisfies Vocabulary<string>

/** 计时平台状态. */
export const PLATFORM_STATUS = [
  ['active', '运营中'],
  ['suspended', '暂停'],
  ['retired', '停用'],
] as const satisfies Vocabulary<string>

/** The values of a vocabulary as a tuple in display order (e.g. the `enum` of a Drizzle text column). */
export function valuesOf<const T extends Vocabulary>(
  vocabulary: T,
): { readonly [K in keyof T]: T[K] extends Term<infer V> ? V : never } {
  return vocabulary.map(([value]) => value) as unknown as {
    readonly [K in keyof T]: T[K] extends Term<infer V> ? V : never
  }
}

/** Value (as a string key) → Chinese label. */
export function labelsOf(vocabulary: Vocabulary): Readonly<Record<string, string>> {
  return Object.fromEntries(vocabulary.map(([value, label]) => [String(value), label]))
}

/** The label of one value, or undefined when the value is not in the vocabulary. */
export function labelOf(vocabulary: Vocabulary, value: unknown): string | undefined {
  return vocabulary.find(([v]) => String(v) === String(value))?.[1]
}
