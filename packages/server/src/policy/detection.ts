/**
 * Detection policy: which rules run, with which parameters, and the valid training windows per
 * city and 课程方式 (STANDARDS §7.1 rule 1). Pure data. Rule parameters not named here take the
 * defaults declared by the rule itself (detection/rules); a policy version overrides them.
 */
import type { TrainingMode } from './syllabus.ts'

/** A window of the local (Beijing) day, 'HH:MM'–'HH:MM'; end may be '24:00'. */
export interface TimeWindow {
  from: string
  to: string
}

export interface TrainingWindows {
  /** Windows per 课程方式 that apply where a city has none of its own. */
  default: Record<TrainingMode, TimeWindow[]>
  /** Per city (6-digit code): windows per mode that replace the default for that mode. */
  byCity: Record<string, Partial<Record<TrainingMode, TimeWindow[]>>>
}

export interface RulePolicy {
  enabled: boolean
  /** Overrides of the rule's declared parameter defaults. */
  params: Record<string, number | string | boolean>
}

export interface DetectionPolicy {
  name: string
  windows: TrainingWindows
  /** Per rule id; a rule not listed runs enabled with its declared defaults. */
  rules: Record<string, RulePolicy>
}

/**
 * Defaults: practical and simulator training 06:00–22:00, classroom 07:00–22:00, remote learning
 * all day. UNCERTAIN: no public Zhejiang figure; cities set their own.
 */
export const DETECTION_DEFAULT: DetectionPolicy = {
  name: '默认检测策略',
  windows: {
    default: {
      1: [{ from: '06:00', to: '22:00' }],
      2: [{ from: '07:00', to: '22:00' }],
      3: [{ from: '06:00', to: '22:00' }],
      4: [{ from: '00:00', to: '24:00' }],
    },
    byCity: {},
  },
  rules: {},
}
