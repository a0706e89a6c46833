import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SYLLABUS_2016, type SyllabusPart, type SyllabusPolicy, type TrainingMode } from '../policy/syllabus.ts'
import {
  buildLedger,
  creditedMinutes,
  DAILY_CAP,
  type DayCredit,
  decideCredits,
  LOW_VALID_SHARE,
  type MinuteInput,
  type SessionInput,
} from './account.ts'

/** Beijing local time 'YYYY-MM-DD HH:MM' → UTC instant. */
const bj = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

interface Spec {
  id: number
  /** Local start 'YYYY-MM-DD HH:MM'. */
  start: string
  minutes: number
  /** Minutes (0-based offsets) that are invalid, with their rule id. */
  invalid?: Record<number, string>
  /** Minutes (0-based offsets) not evaluated yet. */
  pending?: number[]
  mode?: TrainingMode
  part?: SyllabusPart
  version?: number
  policy?: SyllabusPolicy
}

function session(s: Spec): SessionInput {
  const t0 = bj(s.start).getTime()
  const minutes: MinuteInput[] = Array.from({ length: s.minutes }, (_, i) => ({
    minuteAt: new Date(t0 + i * 60_000),
    valid: s.pending?.includes(i) ? null : !s.invalid?.[i],
    reasons: s.invalid?.[i] ? [s.invalid[i]!] : null,
    mileageM: 400,
  }))
  return {
    id: s.id,
    startedAt: new Date(t0),
    part: s.part ?? 2,
    mode: s.mode ?? 1,
    policyVersion: s.version ?? 1,
    policy: s.policy ?? SYLLABUS_2016,
    minutes,
  }
}

const invalidRun = (from: number, to: number, rule: string) =>
  Object.fromEntries(Array.from({ length: to - from }, (_, i) => [from + i, rule]))

const pick = (c: DayCredit) => ({
  id: c.sessionId,
  day: c.localDay,
  session: c.sessionMinutes,
  valid: c.validMinutes,
  credited: c.creditedMinutes,
  capped: c.cappedMinutes,
  final: c.finalMinutes,
  version: c.policyVersion,
  reasons: c.reasons,
})

describe('credited minutes: the 45-of-60 rule', () => {
  const cases: [session: number, valid: number, credited: number][] = [
    [60, 60, 60],
    [60, 45, 60], // exactly 75 %: full credit
    [60, 44, 58], // below: 44 × 4/3 = 58.67 → 58
    [60, 30, 40],
    [60, 0, 0],
    [10, 8, 10],
    [0, 0, 0],
  ]
  for (const [s, v, expected] of cases) {
    test(`${v} valid of ${s} → ${expected}`, () => assert.equal(creditedMinutes(s, v, SYLLABUS_2016), expected))
  }
})

