import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distance, type LessonEvent, type LngLat, outerRing, planLesson, pointInPolygon } from '../src/index.ts'
import { profile, SMALL_FIELD, START } from './fixtures.ts'

const records = (events: LessonEvent[]) => events.flatMap((e) => (e.kind === 'minuteRecord' ? [e.body] : []))

/** Longest run of consecutive items matching `stopped`. */
function longestRun<T>(items: readonly T[], stopped: (item: T) => boolean): number {
  let run = 0
  let longest = 0
  for (const item of items) {
    run = stopped(item) ? run + 1 : 0
    longest = Math.max(longest, run)
  }
  return longest
}

describe('lesson motion', () => {
  // The detection rules treat ≥ 2 consecutive minutes at 最大速度 0 or 里程 0 as a parked car; a
  // clean simulated lesson must not look like one. Stops are planned: the first 20 s after the
  // student login, the last 10 s of training, 5–30 s at a 科目二 exercise stop (one per 150–300 m
  // driven) and up to 25 s at a 科目三 junction — none reaches two minutes.
  for (const part of [2, 3] as const) {
    it(`科目${part === 2 ? '二' : '三'}: no two consecutive minutes at speed 0 or mileage 0, no stop of 2 minutes on the track`, () => {
      for (let seed = 1; seed <= 24; seed++) {
        const lesson = planLesson(profile(), {
          part,
          minutes: 60,
          startTime: START + seed * 3_600_000,
          seed,
        })
        const minutes = records(lesson.events)
        assert.equal(minutes.length, 60)
        assert.ok(
          longestRun(minutes, (r) => r.maxSpeed === 0) < 2,
          `seed ${seed}: speeds ${minutes.map((r) => r.maxSpeed).join(' ')}`,
        )
        assert.ok(
          longestRun(minutes, (r) => r.mileage === 0) < 2,
          `seed ${seed}: mileage ${minutes.map((r) => r.mileage).join(' ')}`,
        )
        // On the track itself: while the car is meant to move, it never stands for 2 minutes.
        const login = lesson.events.find((e) => e.kind === 'studentLogin')?.at ?? 0
        const moving = lesson.track.filter((p) => p.at >= login + 20_000 && p.at < login + 59 * 60_000)
        const longestStop = longestRun(moving, (p) => p.speed === 0)
        assert.ok(longestStop < 120, `seed ${seed}: stood ${longestStop} s`)
      }
    })
  }

  // 里程 comes in 100 m steps of a cumulative odometer: two minutes at 0 mean under 100 m in two
  // minutes. On the smallest field the legs are short; the car turns through most waypoints and
  // stops only for exercises, so every two minutes of training cover well over 100 m.
  it('科目二 on the smallest field: every two minutes cover over 100 m, no two minutes at mileage 0', () => {
    let shortest = Number.POSITIVE_INFINITY
    for (let seed = 1; seed <= 120; seed++) {
      const lesson = planLesson(profile({ field: SMALL_FIELD }), {
        part: 2,
        minutes: 60,
        startTime: START + seed * 7_000,
        seed,
      })
      const minutes = records(lesson.events)
      assert.ok(
        longestRun(minutes, (r) => r.mileage === 0) < 2,
        `seed ${seed}: mileage ${minutes.map((r) => r.mileage).join(' ')}`,
      )
      const login = (lesson.events.find((e) => e.kind === 'studentLogin')?.at ?? 0) / 1000
      for (let m = 0; m + 2 <= 60; m++) {
        const from = lesson.track[login + m * 60]
        const to = lesson.track[login + (m + 2) * 60]
        if (from && to) shortest = Math.min(shortest, to.odometer - from.odometer)
      }
    }
    assert.ok(shortest > 100, `shortest two minutes: ${shortest.toFixed(1)} m`)
  })

  // A fix is reported in 1e-6° (about 0.1 m); a waypoint on the fence would be reported outside.
  it('科目二 on the smallest field: every reported fix is inside and at least 3 m from the fence', () => {
    const ring = outerRing(SMALL_FIELD)
    // Distance from a point to the ring's edges, in metres (local plane around the point).
    const toFence = (p: LngLat) =>
      Math.min(
        ...ring.map((a, i) => {
          const b = ring[(i + 1) % ring.length] as LngLat
          const ab = distance(a, b)
          const pa = distance(p, a)
          const pb = distance(p, b)
          const s = (pa + pb + ab) / 2
          const height = (2 * Math.sqrt(Math.max(0, s * (s - pa) * (s - pb) * (s - ab)))) / ab
          // Outside the edge's span, the nearer end is the nearest point.
          return pa ** 2 > pb ** 2 + ab ** 2 || pb ** 2 > pa ** 2 + ab ** 2 ? Math.min(pa, pb) : height
        }),
      )
    for (let seed = 1; seed <= 60; seed++) {
      const lesson = planLesson(profile({ field: SMALL_FIELD }), { part: 2, minutes: 60, startTime: START, seed })
      const fixes = lesson.events.flatMap((e): { lng: number; lat: number }[] =>
        e.kind === 'minuteRecord' ? [e.body.gnss] : e.kind === 'position' ? [e.body] : [],
      )
      for (const f of fixes) {
        const p: LngLat = [f.lng / 1e6, f.lat / 1e6]
        assert.ok(pointInPolygon(p, SMALL_FIELD), `seed ${seed}: ${p.join(',')} outside`)
        assert.ok(toFence(p) >= 3, `seed ${seed}: ${p.join(',')} ${toFence(p).toFixed(2)} m from the fence`)
      }
    }
  })

  it('mileage of consecutive minutes adds up to the logout mileage', () => {
    for (const part of [2, 3] as const) {
      const lesson = planLesson(profile(), { part, minutes: 45, startTime: START, seed: 11 })
      const total = records(lesson.events).reduce((s, r) => s + r.mileage, 0)
      const logout = lesson.events.find((e) => e.kind === 'studentLogout')
      assert.equal(logout?.kind === 'studentLogout' ? logout.body.loginMileage : -1, total)
    }
  })
})
