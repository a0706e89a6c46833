import { parseArgs } from 'node:util'
import { loadConfig } from '../packages/server/src/config/load.ts'
import { runDetectionBatch } from '../packages/server/src/detection/engine/batch.ts'
import { RULES } from '../packages/server/src/detection/rules/index.ts'
import { localMidnight } from '../packages/server/src/detection/time.ts'
import { ensureDefaultPolicy } from '../packages/server/src/policy/store.ts'
import { seedDemo } from '../packages/server/src/seed/seed.ts'
import {
  CROSS_FRAUDS,
  FRAUDS,
  FraudRotation,
  HistoryGenerator,
  labelRegistryDisqualified,
  loadRegistryIndex,
  planPracticalDay,
  writePlanned,
} from '../packages/server/src/seed/training-history.ts'
import { loadFleetProfiles, type TerminalProfile } from '../packages/simulator/src/index.ts'
import { fmt, loadAverage, machineFacts, openBenchDatabase } from './lib/common.ts'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    cars: { type: 'string', default: '200' },
    lessons: { type: 'string', default: '4' },
    'fraud-rate': { type: 'string', default: '0.25' },
    seed: { type: 'string', default: '7' },
    day: { type: 'string', default: '2026-03-10' },
    engine: { type: 'string' },
    'chunk-cars': { type: 'string', default: '250' },
    explain: { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const SCALE = values.scale as 'tiny' | 'small' | 'city' | 'province'
const CARS = Number(values.cars)
const LESSONS = Number(values.lessons)
const FRAUD_RATE = Number(values['fraud-rate'])
const SEED = Number(values.seed)
const DAY = String(values.day)
const CHUNK_CARS = Number(values['chunk-cars'])
if (!['tiny', 'small', 'city', 'province'].includes(SCALE)) throw new Error('--scale tiny|small|city|province')
if (!(CARS > 0) || !(LESSONS > 0 && LESSONS <= 6)) throw new Error('--cars > 0, --lessons 1–6')
if (!(FRAUD_RATE >= 0 && FRAUD_RATE <= 1)) throw new Error('--fraud-rate 0–1')
if (!/^\d{4}-\d{2}-\d{2}$/.test(DAY)) throw new Error('--day YYYY-MM-DD')
if (!(Number.isInteger(CHUNK_CARS) && CHUNK_CARS > 0)) throw new Error('--chunk-cars > 0')

const baseConfig = loadConfig(process.env)
const ENGINE: 'pglite' | 'pg' =
  (values.engine as 'pglite' | 'pg' | undefined) ?? (baseConfig.database.kind === 'postgres' ? 'pg' : 'pglite')

const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`)
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : '—')

// ── Machine ──────────────────────────────────────────────────────────────

const machine = machineFacts()
log('Detection benchmark')
log(`  machine  : ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`)
log(`  load avg : ${machine.loadAverage.join(' ')} (1/5/15 min, at start)`)

// ── Database ─────────────────────────────────────────────────────────────

const { database, label, location, dispose } = await openBenchDatabase(ENGINE, baseConfig, {
  prefix: 'jiapei-bench-det-',
  pgliteLabel: 'PGlite (on disk, same thread)',
})
log(`  database : ${label}`)
log(
  `  workload : scale ${SCALE}, ${CARS} cars × ${LESSONS} lessons on ${DAY}, fraud rate ${pct(FRAUD_RATE)}, seed ${SEED}`,
)

log('\n[1/3] seeding the registry …')
let t0 = performance.now()
await seedDemo(database, { scale: SCALE, seed: SEED, today: DAY })
await ensureDefaultPolicy(database, 'detection')
await ensureDefaultPolicy(database, 'syllabus')
log(`      ${fmt((performance.now() - t0) / 1000, 1)} s`)

// ── Lessons ──────────────────────────────────────────────────────────────

log('[2/3] planning lessons, injecting frauds and writing them as the ingestion would …')
t0 = performance.now()
const dayStart = localMidnight(DAY)
const dayEnd = new Date(dayStart.getTime() + 86_400_000)
const registry = await loadRegistryIndex(database)
const generator = new HistoryGenerator(registry, SEED)

const profiles: TerminalProfile[] = []
const usedCoaches = new Set<string>()
for (const p of await loadFleetProfiles(database, CARS * 3, SEED)) {
  if (profiles.length >= CARS) break
  if (
    usedCoaches.has(p.coach.coachNo) ||
    !registry.terminals.has(p.deviceNo) ||
    !registry.coachIds.has(p.coach.coachNo)
  )
    continue
  usedCoaches.add(p.coach.coachNo)
  profiles.push(p)
}
// Spare registry entries for the registry frauds: coaches of other types (not in the fleet) and
// vehicles not in the fleet, whose inspection is made to lapse.
await generator.prepareSpares(database, profiles, DAY, true)

// Planned and written chunk by chunk of cars, so a province-day (tens of thousands of cars) never
// sits in memory at once; only each lesson's labels are kept for the scores.
interface LessonLabel {
  id: number
  part: number
  fraud: string | null
  expected: Set<string>
}
const lessons: LessonLabel[] = []
const rotation = new FraudRotation()
let injected = 0
let registryBad = 0
let minuteCount = 0
let positionCount = 0
let photoCount = 0
let examCount = 0
let planSeconds = 0
let writeSeconds = 0
const planStarted = performance.now()
// A chunk never splits an institution: its students train only on its cars, so every student's day
// (overlaps, daily caps, exam bookings) is planned whole within one chunk.
const chunks: TerminalProfile[][] = []
if (profiles.length <= CHUNK_CARS) chunks.push(profiles)
else {
  const byInstitution = new Map<string, TerminalProfile[]>()
  for (const p of profiles) {
    const group = byInstitution.get(p.institutionNo)
    if (group) group.push(p)
    else byInstitution.set(p.institutionNo, [p])
  }
  let current: TerminalProfile[] = []
  for (const group of byInstitution.values()) {
    current.push(...group)
    if (current.length >= CHUNK_CARS) {
      chunks.push(current)
      current = []
    }
  }
  if (current.length > 0) chunks.push(current)
}
let carsDone = 0
for (const chunk of chunks) {
  const i = carsDone
  carsDone += chunk.length
  let t = performance.now()
  const planned = planPracticalDay(generator, rotation, {
    day: DAY,
    profiles: chunk,
    lessons: LESSONS,
    fraudRate: FRAUD_RATE,
    seed: SEED + i,
  })
  generator.settle(planned)
  registryBad += await labelRegistryDisqualified(database, planned, DAY)
  planSeconds += (performance.now() - t) / 1000
  t = performance.now()
  const written = await writePlanned(database, planned, generator)
  writeSeconds += (performance.now() - t) / 1000
  minuteCount += written.minutes
  positionCount += written.positions
  photoCount += written.photos
  examCount += written.exams
  for (const p of planned) {
    if (p.fraud !== null) injected++
    lessons.push({ id: p.id, part: p.part, fraud: p.fraud, expected: p.expected })
  }
  if (chunks.length > 1) {
    log(
      `      cars ${fmt(carsDone)} / ${fmt(profiles.length)}: ${fmt(lessons.length)} lessons, ` +
        `${fmt(minuteCount)} minute records; ${fmt((performance.now() - planStarted) / 1000)} s`,
    )
  }
}

log(
  `      ${fmt(lessons.length)} lessons on ${fmt(profiles.length)} cars, ${fmt(injected)} with an injected fraud ` +
    `(${FRAUDS.length + CROSS_FRAUDS.length} kinds), ${fmt(registryBad)} disqualified by the registry; planned in ${fmt(planSeconds, 1)} s`,
)
log(
  `      written as the ingestion would: ${fmt(lessons.length)} sessions, ${fmt(minuteCount)} minute records, ` +
    `${fmt(positionCount)} positions, ${fmt(photoCount)} photos, ${fmt(examCount)} exam bookings; ${fmt(writeSeconds, 1)} s`,
)

// A table loaded in bulk has no planner statistics until autovacuum gets to it, which on a busy
// server can be long after the load: without them PostgreSQL reads a province-day's minutes with
// a parallel scan of the partition for every batch of 200 sessions.
t0 = performance.now()
await database.query('ANALYZE')
log(`      planner statistics gathered (ANALYZE): ${fmt((performance.now() - t0) / 1000, 1)} s`)

// ── Batch detection ──────────────────────────────────────────────────────

log('[3/3] batch detection over the day …')
const now = new Date(dayEnd.getTime() + 3 * 86_400_000)
t0 = performance.now()
const summary = await runDetectionBatch(database, { from: dayStart, to: dayEnd, now })
const batchSeconds = (performance.now() - t0) / 1000
log(
  `      ${fmt(summary.sessions)} sessions, ${fmt(summary.minutes)} minutes (${fmt(summary.invalidMinutes)} invalid), ` +
    `${fmt(summary.findingsInserted)} findings; session rules ${fmt(summary.sessionMs / 1000, 2)} s, ` +
    `cross rules ${fmt(summary.crossMs / 1000, 2)} s (${summary.crossPasses} passes), total ${fmt(batchSeconds, 2)} s` +
    (summary.errors.length
      ? `; ${summary.errors.length} rule errors (first: ${summary.errors[0]?.ruleId}: ${summary.errors[0]?.message})`
      : ''),
)

// ── Precision and recall ─────────────────────────────────────────────────

const flagged = new Map<number, Set<string>>()
const flag = (sessionId: number, rule: string) => {
  const set = flagged.get(sessionId) ?? new Set<string>()
  set.add(rule)
  flagged.set(sessionId, set)
}
const summaries = new Map<string, string>()
for (const f of await database.query<{
  rule_id: string
  session_id: number | null
  sessions: unknown
  summary: string
}>(`SELECT rule_id, session_id, evidence->'sessions' AS sessions, summary FROM finding`)) {
  if (f.session_id !== null) summaries.set(`${f.rule_id}:${f.session_id}`, f.summary)
  if (f.session_id !== null) flag(Number(f.session_id), f.rule_id)
  const linked = typeof f.sessions === 'string' ? JSON.parse(f.sessions) : f.sessions
  if (Array.isArray(linked)) for (const s of linked) flag(Number(s), f.rule_id)
}

interface Score {
  rule: string
  scope: string
  truth: number
  flagged: number
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
}
const scores: Score[] = RULES.map((rule) => {
  let tp = 0
  let fp = 0
  let fn = 0
  for (const p of lessons) {
    const expected = p.expected.has(rule.id)
    const got = flagged.get(p.id)?.has(rule.id) ?? false
    if (expected && got) tp++
    else if (got) fp++
    else if (expected) fn++
  }
  return {
    rule: rule.id,
    scope: rule.scope,
    truth: tp + fn,
    flagged: tp + fp,
    tp,
    fp,
    fn,
    precision: tp + fp ? tp / (tp + fp) : Number.NaN,
    recall: tp + fn ? tp / (tp + fn) : Number.NaN,
  }
})
const total = scores.reduce((a, s) => ({ tp: a.tp + s.tp, fp: a.fp + s.fp, fn: a.fn + s.fn }), { tp: 0, fp: 0, fn: 0 })
const overall = { ...total, precision: total.tp / (total.tp + total.fp), recall: total.tp / (total.tp + total.fn) }
const cleanFlagged = lessons.filter((p) => p.expected.size === 0 && (flagged.get(p.id)?.size ?? 0) > 0).length
const clean = lessons.filter((p) => p.expected.size === 0).length

log('\nPer rule (lessons; truth = labelled, flagged = with a finding of the rule)')
log('  rule                     scope    truth  flagged     TP     FP     FN  precision  recall')
for (const s of scores)
  log(
    `  ${s.rule.padEnd(24)} ${s.scope.padEnd(7)} ${fmt(s.truth).padStart(6)} ${fmt(s.flagged).padStart(8)} ` +
      `${fmt(s.tp).padStart(6)} ${fmt(s.fp).padStart(6)} ${fmt(s.fn).padStart(6)} ${pct(s.precision).padStart(10)} ${pct(s.recall).padStart(7)}`,
  )
log(
  `  ${'overall (micro)'.padEnd(32)} ${fmt(total.tp + total.fn).padStart(6)} ${fmt(total.tp + total.fp).padStart(8)} ` +
    `${fmt(total.tp).padStart(6)} ${fmt(total.fp).padStart(6)} ${fmt(total.fn).padStart(6)} ${pct(overall.precision).padStart(10)} ${pct(overall.recall).padStart(7)}`,
)
if (values.explain) {
  log(
    `\nMisses and false alarms${values.explain === 'all' ? '' : ` of ${values.explain}`} (lesson, injected fraud, labels → finding)`,
  )
  for (const p of lessons) {
    for (const rule of RULES) {
      if (values.explain !== 'all' && values.explain !== rule.id) continue
      const expected = p.expected.has(rule.id)
      const got = flagged.get(p.id)?.has(rule.id) ?? false
      if (expected === got) continue
      log(
        `  ${expected ? 'FN' : 'FP'} ${rule.id} lesson ${p.id} (part ${p.part}, fraud ${p.fraud ?? '—'}, labels ${[...p.expected].join(',') || '—'})` +
          (got ? `: ${summaries.get(`${rule.id}:${p.id}`) ?? '(linked as evidence)'}` : ''),
      )
    }
  }
}
log(
  `  clean lessons with any finding: ${fmt(cleanFlagged)} of ${fmt(clean)} (${pct(cleanFlagged / Math.max(1, clean))})`,
)
log(
  `\nBatch time for the day: ${fmt(batchSeconds, 2)} s for ${fmt(summary.sessions)} sessions / ${fmt(summary.minutes)} minute records ` +
    `(${fmt(summary.minutes / Math.max(batchSeconds, 1e-9))} minutes/s) on ${label.split(' (')[0]}`,
)

await database.close()
if (values.keep) log(`\nThe database is kept (--keep): ${location}`)
else await dispose()

if (values.json) {
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { ...machine, loadAverageAtEnd: loadAverage() },
        database: label,
        workload: {
          scale: SCALE,
          cars: profiles.length,
          lessons: lessons.length,
          injected,
          fraudRate: FRAUD_RATE,
          day: DAY,
          seed: SEED,
        },
        rows: { sessions: lessons.length, minutes: minuteCount, positions: positionCount, photos: photoCount },
        batch: { ...summary, seconds: batchSeconds },
        scores,
        overall,
        clean: { lessons: clean, flagged: cleanFlagged },
      },
      null,
      2,
    )}\n`,
  )
}
