/**
 * 大纲 policy: the 2016 《机动车驾驶培训教学与考试大纲》 as data (LAW.md §1, STANDARDS §4). Pure.
 *
 * What the hour accounting reads from a syllabus policy version: the length of a 学时 and its
 * effective minimum, the daily caps per cap category, the classroom minimums, the per-type
 * totals with their per-part split, and the minimum mileage. Figures the sources do not confirm
 * are marked `uncertain` so the console and docs can say so; the province edits them by
 * publishing a new policy version (policy/store.ts), never by changing this file's history.
 */

/** 课程方式 (digit 1 of the 课程编码): 1 实操, 2 课堂教学, 3 模拟器教学, 4 远程教学. */
export type TrainingMode = 1 | 2 | 3 | 4
export type SyllabusPart = 1 | 2 | 3 | 4
/** Which daily cap a mode counts against: 课堂 (classroom) or 实际操作 (practical). */
export type CapCategory = 'classroom' | 'practical'

export interface PartHours {
  /** Minimum 学时 of the part (all modes together). */
  total: number
  /** Optional per-mode limits within the part, in 学时: e.g. at most 3 of part 2 on a simulator. */
  maxByMode?: Partial<Record<TrainingMode, number>>
  /** Optional per-mode minimums within the part, in 学时: e.g. part 1 at least 4 in a classroom. */
  minByMode?: Partial<Record<TrainingMode, number>>
}

export interface VehicleTypeHours {
  /** Minimum total 学时 for the licence type. */
  total: number
  parts: Record<SyllabusPart, PartHours>
  /** Minimum training mileage in km (province-set, ≥ 300 for types the province requires it of). */
  minMileageKm: number
  /** True when the figures are not confirmed by a reliable source (LAW.md §1.2). */
  uncertain: boolean
  note?: string
}

export interface SyllabusPolicy {
  /** Human name of this policy, e.g. 2016 年大纲（全国最低标准）. */
  name: string
  /** Minutes in one 学时 and the effective minutes it needs (60 / 45). */
  hourMinutes: number
  effectiveMinutesPerHour: number
  /** Minimum share of valid minutes for a teaching log (0.75 = 45/60); below it the log is flagged. */
  minValidShare: number
  /** Daily caps per category in 学时 (4 课堂 + 4 实操). */
  dailyCapHours: Record<CapCategory, number>
  /** Which cap each 课程方式 counts against. UNCERTAIN for 模拟 and 远程 (see docs). */
  capCategoryOfMode: Record<TrainingMode, CapCategory>
  /** 课堂教学 ≥ 6 学时 in total (part 1 ≥ 4, part 4 ≥ 2 are in the per-part minByMode). */
  classroomMinHours: number
  /** The day boundary for caps: local (Beijing) calendar days. */
  timeZone: 'Asia/Shanghai'
  /** Per licence type (C1, C2 …). A student whose type is missing here cannot be accounted: coded error. */
  vehicleTypes: Record<string, VehicleTypeHours>
}

const parts = (p1: number, p2: number, p3: number, p4: number): Record<SyllabusPart, PartHours> => ({
  1: { total: p1, minByMode: { 2: 4 } },
  2: { total: p2 },
  3: { total: p3 },
  4: { total: p4, minByMode: { 2: 2 } },
})

/**
 * The national minimum of the 2016 大纲. C1 (12/16/24/10 = 62) and C2 (12/14/24/10 = 60) are
 * VERIFIED. For the other types no 2016 figure was found: their totals are the 2012 大纲's (C5 as
 * C1) and the split is a placeholder proportion, all marked uncertain — the province must publish
 * confirmed figures before relying on them.
 */
export const SYLLABUS_2016: SyllabusPolicy = {
  name: '2016 年《机动车驾驶培训教学与考试大纲》（全国最低标准）',
  hourMinutes: 60,
  effectiveMinutesPerHour: 45,
  minValidShare: 0.75,
  dailyCapHours: { classroom: 4, practical: 4 },
  capCategoryOfMode: { 1: 'practical', 2: 'classroom', 3: 'practical', 4: 'classroom' },
  classroomMinHours: 6,
  timeZone: 'Asia/Shanghai',
  vehicleTypes: {
    C1: { total: 62, parts: parts(12, 16, 24, 10), minMileageKm: 300, uncertain: false },
    C2: { total: 60, parts: parts(12, 14, 24, 10), minMileageKm: 300, uncertain: false },
    C3: {
      total: 56,
      parts: parts(12, 14, 20, 10),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    C5: {
      total: 62,
      parts: parts(12, 16, 24, 10),
      minMileageKm: 300,
      uncertain: true,
      note: '2016 年数字未见可靠来源，按 C1 暂定，需省级确认',
    },
    B2: {
      total: 118,
      parts: parts(14, 40, 50, 14),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    A1: {
      total: 82,
      parts: parts(14, 24, 30, 14),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    A2: {
      total: 88,
      parts: parts(14, 26, 34, 14),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    A3: {
      total: 120,
      parts: parts(14, 42, 50, 14),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    B1: {
      total: 82,
      parts: parts(14, 24, 30, 14),
      minMileageKm: 300,
      uncertain: true,
      note: '总学时取自 2012 年大纲，分部分学时未见可靠来源，需省级确认',
    },
    D: {
      total: 48,
      parts: parts(12, 12, 14, 10),
      minMileageKm: 0,
      uncertain: true,
      note: '摩托车；总学时取自 2012 年大纲，需省级确认',
    },
    E: {
      total: 48,
      parts: parts(12, 12, 14, 10),
      minMileageKm: 0,
      uncertain: true,
      note: '摩托车；总学时取自 2012 年大纲，需省级确认',
    },
    F: {
      total: 48,
      parts: parts(12, 12, 14, 10),
      minMileageKm: 0,
      uncertain: true,
      note: '摩托车；总学时取自 2012 年大纲，需省级确认',
    },
  },
}

/** Minutes the syllabus requires of a part for a licence type, or undefined when the type is unknown. */
export function requiredMinutes(policy: SyllabusPolicy, licenseType: string, part: SyllabusPart): number | undefined {
  const type = policy.vehicleTypes[licenseType]
  return type ? type.parts[part].total * policy.hourMinutes : undefined
}
