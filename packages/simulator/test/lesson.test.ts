import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCourseCode } from '@jiapei/jt808-training'
import { distance, type LessonEvent, planLesson, pointInPolygon } from '../src/index.ts'
import { FIELD, profile, START } from './fixtures.ts'

const of = <K extends LessonEvent['kind']>(events: LessonEvent[], kind: K) =>
  events.filter((e): e is Extract<LessonEvent, { kind: K }> => e.kind === kind)

describe('lesson plan', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = planLesson(profile(), { part: 2, minutes: 20, startTime: START, seed: 7 })
    const b = planLesson(profile(), { part: 2, minutes: 20, startTime: START, seed: 7 })
    const c = planLesson(profile(), { part: 2, minutes: 20, startTime: START, seed: 8 })
    assert.deepEqual(a.events, b.events)
    assert.notDeepEqual(a.events, c.events)
  })

  it('科目二: logins, one record a minute with consecutive numbers, positions inside the field', () => {
    const lesson = planLesson(profile(), { part: 2, minutes: 30, startTime: START, seed: 3 })
    const kinds = lesson.events.filter((e) => e.kind !== 'position' && e.kind !== 'photo').map((e) => e.kind)
    assert.deepEqual(kinds, [
      'coachLogin',
      'studentLogin',
      ...Array(30).fill('minuteRecord'),
      'studentLogout',
      'coachLogout',
    ])
    const course = parseCourseCode(lesson.courseCode)
    assert.ok(course.ok)
    assert.equal(course.value.part, 2)
    assert.equal(course.value.licenseType, 'C1')
    assert.equal(course.value.mode, 1)
    assert.ok(course.value.projectMatchesPart)

    const records = of(lesson.events, 'minuteRecord').map((e) => e.body)
    assert.equal(records[0]?.recordNo, '33010000000001232603020541')
    records.forEach((r, i) => {
      assert.equal(r.recordNo.length, 26)
      assert.equal(Number(r.recordNo.slice(22)), 9 * 60 + 1 + i)
      assert.equal(r.courseCode, lesson.courseCode)
      assert.equal(r.classId, lesson.classId)
      assert.ok(r.recordTimeLocal.endsWith('59'))
      // distance in a minute cannot exceed what the top speed allows (0.1 km vs 0.1 km/h)
      assert.ok(r.mileage <= Math.ceil(r.maxSpeed / 60) + 1, `minute ${i}: ${r.mileage} at max ${r.maxSpeed}`)
      assert.ok(r.maxSpeed <= 200, 'field speeds stay under 20 km/h')
    })
    const logout = of(lesson.events, 'studentLogout')[0]?.body
    const total = records.reduce((s, r) => s + r.mileage, 0)
    assert.ok(Math.abs((logout?.loginMileage ?? 0) - total) <= 1, `${logout?.loginMileage} vs ${total}`)
    assert.ok(total > 0, 'the car moved')

    const positions = of(lesson.events, 'position')
    for (const p of positions) assert.ok(pointInPolygon([p.body.lng / 1e6, p.body.lat / 1e6], FIELD))
    for (let i = 1; i < positions.length; i++) {
      const gap = (positions[i]?.at ?? 0) - (positions[i - 1]?.at ?? 0)
      assert.ok(gap >= 10_000 && gap <= 30_000, `gap ${gap}`)
    }
    for (const p of lesson.track) assert.ok(pointInPolygon([p.lng, p.lat], FIELD))
    // photos: coach login, student login, one during training (every 15 min), student and coach logout
    assert.deepEqual(
      of(lesson.events, 'photo').map((e) => e.photo.event),
      [20, 17, 19, 18, 21],
    )
  })

  it('科目三: the course code of part 3 and a track on roads near the field', () => {
    const lesson = planLesson(profile(), { part: 3, minutes: 40, startTime: START, seed: 5 })
    const course = parseCourseCode(lesson.courseCode)
    assert.ok(course.ok)
    assert.equal(course.value.part, 3)
    assert.ok(course.value.projectMatchesPart)
    const centre: [number, number] = [120.1016, 30.2514]
    const far = Math.max(...lesson.track.map((p) => distance([p.lng, p.lat], centre)))
    assert.ok(far > 300, 'leaves the field')
    assert.ok(far < 4500, `stays near (${far} m)`)
    const records = of(lesson.events, 'minuteRecord').map((e) => e.body)
    assert.ok(Math.max(...records.map((r) => r.maxSpeed)) > 200, 'road speeds')
    for (const r of records) assert.ok(r.mileage <= Math.ceil(r.maxSpeed / 60) + 1)
  })
})
