/**
 * outside-teaching-area — STANDARDS §7.1 rule 7: a practical minute whose GNSS fix lies outside
 * every training-field polygon of the institution is invalid. Applies to the 培训部分 listed in
 * `parts` (default part 2 only: 第三部分 道路驾驶 trains on public roads, outside any field, and no
 * road-route polygons are registered). Minutes without a fix and institutions without any field
 * polygon are not judged (gnss-missing covers missing fixes). `toleranceM` (default 0, the
 * standard's literal rule) lets a province accept fixes that GNSS error puts just outside the fence.
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { nearPolygon } from './geo.ts'
import { intList, isPractical, minuteRuleResult, num } from './support.ts'

export const outsideTeachingArea: SessionRule = {
  id: 'outside-teaching-area',
  version: 2,
  title: { zh: '不在教学区域', en: 'Outside the teaching area' },
  severity: 'medium',
  requirements: ['M2'],
  basis: 'STANDARDS §7.1 第 7 条',
  scope: 'session',
  invalidates: true,
  params: {
    parts: {
      default: '2',
      unit: '培训部分列表',
      description: '适用的培训部分（逗号分隔）；默认仅第二部分（场地驾驶）',
    },
    toleranceM: {
      default: 0,
      unit: '米',
      description: 'GNSS 误差容差：距场地边界不超过此距离的场地外定位点仍视为在场地内（0 = 标准原文，不设容差）',
      uncertain: true,
    },
  },
  evaluate(facts: SessionFacts, params) {
    const part = facts.session.part
    if (!isPractical(facts) || part === null || !intList(params, 'parts').has(part))
      return { invalidMinutes: [], findings: [] }
    const polygons = facts.fields.flatMap((f) => (f.polygon && f.polygon.length > 0 ? [f.polygon] : []))
    if (polygons.length === 0) return { invalidMinutes: [], findings: [] }
    const toleranceM = num(params, 'toleranceM')
    const outside = facts.minutes.filter(
      (m) => m.lng !== null && m.lat !== null && !polygons.some((p) => nearPolygon(m.lng!, m.lat!, p, toleranceM)),
    )
    return minuteRuleResult(
      facts,
      'outside-teaching-area',
      outside,
      (ranges, n) => `${n} 分钟定位点不在任何教学区域（共 ${polygons.length} 个场地）内：${ranges}`,
      {
        part,
        toleranceM,
        fields: facts.fields.map((f) => ({ id: f.id, name: f.name })),
        outsideFixes: outside.slice(0, 20).map((m) => ({ minuteAt: m.minuteAt.toISOString(), lng: m.lng, lat: m.lat })),
      },
    )
  },
}
