/**
 * Shared pieces of the cross-scope rules: a session's time span, overlapping pairs by a sweep over
 * start times (O(n log n + pairs)), the source a session came through, and readable labels. Pure.
 */
import type { CapCategory, SyllabusPolicy } from '../../policy/syllabus.ts'
import type { SessionFact, SessionFacts } from '../rule.ts'
import { clock } from './support.ts'

const MINUTE_MS = 60_000

/** [start, end) of a session in ms: its logout, or for an open session the end of its last minute record. */
export function span(facts: SessionFacts): [number, number] {
  const start = facts.session.startedAt.getTime()
  if (facts.session.endedAt) return [start, Math.max(start, facts.session.endedAt.getTime())]
  const last = facts.minutes[facts.minutes.length - 1]
  return [start, last ? Math.max(start, last.minuteAt.getTime() + MINUTE_MS) : start]
}

export interface OverlapPair {
  /** The earlier-starting session (ties: lower id). */
  a: SessionFacts
  b: SessionFacts
  /** Overlap [from, to) in ms. */
  from: number
  to: number
  minutes: number
}

/**
 * Pairs of sessions in `group` whose spans overlap by at least `minMinutes`, each pair once.
 * Sweep: sessions sorted by start; each is compared only with the sessions still running.
 */
export function overlappingPairs(group: readonly SessionFacts[], minMinutes: number): OverlapPair[] {
  const items = group
    .map((facts) => ({ facts, span: span(facts) }))
    .sort((x, y) => x.span[0] - y.span[0] || x.facts.session.id - y.facts.session.id)
  const pairs: OverlapPair[] = []
  let active: typeof items = []
  for (const item of items) {
    active = active.filter((other) => other.span[1] > item.span[0])
    for (const other of active) {
      const from = item.span[0]
      const to = Math.min(other.span[1], item.span[1])
      const minutes = (to - from) / MINUTE_MS
      if (to > from && minutes >= minMinutes) pairs.push({ a: other.facts, b: item.facts, from, to, minutes })
    }
    active.push(item)
  }
  return pairs
}

/** Sessions grouped by a key (null keys are left out), each group in input order. */
export function groupBy<K>(
  sessions: readonly SessionFacts[],
  key: (s: SessionFacts) => K | null,
): Map<K, SessionFacts[]> {
  const out = new Map<K, SessionFacts[]>()
  for (const s of sessions) {
    const k = key(s)
    if (k === null) continue
    const list = out.get(k)
    if (list) list.push(s)
    else out.set(k, [s])
  }
  return out
}

/** Where a session came from: our gateway or the exchange interface, and through which timing platform. */
export function sourceKey(s: SessionFact): string {
  return `${s.source}:${s.sourcePlatformId ?? '-'}`
}

export function sourceLabel(s: SessionFact): string {
  const via = s.source === 'exchange' ? '对接平台' : '计时终端'
  return s.sourcePlatformId === null ? via : `${via}（平台 ${s.sourcePlatformId}）`
}

/** The daily-cap category of a session's 课程方式 under the syllabus, or null when the mode is unknown. */
export function capCategory(s: SessionFact, syllabus: SyllabusPolicy): CapCategory | null {
  return s.mode === null ? null : syllabus.capCategoryOfMode[s.mode]
}

/**
 * True when two overlapping sessions of one student are theory and practical training reported
 * through different sources (理论与实操交叉培训): cross-training reports such a pair, and
 * student-overlap leaves it to it, so a pair is reported exactly once.
 */
export function isCrossTrainingPair(a: SessionFact, b: SessionFact, syllabus: SyllabusPolicy): boolean {
  const ca = capCategory(a, syllabus)
  const cb = capCategory(b, syllabus)
  return ca !== null && cb !== null && ca !== cb && sourceKey(a) !== sourceKey(b)
}

export const CAP_CATEGORY_ZH: Record<CapCategory, string> = {
  classroom: '理论（课堂、远程）',
  practical: '实操（实车、模拟）',
}

/** 'HH:MM–HH:MM' of a span in ms (Beijing time). */
export function clockRange(from: number, to: number): string {
  return `${clock(new Date(from))}–${clock(new Date(to))}`
}

/** The dedupe key part of a pair: the two session ids, lower first. */
export function pairKey(a: SessionFact, b: SessionFact): string {
  return a.id < b.id ? `${a.id}-${b.id}` : `${b.id}-${a.id}`
}
