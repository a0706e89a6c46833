import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inWindows } from '../time.ts'
import { classroomSession, FIELD_RING, POINT_OUTSIDE, practicalSession } from './fixtures.ts'
import { distanceM, inPolygon } from './geo.ts'

describe('session fixtures', () => {
  it('a practical session drives inside the field at a realistic speed, with a fix every minute', () => {
    const f = practicalSession({ minutes: 45 })
    assert.equal(f.minutes.length, 45)
    assert.equal(f.positions.length, 45 * 4 + 1)
    for (const m of f.minutes) {
      assert.ok(m.lng !== null && m.lat !== null && inPolygon(m.lng, m.lat, [FIELD_RING]))
      assert.ok((m.mileageM ?? 0) > 0 && (m.maxSpeedKmh ?? 0) > 0 && (m.engineRpm ?? 0) > 0)
      assert.ok(inWindows(m.minuteAt, f.windows.default[1]))
    }
    for (let i = 1; i < f.positions.length; i++) {
      const a = f.positions[i - 1]!
      const b = f.positions[i]!
      const kmh = (distanceM(a.lng, a.lat, b.lng, b.lat) / ((b.fixedAt.getTime() - a.fixedAt.getTime()) / 1000)) * 3.6
      assert.ok(kmh > 10 && kmh < 14, `implied speed ${kmh}`)
    }
    assert.equal(f.session.courseCode, '1212110000')
    assert.equal(f.minutes[0]!.recordNo.length, 26)
  })

  it('photos: sign-in (17), one every 15 minutes (19) and sign-out (18)', () => {
    assert.deepEqual(
      practicalSession({ minutes: 60 }).photos.map((p) => p.eventType),
      [17, 19, 19, 19, 18],
    )
    assert.deepEqual(
      practicalSession({ minutes: 50 }).photos.map((p) => p.eventType),
      [17, 19, 19, 19, 18],
    )
  })

  it('the outside point is outside the field', () => {
    assert.equal(inPolygon(POINT_OUTSIDE[0], POINT_OUTSIDE[1], [FIELD_RING]), false)
  })

  it('a classroom session has no vehicle, no positions and no fixes', () => {
    const f = classroomSession({ minutes: 30, coach: null })
    assert.equal(f.session.mode, 2)
    assert.equal(f.vehicle, null)
    assert.equal(f.coach, null)
    assert.equal(f.positions.length, 0)
    assert.ok(f.minutes.every((m) => m.lng === null && m.mileageM === 0))
  })

  it('overrides reach the session and registry facts', () => {
    const f = practicalSession({ session: { licenseType: 'C2', part: 3 }, vehicle: { vehicleType: 'C2' } })
    assert.equal(f.session.licenseType, 'C2')
    assert.equal(f.session.part, 3)
    assert.equal(f.vehicle?.vehicleType, 'C2')
  })
})