describe('decideCredits', () => {
  const cases: { name: string; sessions: Spec[]; expected: ReturnType<typeof pick>[] }[] = [
    {
      name: 'a clean lesson is credited in full',
      sessions: [{ id: 1, start: '2026-05-06 09:00', minutes: 50 }],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 50,
          valid: 50,
          credited: 50,
          capped: 0,
          final: 50,
          version: 1,
          reasons: [],
        },
      ],
    },
    {
      name: 'invalid minutes under 25 % cost nothing but are named with their counts',
      sessions: [{ id: 1, start: '2026-05-06 09:00', minutes: 60, invalid: invalidRun(10, 25, 'engine-rpm-zero') }],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 60,
          valid: 45,
          credited: 60,
          capped: 0,
          final: 60,
          version: 1,
          reasons: ['engine-rpm-zero:15'],
        },
      ],
    },
    {
      name: 'below 75 % valid: valid × 4/3, LOW_VALID_SHARE',
      sessions: [
        {
          id: 1,
          start: '2026-05-06 09:00',
          minutes: 60,
          invalid: { ...invalidRun(0, 20, 'stationary'), ...invalidRun(20, 30, 'outside-field') },
        },
      ],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 60,
          valid: 30,
          credited: 40,
          capped: 0,
          final: 40,
          version: 1,
          reasons: ['outside-field:10', 'stationary:20', LOW_VALID_SHARE],
        },
      ],
    },
    {
      name: 'minutes not evaluated yet are counted but not credited',
      sessions: [{ id: 1, start: '2026-05-06 09:00', minutes: 10, pending: [6, 7, 8, 9] }],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 10,
          valid: 6,
          credited: 8,
          capped: 0,
          final: 8,
          version: 1,
          reasons: ['UNEVALUATED:4', LOW_VALID_SHARE],
        },
      ],
    },
    {
      name: 'a session crossing local midnight is split per day, each part decided on its own',
      sessions: [{ id: 7, start: '2026-05-06 23:30', minutes: 60, invalid: invalidRun(40, 60, 'stationary') }],
      expected: [
        {
          id: 7,
          day: '2026-05-06',
          session: 30,
          valid: 30,
          credited: 30,
          capped: 0,
          final: 30,
          version: 1,
          reasons: [],
        },
        {
          id: 7,
          day: '2026-05-07',
          session: 30,
          valid: 10,
          credited: 13,
          capped: 0,
          final: 13,
          version: 1,
          reasons: ['stationary:20', LOW_VALID_SHARE],
        },
      ],
    },
    {
      name: 'daily cap reached mid-session: that session keeps what fits, later ones get 0',
      sessions: [
        // Given out of order: the cap follows the clock, not the input order.
        { id: 3, start: '2026-05-06 16:00', minutes: 60 },
        { id: 1, start: '2026-05-06 08:00', minutes: 120 },
        { id: 2, start: '2026-05-06 13:00', minutes: 150 },
        // Classroom minutes have their own cap.
        { id: 4, start: '2026-05-06 19:00', minutes: 90, mode: 2, part: 1 },
      ],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 120,
          valid: 120,
          credited: 120,
          capped: 0,
          final: 120,
          version: 1,
          reasons: [],
        },
        {
          id: 2,
          day: '2026-05-06',
          session: 150,
          valid: 150,
          credited: 150,
          capped: 30,
          final: 120,
          version: 1,
          reasons: [DAILY_CAP],
        },
        {
          id: 3,
          day: '2026-05-06',
          session: 60,
          valid: 60,
          credited: 60,
          capped: 60,
          final: 0,
          version: 1,
          reasons: [DAILY_CAP],
        },
        {
          id: 4,
          day: '2026-05-06',
          session: 90,
          valid: 90,
          credited: 90,
          capped: 0,
          final: 90,
          version: 1,
          reasons: [],
        },
      ],
    },
    {
      name: 'the cap restarts on the next local day',
      sessions: [
        { id: 1, start: '2026-05-06 18:00', minutes: 240 },
        { id: 2, start: '2026-05-06 23:50', minutes: 20 },
      ],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 240,
          valid: 240,
          credited: 240,
          capped: 0,
          final: 240,
          version: 1,
          reasons: [],
        },
        {
          id: 2,
          day: '2026-05-06',
          session: 10,
          valid: 10,
          credited: 10,
          capped: 10,
          final: 0,
          version: 1,
          reasons: [DAILY_CAP],
        },
        {
          id: 2,
          day: '2026-05-07',
          session: 10,
          valid: 10,
          credited: 10,
          capped: 0,
          final: 10,
          version: 1,
          reasons: [],
        },
      ],
    },
    {
      name: 'policy change between two sessions: each credit names its own version and uses its caps',
      sessions: [
        { id: 1, start: '2026-05-06 08:00', minutes: 150, version: 1 },
        {
          id: 2,
          start: '2026-05-06 14:00',
          minutes: 120,
          version: 2,
          policy: { ...SYLLABUS_2016, dailyCapHours: { classroom: 4, practical: 3 } },
        },
      ],
      expected: [
        {
          id: 1,
          day: '2026-05-06',
          session: 150,
          valid: 150,
          credited: 150,
          capped: 0,
          final: 150,
          version: 1,
          reasons: [],
        },
        {
          id: 2,
          day: '2026-05-06',
          session: 120,
          valid: 120,
          credited: 120,
          capped: 90,
          final: 30,
          version: 2,
          reasons: [DAILY_CAP],
        },
      ],
    },
  ]
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(decideCredits(c.sessions.map(session)).map(pick), c.expected))
  }

  test('a minute recorded twice counts once', () => {
    const s = session({ id: 1, start: '2026-05-06 09:00', minutes: 5 })
    const twice = { ...s, minutes: [...s.minutes, { ...s.minutes[0]!, valid: false, reasons: ['x'] }] }
    assert.deepEqual(
      decideCredits([twice]).map((c) => [c.sessionMinutes, c.validMinutes, c.finalMinutes]),
      [[5, 5, 5]],
    )
  })
})

