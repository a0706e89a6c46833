/**
 * stationary — STANDARDS §7.1 rule 5: on a practical session, a run of at least `maxStopMinutes`
 * (最大允许停车时间, default 2) consecutive minutes whose 最大速度 or 行驶记录速度 is 0 → all those
 * minutes invalid. A minute with both speeds unknown breaks a run and is not judged. By default
 * (`useRecordSpeed` off, version 2) only 最大速度 counts: the recorder speed is a sample at second
 * 30, which is 0 whenever the car stands at an exercise point at that second, and counting it made
 * the rule flag most clean 科目二 lessons in the detection benchmark. A province that wants the
 * standard's literal "or" turns it on.
 */
import type { MinuteFact, SessionFacts, SessionRule } from '../rule.ts'
import { bool, isPractical, minuteRuleResult, num, runsOf } from './support.ts'

export const stationary: SessionRule = {
  id: 'stationary',
  version: 2,
  title: { zh: '连续停车', en: 'Stationary for consecutive minutes' },
  severity: 'medium',
  requirements: ['M2'],
  basis: 'STANDARDS §7.1 第 5 条（参数“最大允许停车时间”默认 2 分钟）',
  scope: 'session',
  invalidates: true,
  params: {
    maxStopMinutes: {
      default: 2,
      unit: '分钟',
      description: '最大允许停车时间：连续达到此分钟数速度为 0 的分钟全部无效',
    },
    useRecordSpeed: {
      default: false,
      description:
        '行驶记录速度为 0 也算停车（标准原文为“最大速度或行驶记录速度为 0”；该速度是第 30 秒的采样，场地训练定点停留时大量误报，默认关闭）',
      uncertain: true,
    },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts)) return { invalidMinutes: [], findings: [] }
    const limit = num(params, 'maxStopMinutes')
    const recordToo = bool(params, 'useRecordSpeed')
    const stopped = (m: MinuteFact) => m.maxSpeedKmh === 0 || (recordToo && m.recordSpeedKmh === 0)
    const runs = runsOf(facts.minutes, stopped).filter((r) => r.length >= limit)
    const longest = Math.max(0, ...runs.map((r) => r.length))
    return minuteRuleResult(
      facts,
      'stationary',
      runs.flat(),
      (ranges, n) => `${runs.length} 段连续停车共 ${n} 分钟，最长 ${longest} 分钟（阈值 ${limit} 分钟）：${ranges}`,
      { maxStopMinutes: limit, runs: runs.length, longestRunMinutes: longest },
    )
  },
}
