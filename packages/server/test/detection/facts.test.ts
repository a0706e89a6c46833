/**
 * Facts loading against the database, on both engines: a gateway lesson's minutes (with their
 * coach), the terminal's positions within the session, photos and whose face they should show,
 * registry facts (filed coach and vehicle follow employment, vehicle status and the institution's
 * filing), training fields by licence type with their GeoJSON polygons, and the cross window with
 * its city filter, exam results and minute selections.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { loadSessionFacts, loadWindowFacts, polygonsOf } from '../../src/detection/engine/facts.ts'
import { localMidnight } from '../../src/detection/time.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { buildFixture, type Fixture } from '../api/fixture.ts'
import { lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'

const START = new Date('2026-05-06T02:00:00Z')
const NOW = new Date('2026-05-06T04:00:00Z')
const square = (lng: number, lat: number) => [
  [
    [lng, lat],
    [lng + 0.01, lat],
    [lng + 0.01, lat + 0.01],
    [lng, lat + 0.01],
    [lng, lat],
  ],
]

for (const engine of await testEngines()) {
  describe(`detection facts [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let dir: string
    let fixture: Fixture
    let sessionId: number
    let coachId: number
    let vehicleId: number

    const load = async () => {
      const [one] = await loadSessionFacts(db, [sessionId], { now: NOW })
      assert.ok(one)
      return one
    }

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-facts-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      const people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      await writer.accept(lessonEnvelopes(people, { start: START, minutes: 4, classId: 7001 }))
      await writer.close()
      const [s] = await db.query<{ id: number; coach_id: number; vehicle_id: number; student_id: number }>(
        'SELECT id, coach_id, vehicle_id, student_id FROM training_session WHERE class_id = 7001',
      )
      assert.ok(s)
      sessionId = s.id
      coachId = s.coach_id
      vehicleId = s.vehicle_id
      for (const [no, event] of [
        ['P1', 17],
        ['P2', 20],
      ] as const) {
        await db.query(
          `INSERT INTO photo (terminal_id, photo_no, institution_id, county_code, session_id, student_id, coach_id,
                              event_type, taken_at, size_bytes, sha256, phash)
           VALUES ($1, $2, $3, '330106', $4, $5, $6, $7, $8, 100, $9, 'ffff0000ffff0000')`,
          [
            people.terminalId,
            no,
            fixture.ids.institutions.xihu,
            sessionId,
            s.student_id,
            coachId,
            event,
            START,
            `sha-${no}`,
          ],
        )
      }
    })
    after(async () => {
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('a gateway lesson: minutes with their coach, positions within the session, photos and whose face', async () => {
      const { facts, detection, syllabus } = await load()
      assert.equal(facts.session.source, 'gateway')
      assert.equal(facts.session.mode, 1)
      assert.equal(facts.session.part, 2)
      assert.equal(facts.minutes.length, 4)
      assert.ok(facts.minutes.every((m) => m.coachId === coachId && m.engineRpm === 1800 && m.sessionId === sessionId))
      assert.equal(facts.positions.length, 12)
      assert.ok(facts.positions.every((p) => p.located))
      assert.deepEqual(
        facts.photos.map((p) => [p.eventType, p.personKind, p.personId]),
        [
          [17, 'student', facts.session.studentId],
          [20, 'coach', coachId],
        ],
      )
      assert.equal(facts.student?.licenseType, 'C1')
      assert.equal(facts.coach?.filed, true)
      assert.equal(facts.coach?.blacklisted, false)
      assert.deepEqual(facts.coach?.teachPermitted, ['C1'])
      assert.equal(facts.vehicle?.id, vehicleId)
      assert.equal(facts.vehicle?.filed, true)
      assert.equal(detection.version, 1)
      assert.equal(syllabus.version, 1)
      assert.equal(facts.now.getTime(), NOW.getTime())
    })

    test('filing follows employment, vehicle status and the institution’s filing', async () => {
      await db.query(`UPDATE coach SET employment_status = 'left' WHERE id = $1`, [coachId])
      assert.equal((await load()).facts.coach?.filed, false)
      await db.query(`UPDATE coach SET employment_status = 'employed' WHERE id = $1`, [coachId])
      await db.query(`UPDATE vehicle SET status = 'suspended' WHERE id = $1`, [vehicleId])
      assert.equal((await load()).facts.vehicle?.filed, false)
      await db.query(`UPDATE vehicle SET status = 'active' WHERE id = $1`, [vehicleId])
      await db.query(`UPDATE institution SET filing_status = 'suspended' WHERE id = $1`, [
        fixture.ids.institutions.xihu,
      ])
      const { facts } = await load()
      assert.equal(facts.coach?.filed, false)
      assert.equal(facts.vehicle?.filed, false)
      await db.query(`UPDATE institution SET filing_status = 'filed' WHERE id = $1`, [fixture.ids.institutions.xihu])
    })

    test('training fields: active, for the licence type, polygons from GeoJSON', async () => {
      const field = fixture.ids.fields.xihu
      assert.deepEqual(
        (await load()).facts.fields.map((f) => [f.id, f.polygon]),
        [[field, null]],
      )
      await db.query(`UPDATE training_field SET polygon = $2::jsonb, vehicle_types = '{C1,C2}' WHERE id = $1`, [
        field,
        JSON.stringify({ type: 'Polygon', coordinates: square(120.1, 30.2) }),
      ])
      assert.deepEqual((await load()).facts.fields[0]?.polygon, square(120.1, 30.2))
      await db.query(`UPDATE training_field SET vehicle_types = '{B2}' WHERE id = $1`, [field])
      assert.deepEqual((await load()).facts.fields, [])
      await db.query(`UPDATE training_field SET vehicle_types = '{}', status = 'inactive' WHERE id = $1`, [field])
      assert.deepEqual((await load()).facts.fields, [])
      assert.equal(polygonsOf({ type: 'MultiPolygon', coordinates: [square(1, 2), square(3, 4)] }).length, 2)
      assert.deepEqual(polygonsOf({ type: 'Point', coordinates: [1, 2] }), [])
    })

    test('the cross window: overlapping sessions, the city filter, exam results', async () => {
      const [student] = await db.query<{ student_id: number }>(
        'SELECT student_id FROM training_session WHERE id = $1',
        [sessionId],
      )
      await db.query(
        `INSERT INTO exam_result (student_id, subject, exam_city_code, exam_on, result, source)
         VALUES ($1, 2, '330200', '2026-05-20', 'booked', 'police')`,
        [student?.student_id],
      )
      const day = localMidnight('2026-05-06')
      const window = await loadWindowFacts(db, day, new Date(day.getTime() + 86_400_000), { now: NOW })
      assert.deepEqual(
        window.cross.sessions.map((s) => s.session.id),
        [sessionId],
      )
      assert.deepEqual(window.cross.sessions[0]?.positions, [], 'no positions for cross rules')
      assert.equal(window.cross.exams.length, 1)
      assert.equal(window.cross.exams[0]?.examOn, '2026-05-20')
      assert.deepEqual(window.cross.credits, [])
      const ningbo = await loadWindowFacts(db, day, new Date(day.getTime() + 86_400_000), { cityCode: '330200' })
      assert.equal(ningbo.cross.sessions.length, 0)
      // A window that ends when the lesson starts does not include it.
      const before = await loadWindowFacts(db, new Date(START.getTime() - 3_600_000), START)
      assert.equal(before.cross.sessions.length, 0)
    })

    test('a minute selection reads every minute only of the sessions it picks, and an open session’s last', async () => {
      const day = localMidnight('2026-05-06')
      const to = new Date(day.getTime() + 86_400_000)
      const minutesWith = async (selection: { coachMismatch: boolean; studentDayOver: number | null }) => {
        const window = await loadWindowFacts(db, day, to, { now: NOW, minutes: selection })
        return window.cross.sessions[0]?.minutes.map((m) => m.minuteAt.toISOString()) ?? []
      }
      const all = (await load()).facts.minutes.map((m) => m.minuteAt.toISOString())
      assert.equal(all.length, 4)
      assert.deepEqual(await minutesWith({ coachMismatch: false, studentDayOver: null }), [])
      // The student has 4 minute records that day: more than 3, not more than 4.
      assert.deepEqual(await minutesWith({ coachMismatch: false, studentDayOver: 3 }), all)
      assert.deepEqual(await minutesWith({ coachMismatch: false, studentDayOver: 4 }), [])
      assert.deepEqual(await minutesWith({ coachMismatch: true, studentDayOver: null }), [])
      const [other] = await db.query<{ id: number }>('SELECT id FROM coach WHERE id <> $1 ORDER BY id LIMIT 1', [
        coachId,
      ])
      assert.ok(other)
      await db.query(
        `UPDATE minute_record SET coach_id = $2
          WHERE session_id = $1 AND minute_at = (SELECT max(minute_at) FROM minute_record WHERE session_id = $1)`,
        [sessionId, other.id],
      )
      try {
        assert.deepEqual(await minutesWith({ coachMismatch: true, studentDayOver: null }), all)
      } finally {
        await db.query('UPDATE minute_record SET coach_id = $2 WHERE session_id = $1', [sessionId, coachId])
      }
      const [ended] = await db.query<{ ended_at: Date }>('SELECT ended_at FROM training_session WHERE id = $1', [
        sessionId,
      ])
      await db.query('UPDATE training_session SET ended_at = NULL WHERE id = $1', [sessionId])
      try {
        assert.deepEqual(await minutesWith({ coachMismatch: false, studentDayOver: null }), all.slice(-1))
        assert.deepEqual(await minutesWith({ coachMismatch: false, studentDayOver: 3 }), all)
      } finally {
        await db.query('UPDATE training_session SET ended_at = $2 WHERE id = $1', [sessionId, ended?.ended_at])
      }
    })
  })
}