describe('buildLedger', () => {
  const full = [
    // Part 1: 4 h classroom + 8 h remote → 12 h.
    { sessionId: 1, part: 1, mode: 2, finalMinutes: 240, mileageM: 0 },
    { sessionId: 2, part: 1, mode: 4, finalMinutes: 480, mileageM: 0 },
    { sessionId: 3, part: 2, mode: 1, finalMinutes: 960, mileageM: 150_000 },
    { sessionId: 4, part: 3, mode: 1, finalMinutes: 1440, mileageM: 150_000 },
    { sessionId: 5, part: 4, mode: 2, finalMinutes: 600, mileageM: 0 },
  ]

  test('a complete C1 student has no shortfall', () => {
    const ledger = buildLedger(full, 'C1', SYLLABUS_2016, 1)!
    assert.equal(ledger.complete, true)
    assert.deepEqual(ledger.shortfalls, [])
    assert.deepEqual(ledger.mileage, { km: 300, requiredKm: 300 })
    assert.deepEqual(
      ledger.parts.map((p) => [p.part, p.countedMinutes, p.requiredMinutes, p.complete]),
      [
        [1, 720, 720, true],
        [2, 960, 960, true],
        [3, 1440, 1440, true],
        [4, 600, 600, true],
      ],
    )
  })

  const shortCases: { name: string; credits: typeof full; kinds: string[] }[] = [
    {
      name: 'part 2 short by one hour',
      credits: full.map((c) => (c.sessionId === 3 ? { ...c, finalMinutes: 900 } : c)),
      kinds: ['part_total:2'],
    },
    {
      name: 'part 1 without its 4 classroom hours (remote instead)',
      credits: full.map((c) => (c.sessionId === 1 ? { ...c, mode: 4 } : c)),
      kinds: ['mode_minimum:1'],
    },
    {
      name: 'classroom under 6 hours in total',
      credits: full.map((c) => (c.sessionId === 1 ? { ...c, mode: 4 } : c.sessionId === 5 ? { ...c, mode: 4 } : c)),
      kinds: ['mode_minimum:1', 'mode_minimum:4', 'classroom_total:-'],
    },
    {
      name: 'mileage under 300 km',
      credits: full.map((c) => (c.sessionId === 4 ? { ...c, mileageM: 100_000 } : c)),
      kinds: ['mileage:-'],
    },
  ]
  for (const c of shortCases) {
    test(c.name, () => {
      const ledger = buildLedger(c.credits, 'C1', SYLLABUS_2016, 1)!
      assert.equal(ledger.complete, false)
      assert.deepEqual(
        ledger.shortfalls.map((s) => `${s.kind}:${s.part ?? '-'}`),
        c.kinds,
      )
      for (const s of ledger.shortfalls) assert.match(s.message, /差/)
    })
  }

  test('minutes beyond a mode maximum do not count towards the part', () => {
    const policy: SyllabusPolicy = {
      ...SYLLABUS_2016,
      vehicleTypes: {
        C1: {
          ...SYLLABUS_2016.vehicleTypes.C1!,
          parts: { ...SYLLABUS_2016.vehicleTypes.C1!.parts, 2: { total: 16, maxByMode: { 3: 3 } } },
        },
      },
    }
    const credits = [
      ...full.filter((c) => c.part !== 2),
      { sessionId: 9, part: 2, mode: 3, finalMinutes: 960, mileageM: 0 },
    ]
    const part2 = buildLedger(credits, 'C1', policy, 2)!.parts[1]!
    assert.deepEqual([part2.finalMinutes, part2.countedMinutes, part2.complete], [960, 180, false])
  })

  test('an unknown licence type has no ledger', () =>
    assert.equal(buildLedger(full, 'Z9', SYLLABUS_2016, 1), undefined))
})
