import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type LessonEvent, planLesson } from '../src/index.ts'
import { profile, START } from './fixtures.ts'

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
  // student login, the last 10 s of training, 5–45 s at each 科目二 exercise point and up to 25 s
  // at a 科目三 junction — none reaches two minutes.
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

  it('mileage of consecutive minutes adds up to the logout mileage', () => {
    for (const part of [2, 3] as const) {
      const lesson = planLesson(profile(), { part, minutes: 45, startTime: START, seed: 11 })
      const total = records(lesson.events).reduce((s, r) => s + r.mileage, 0)
      const logout = lesson.events.find((e) => e.kind === 'studentLogout')
      assert.equal(logout?.kind === 'studentLogout' ? logout.body.loginMileage : -1, total)
    }
  })
})
