/**
 * gnss-missing — a practical session from our terminals without GNSS: at least `minMissingMinutes`
 * (default 2, UNCERTAIN) consecutive minutes with no fix (no point, 0,0, or every position of the
 * minute reporting 定位 off), or no 0x0200 position for more than `maxPositionGapSeconds` (default
 * 120 s, UNCERTAIN, counted from login and up to logout). One finding per session; the minutes
 * involved are invalid when `invalidateMinutes` is set (a minute of a position gap is one whose
 * second 30 falls in the gap). Exchange records carry no GNSS and are not judged.
 */
import type { MinuteFact, SessionFacts, SessionRule } from '../rule.ts'
import {
  bool,
  isPractical,
  localStamp,
  minuteLinks,
  minuteRanges,
  num,
  runsOf,
  sessionFinding,
  uniqueMinutes,
  verdicts,
} from './support.ts'

const MINUTE_MS = 60_000

export const gnssMissing: SessionRule = {
  id: 'gnss-missing',
  version: 1,
  title: { zh: '定位缺失', en: 'GNSS fixes missing' },
  severity: 'medium',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.3（无定位，无公开阈值）；§2.4 状态位 定位',
  scope: 'session',
  invalidates: true,
  params: {
    minMissingMinutes: {
      default: 2,
      unit: '分钟',
      description: '连续达到此分钟数无有效定位则报告',
      uncertain: true,
    },
    maxPositionGapSeconds: {
      default: 120,
      unit: '秒',
      description: '相邻两次位置汇报（含登录、登出时刻）间隔超过此值则报告',
      uncertain: true,
    },
    invalidateMinutes: { default: true, description: '定位缺失的分钟学时是否判为无效' },
  },
  evaluate(facts: SessionFacts, params) {
    if (!isPractical(facts) || facts.session.source !== 'gateway' || facts.minutes.length === 0)
      return { invalidMinutes: [], findings: [] }
    const minRun = num(params, 'minMissingMinutes')
    const maxGap = num(params, 'maxPositionGapSeconds')
    const positions = facts.positions
    // Per minute start: [positions in the minute, of which located].
    const perMinute = new Map<number, [number, number]>()
    for (const p of positions) {
      const key = Math.floor(p.fixedAt.getTime() / MINUTE_MS) * MINUTE_MS
      const counts = perMinute.get(key) ?? [0, 0]
      counts[0]++
      if (p.located) counts[1]++
      perMinute.set(key, counts)
    }
    const unlocated = (m: MinuteFact) => {
      const counts = perMinute.get(m.minuteAt.getTime())
      return counts !== undefined && counts[0] > 0 && counts[1] === 0
    }
    const missing = (m: MinuteFact) => m.lng === null || m.lat === null || (m.lng === 0 && m.lat === 0) || unlocated(m)
    const runs = runsOf(facts.minutes, missing).filter((r) => r.length >= minRun)
    const lastMinute = facts.minutes[facts.minutes.length - 1]!
    const end = facts.session.endedAt ?? new Date(lastMinute.minuteAt.getTime() + MINUTE_MS)
    const times = [facts.session.startedAt, ...positions.map((p) => p.fixedAt), end].map((d) => d.getTime())
    times.sort((a, b) => a - b)
    const gaps: { from: number; to: number }[] = []
    for (let i = 1; i < times.length; i++)
      if ((times[i]! - times[i - 1]!) / 1000 > maxGap) gaps.push({ from: times[i - 1]!, to: times[i]! })
    const inGap = facts.minutes.filter((m) => {
      const mid = m.minuteAt.getTime() + 30_000
      return gaps.some((g) => mid > g.from && mid < g.to)
    })
    const longestGap = Math.max(0, ...gaps.map((g) => (g.to - g.from) / 1000))
    const longestRun = Math.max(0, ...runs.map((r) => r.length))
    if (runs.length === 0 && gaps.length === 0) return { invalidMinutes: [], findings: [] }
    const parts: string[] = []
    if (runs.length) parts.push(`${runs.length} 段连续无定位，最长 ${longestRun} 分钟（阈值 ${minRun} 分钟）`)
    if (gaps.length)
      parts.push(
        `${gaps.length} 段位置汇报中断，最长 ${longestGap.toFixed(0)} 秒（阈值 ${maxGap} 秒），首段始于 ${localStamp(new Date(gaps[0]!.from))}`,
      )
    // The positions on either side of each reporting gap (login and logout are not positions).
    const terminalId = facts.session.terminalId
    const positionTimes = new Set(positions.map((p) => p.fixedAt.getTime()))
    const gapEdges =
      terminalId === null
        ? []
        : gaps
            .slice(0, 20)
            .flatMap((g) => [g.from, g.to])
            .filter((t) => positionTimes.has(t))
            .map((t) => ({ terminalId, fixedAt: new Date(t).toISOString() }))
    const affected = uniqueMinutes([...runs.flat(), ...inGap])
    const ranges = affected.length ? `；涉及 ${affected.length} 分钟：${minuteRanges(affected)}` : ''
    const finding = sessionFinding(facts, {
      occurredAt: affected[0]?.minuteAt ?? new Date(gaps[0]!.from),
      summary: `${parts.join('；')}${ranges}`,
      evidence: {
        minutes: minuteLinks(affected),
        ...(gapEdges.length ? { positions: gapEdges } : {}),
        details: {
          minMissingMinutes: minRun,
          maxPositionGapSeconds: maxGap,
          affectedMinutes: affected.length,
          longestMissingRunMinutes: longestRun,
          longestPositionGapSeconds: longestGap,
          positionGaps: gaps
            .slice(0, 20)
            .map((g) => ({ from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString() })),
        },
      },
    })
    return {
      invalidMinutes: bool(params, 'invalidateMinutes') ? verdicts(affected, 'gnss-missing') : [],
      findings: [finding],
    }
  },
}
