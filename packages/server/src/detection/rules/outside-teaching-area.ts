/**
 * outside-teaching-area — STANDARDS §7.1 rule 7: a practical minute whose GNSS fix lies outside
 * every training-field polygon of the institution is invalid. Applies to the 培训部分 listed in
 * `parts` (default part 2 only: 第三部分 道路驾驶 trains on public roads, outside any field, and no
 * road-route polygons are registered). Minutes without a fix and institutions without any field
 * polygon are not judged (gnss-missing covers missing fixes).
 */
import type { SessionFacts, SessionRule } from '../rule.ts'
import { inPolygon } from './geo.ts'
import { intList, isPractical, minuteRuleResult } from './support.ts'

export const outsideTeachingArea: SessionRule = {
  id: 'outside-teaching-area',
  version: 1,
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
  },
  evaluate(facts: SessionFacts, params) {
    const part = facts.session.part
    if (!isPractical(facts) || part === null || !intList(params, 'parts').has(part))
      return { invalidMinutes: [], findings: [] }
    const polygons = facts.fields.flatMap((f) => (f.polygon && f.polygon.length > 0 ? [f.polygon] : []))
    if (polygons.length === 0) return { invalidMinutes: [], findings: [] }
    const outside = facts.minutes.filter(
      (m) => m.lng !== null && m.lat !== null && !polygons.some((p) => inPolygon(m.lng!, m.lat!, p)),
    )
    return minuteRuleResult(
      facts,
      'outside-teaching-area',
      outside,
      (ranges, n) => `${n} 分钟定位点不在任何教学区域（共 ${polygons.length} 个场地）内：${ranges}`,
      {
        part,
        fields: facts.fields.map((f) => ({ id: f.id, name: f.name })),
        outsideFixes: outside.slice(0, 20).map((m) => ({ minuteAt: m.minuteAt.toISOString(), lng: m.lng, lat: m.lat })),
      },
    )
  },
}
