/**
 * 疑点线索 over HTTP: who sees which finding, the list's filters and counts, the finding page's
 * resolved evidence, and the review state machine with its audit trail.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { finding, personPhoto, photo } from '../../src/db/schema/index.ts'
import { buildApp } from '../../src/http/app.ts'
import { photoStoreOf } from '../../src/ingestion/bus.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { lessonEnvelopes, lessonPeople } from '../ingestion/lesson.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, HAISHU, HANGZHOU, NINGBO, sessions, XIHU, YUHANG } from './fixture.ts'

const ACCOUNTS = [
  'sheng',
  'hangzhou',
  'ningbo',
  'xihu',
  'yuhang',
  'zhifa',
  'jiaojing',
  'jigou',
  'jiaolian',
  'xueyuan',
  'yunying',
] as const

interface Ids {
  session: number
  /** 西湖: stationary minutes on the lesson, open. */
  stationary: number
  /** 余杭: a face that does not match, open. */
  face: number
  /** 海曙 (宁波): a coach on two vehicles, under review. */
  coach: number
  /** 西湖: the student of the `xueyuan` account in two trainings at once, confirmed. */
  overlap: number
  /** A 海曙 session and photo the overlap links to. */
  farSession: number
  farPhoto: number
}

for (const engine of await testEngines()) {
  describe(`findings API [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let as: (name: string) => { cookie: string }
    const ids = {} as Ids
    let flaggedRecordNos: string[] = []

    const list = async (query: string, who = 'sheng') => {
      const res = await app.inject({ url: `/api/findings?${query}`, headers: as(who) })
      assert.equal(res.statusCode, 200, `${who} ${query}: ${res.body}`)
      const body = res.json() as { total: number; items: { id: number }[] }
      return { total: body.total, ids: body.items.map((i) => i.id) }
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b)
    const patch = (id: number, who: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/findings/${id}`, headers: as(who), payload })

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-findings-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      const people = await lessonPeople(db)
      const writer = createIngestWriter({ database: db, photoStore: photoStoreOf(config) })
      await writer.accept(
        lessonEnvelopes(people, { start: new Date('2026-05-06T00:30:00Z'), minutes: 6, classId: 7001 }),
      )
      await writer.close()
      const [session] = await db.query<{ id: number; studentId: number; coachId: number; vehicleId: number }>(
        `SELECT id, student_id AS "studentId", coach_id AS "coachId", vehicle_id AS "vehicleId" FROM training_session`,
      )
      assert.ok(session)
      ids.session = session.id
      const minutes = await db.query<{ recordNo: string; minuteAt: Date }>(
        `SELECT record_no AS "recordNo", minute_at AS "minuteAt" FROM minute_record WHERE session_id = $1 ORDER BY minute_at`,
        [session.id],
      )
      assert.equal(minutes.length, 6)
      const flagged = minutes.slice(2, 5)
      flaggedRecordNos = flagged.map((m) => m.recordNo)
      await db.query(
        `UPDATE minute_record SET valid = (record_no <> ALL($2::text[])),
           reasons = CASE WHEN record_no = ANY($2::text[]) THEN ARRAY['stationary'] ELSE ARRAY[]::text[] END
         WHERE session_id = $1`,
        [session.id, flaggedRecordNos],
      )
      const [shot] = await db.db
        .insert(photo)
        .values({
          terminalId: fixture.ids.terminals.xihu[0],
          photoNo: 'P0001',
          institutionId: fixture.ids.institutions.xihu,
          countyCode: XIHU,
          sessionId: session.id,
          studentId: session.studentId,
          eventType: 19,
          takenAt: new Date('2026-05-06T00:33:00Z'),
          faceConfidence: 41,
          sizeBytes: 1000,
          sha256: 'a'.repeat(64),
          faceCount: 1,
          faceDistance: 0.71,
        })
        .returning({ id: photo.id })
      await db.db
        .insert(personPhoto)
        .values({ personKind: 'student', personId: session.studentId, sha256: 'b'.repeat(64) })

      const base = {
        ruleVersion: 1,
        policyVersion: 1,
        detectedBy: 'stream',
        summary: '测试疑点',
      }
      const insert = async (values: Partial<typeof finding.$inferInsert>) => {
        const [row] = await db.db
          .insert(finding)
          .values({ ...base, ...values } as typeof finding.$inferInsert)
          .returning({ id: finding.id })
        return row!.id
      }
      ids.stationary = await insert({
        ruleId: 'stationary',
        severity: 'high',
        subjectKind: 'session',
        subjectId: String(session.id),
        sessionId: session.id,
        studentId: session.studentId,
        coachId: session.coachId,
        vehicleId: session.vehicleId,
        institutionId: fixture.ids.institutions.xihu,
        cityCode: HANGZHOU,
        countyCode: XIHU,
        occurredAt: flagged[0]!.minuteAt,
        summary: '连续 3 分钟速度为 0（阈值 2 分钟）',
        params: { maxStopMinutes: 3 },
        evidence: {
          sessions: [session.id],
          minutes: flagged.map((m) => ({ recordNo: m.recordNo, minuteAt: m.minuteAt.toISOString() })),
          positions: [{ terminalId: fixture.ids.terminals.xihu[0], fixedAt: '2026-05-06T00:32:20.000Z' }],
          photos: [shot!.id],
          frames: [{ terminalPhone: people.phone, receivedAt: '2026-05-06T00:33:00.000Z', msgId: 0x0900, serialNo: 9 }],
          details: { stationaryMinutes: 3 },
        },
        dedupeKey: `stationary:session:${session.id}:1`,
      })
      ids.face = await insert({
        ruleId: 'photo-face-mismatch',
        severity: 'critical',
        subjectKind: 'photo',
        subjectId: '1',
        studentId: fixture.ids.students.yuhang[0],
        institutionId: fixture.ids.institutions.yuhang,
        cityCode: HANGZHOU,
        countyCode: YUHANG,
        occurredAt: new Date('2026-05-07T02:00:00Z'),
        dedupeKey: 'photo-face-mismatch:photo:1:1',
      })
      ids.coach = await insert({
        ruleId: 'coach-two-vehicles',
        severity: 'medium',
        status: 'under_review',
        subjectKind: 'coach',
        subjectId: String(fixture.ids.coaches.haishu[0]),
        coachId: fixture.ids.coaches.haishu[0],
        institutionId: fixture.ids.institutions.haishu,
        cityCode: NINGBO,
        countyCode: HAISHU,
        occurredAt: new Date('2026-05-08T03:00:00Z'),
        dedupeKey: 'coach-two-vehicles:coach:1:1',
      })
      // The other half of the overlap: a session and a photo in 海曙 (宁波), outside 西湖's jurisdiction.
      const [far] = await db.query<{ id: number }>(
        `INSERT INTO training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
                                       course_code, started_at, ended_at, created_at)
         VALUES ($1, 7002, $2, $3, $4, $5, '2001010000', '2026-05-09T00:30:00Z', '2026-05-09T02:00:00Z', now())
         RETURNING id`,
        [
          fixture.ids.terminals.haishu[0],
          fixture.ids.institutions.haishu,
          NINGBO,
          HAISHU,
          fixture.ids.students.xihu[0],
        ],
      )
      const [farShot] = await db.db
        .insert(photo)
        .values({
          terminalId: fixture.ids.terminals.haishu[0],
          photoNo: 'P0002',
          institutionId: fixture.ids.institutions.haishu,
          countyCode: HAISHU,
          sessionId: far!.id,
          sizeBytes: 1000,
          sha256: 'd'.repeat(64),
        })
        .returning({ id: photo.id })
      ids.farSession = far!.id
      ids.farPhoto = farShot!.id
      ids.overlap = await insert({
        ruleId: 'student-overlap',
        severity: 'high',
        status: 'confirmed',
        subjectKind: 'student',
        subjectId: String(fixture.ids.students.xihu[0]),
        studentId: fixture.ids.students.xihu[0],
        institutionId: fixture.ids.institutions.xihu,
        cityCode: HANGZHOU,
        countyCode: XIHU,
        occurredAt: new Date('2026-05-09T01:00:00Z'),
        // Malformed entries (not what the engine writes) are dropped, not fatal.
        evidence: {
          sessions: [far!.id, 'x'],
          photos: [farShot!.id, 1.5],
          minutes: 'none',
          frames: [{ terminalPhone: 1 }],
          details: [],
        },
        dedupeKey: 'student-overlap:student:1:1',
      })

      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await app.ready()
      as = await sessions(app, ACCOUNTS)
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('each account sees the findings of its jurisdiction only', async () => {
      const all = sorted([ids.stationary, ids.face, ids.coach, ids.overlap])
      const expected: Record<(typeof ACCOUNTS)[number], number[]> = {
        sheng: all,
        jiaojing: all,
        hangzhou: [ids.stationary, ids.face, ids.overlap],
        ningbo: [ids.coach],
        xihu: [ids.stationary, ids.overlap],
        zhifa: [ids.stationary, ids.overlap],
        yuhang: [ids.face],
        jigou: [ids.stationary, ids.overlap],
        // A student sees confirmed findings about themselves; the coach's finding is still open.
        xueyuan: [ids.overlap],
        jiaolian: [],
        // The operator sees findings on the sessions of its platform (the 西湖 terminal runs on it).
        yunying: [ids.stationary],
      }
      for (const [who, want] of Object.entries(expected)) {
        assert.deepEqual(sorted((await list('', who)).ids), sorted(want), who)
      }
    })

    test('a finding outside the jurisdiction reads as absent', async () => {
      for (const [who, id] of [
        ['yuhang', ids.stationary],
        ['ningbo', ids.face],
        ['xueyuan', ids.stationary],
        ['jigou', ids.face],
      ] as const) {
        const res = await app.inject({ url: `/api/findings/${id}`, headers: as(who) })
        assert.equal(res.statusCode, 404, `${who} ${id}`)
        assert.equal(res.json().code, 'ERR_FINDING_NOT_FOUND')
      }
      const missing = await app.inject({ url: '/api/findings/999999', headers: as('sheng') })
      assert.equal(missing.statusCode, 404)
      const anonymous = await app.inject({ url: '/api/findings' })
      assert.equal(anonymous.statusCode, 401)
    })

    test('filters narrow the list; sorting by severity puts critical first', async () => {
      assert.deepEqual((await list('ruleId=stationary')).ids, [ids.stationary])
      assert.deepEqual(
        sorted((await list('ruleId=stationary&ruleId=coach-two-vehicles')).ids),
        sorted([ids.stationary, ids.coach]),
      )
      assert.deepEqual(sorted((await list('severity=high')).ids), sorted([ids.stationary, ids.overlap]))
      assert.deepEqual(
        sorted((await list('status=open&status=under_review')).ids),
        sorted([ids.stationary, ids.face, ids.coach]),
      )
      assert.deepEqual((await list(`regionCode=${NINGBO}`)).ids, [ids.coach])
      assert.deepEqual(
        sorted((await list(`regionCode=${HANGZHOU}`)).ids),
        sorted([ids.stationary, ids.face, ids.overlap]),
      )
      assert.deepEqual((await list(`regionCode=${YUHANG}`)).ids, [ids.face])
      assert.deepEqual((await list(`institutionId=${fixture.ids.institutions.haishu}`)).ids, [ids.coach])
      assert.deepEqual((await list('from=2026-05-07T00:00:00Z&to=2026-05-08T00:00:00Z')).ids, [ids.face])
      assert.deepEqual((await list(`studentId=${fixture.ids.students.yuhang[0]}`)).ids, [ids.face])
      assert.deepEqual((await list(`coachId=${fixture.ids.coaches.haishu[0]}`)).ids, [ids.coach])
      assert.deepEqual((await list(`sessionId=${ids.session}`)).ids, [ids.stationary])
      // The jurisdiction still applies under a filter for another region.
      assert.deepEqual((await list(`regionCode=${NINGBO}`, 'hangzhou')).ids, [])
      // Newest first by default; severity puts critical, then high (newest first among equals).
      assert.deepEqual((await list('')).ids, [ids.overlap, ids.coach, ids.face, ids.stationary])
      assert.deepEqual((await list('sort=severity')).ids, [ids.face, ids.overlap, ids.stationary, ids.coach])
      assert.deepEqual((await list('sort=occurredAt&order=asc&pageSize=2&page=2')).ids, [ids.coach, ids.overlap])
      assert.equal((await list('pageSize=2&page=2')).total, 4)
    })

    test('bad filters get coded errors', async () => {
      for (const query of [
        'severity=urgent',
        'status=closed',
        'ruleId=Bad%20Rule',
        'from=yesterday',
        'regionCode=33',
      ]) {
        const res = await app.inject({ url: `/api/findings?${query}`, headers: as('sheng') })
        assert.equal(res.statusCode, 400, query)
        assert.equal(res.json().code, 'ERR_HTTP_VALIDATION', query)
      }
      const reversed = await app.inject({
        url: '/api/findings/summary?from=2026-05-08T00:00:00Z&to=2026-05-07T00:00:00Z',
        headers: as('sheng'),
      })
      assert.equal(reversed.statusCode, 400)
      assert.equal(reversed.json().code, 'ERR_INGEST_RANGE_INVALID')
    })

    test('the summary counts per rule, severity and status under the same filters and jurisdiction', async () => {
      const res = await app.inject({ url: '/api/findings/summary', headers: as('hangzhou') })
      assert.equal(res.statusCode, 200)
      const body = res.json()
      assert.equal(body.total, 3)
      assert.deepEqual(
        body.byRule.map((r: { ruleId: string; count: number }) => [r.ruleId, r.count]),
        [
          ['photo-face-mismatch', 1],
          ['stationary', 1],
          ['student-overlap', 1],
        ],
      )
      assert.equal(body.byRule[1].ruleTitle, '连续停车')
      assert.deepEqual(body.bySeverity, [
        { severity: 'critical', count: 1 },
        { severity: 'high', count: 2 },
      ])
      assert.deepEqual(body.byStatus, [
        { status: 'open', count: 2 },
        { status: 'confirmed', count: 1 },
      ])
      const filtered = (
        await app.inject({ url: '/api/findings/summary?severity=high', headers: as('hangzhou') })
      ).json()
      assert.equal(filtered.total, 2)
    })

    test('the finding page resolves its evidence', async () => {
      const res = await app.inject({ url: `/api/findings/${ids.stationary}`, headers: as('xihu') })
      assert.equal(res.statusCode, 200, res.body)
      const d = res.json()
      assert.equal(d.finding.ruleId, 'stationary')
      assert.deepEqual(d.finding.params, { maxStopMinutes: 3 })
      assert.equal(d.finding.ruleTitle, '连续停车')
      assert.equal(d.rule.title.zh, '连续停车')
      const param = d.rule.params.find((p: { name: string }) => p.name === 'maxStopMinutes')
      assert.deepEqual([param.default, param.used, param.unit], [2, 3, '分钟'])
      assert.deepEqual(d.finding.evidence.details, { stationaryMinutes: 3 })
      assert.equal(d.session.id, ids.session)
      assert.equal(d.session.courseLabel, '实操 · C1 · 第二部分 · 基础驾驶')
      assert.ok(d.session.studentName)
      assert.equal(d.minutes.length, 6)
      const flagged = d.minutes.filter((m: { flagged: boolean }) => m.flagged)
      assert.deepEqual(
        flagged.map((m: { recordNo: string }) => m.recordNo),
        flaggedRecordNos,
      )
      for (const m of flagged) {
        assert.equal(m.valid, false)
        assert.deepEqual(m.reasons, ['stationary'])
      }
      assert.deepEqual(d.reasonTitles, { stationary: '连续停车' })
      assert.ok(d.positions.length >= 18)
      assert.equal(d.positions.filter((p: { flagged: boolean }) => p.flagged).length, 1)
      assert.equal(d.photos.length, 1)
      assert.equal(d.photos[0].contentUrl, `/api/photos/${d.photos[0].id}/content`)
      assert.ok(Math.abs(d.photos[0].faceDistance - 0.71) < 1e-6)
      const reg = d.registeredPhotos.find((p: { personKind: string }) => p.personKind === 'student')
      assert.equal(reg.registered, true)
      assert.equal(reg.contentUrl, `/api/registry/students/${d.session.studentId}/photo`)
      assert.equal(d.frames.length, 1)
      assert.equal(d.frames[0].framesUrl, `/api/training/sessions/${ids.session}/frames`)
      assert.deepEqual(d.replay.highlight, flaggedRecordNos)
      assert.deepEqual(d.review, {
        allowed: true,
        transitions: ['under_review', 'confirmed', 'dismissed'],
        history: [],
      })

      const police = (await app.inject({ url: `/api/findings/${ids.stationary}`, headers: as('jiaojing') })).json()
      assert.deepEqual(police.review, { allowed: false, transitions: [], history: [] })
    })

    test('linked sessions and photos of another jurisdiction show only where to ask; malformed evidence is dropped', async () => {
      const res = await app.inject({ url: `/api/findings/${ids.overlap}`, headers: as('xihu') })
      assert.equal(res.statusCode, 200, res.body)
      const d = res.json()
      assert.equal(d.session, null)
      assert.deepEqual(d.sessions, [
        {
          id: ids.farSession,
          visible: false,
          institutionId: fixture.ids.institutions.haishu,
          institutionName: '海曙驾校',
          cityCode: NINGBO,
          countyCode: HAISHU,
          courseCode: '2001010000',
          courseLabel: '课堂教学 · 不区分车型 · 第一部分 · 法律、法规及道路交通信号',
          startedAt: '2026-05-09T00:30:00.000Z',
          endedAt: '2026-05-09T02:00:00.000Z',
        },
      ])
      assert.deepEqual(d.photos, [
        { id: ids.farPhoto, visible: false, institutionName: '海曙驾校', takenAt: null, contentUrl: null },
      ])
      assert.deepEqual([d.minutes, d.positions, d.frames], [[], [], []])
      assert.deepEqual(d.finding.evidence.details, {})
      // The province sees the same session in full.
      const full = (await app.inject({ url: `/api/findings/${ids.overlap}`, headers: as('sheng') })).json()
      assert.equal(full.sessions[0].visible, true)
      assert.equal(full.photos[0].contentUrl, `/api/photos/${ids.farPhoto}/content`)
    })

    test('review follows the state machine, needs a reviewer role and leaves an audit entry', async () => {
      // Readers who may not decide.
      for (const who of ['jiaojing', 'jigou']) {
        const res = await patch(ids.stationary, who, { status: 'confirmed' })
        assert.equal(res.statusCode, 403, who)
        assert.equal(res.json().code, 'ERR_AUTH_FORBIDDEN')
      }
      // A reviewer of another county does not see it.
      const other = await patch(ids.stationary, 'yuhang', { status: 'confirmed' })
      assert.equal(other.statusCode, 404)
      assert.equal(other.json().code, 'ERR_FINDING_NOT_FOUND')

      const take = await patch(ids.stationary, 'zhifa', { status: 'under_review' })
      assert.equal(take.statusCode, 200, take.body)
      assert.equal(take.json().finding.status, 'under_review')
      assert.deepEqual(take.json().review.transitions, ['confirmed', 'dismissed'])

      const again = await patch(ids.stationary, 'zhifa', { status: 'under_review' })
      assert.equal(again.statusCode, 409)
      assert.equal(again.json().code, 'ERR_FINDING_TRANSITION_INVALID')

      const noNote = await patch(ids.stationary, 'zhifa', { status: 'dismissed', note: '  ' })
      assert.equal(noNote.statusCode, 400)
      assert.equal(noNote.json().code, 'ERR_FINDING_NOTE_REQUIRED')

      const confirm = await patch(ids.stationary, 'zhifa', { status: 'confirmed', note: '视频核实车辆停驶' })
      assert.equal(confirm.statusCode, 200)
      const confirmed = confirm.json().finding
      assert.equal(confirmed.status, 'confirmed')
      assert.equal(confirmed.reviewNote, '视频核实车辆停驶')
      assert.equal(confirmed.reviewerName, 'zhifa')
      assert.ok(confirmed.reviewedAt)

      const flip = await patch(ids.stationary, 'xihu', { status: 'dismissed', note: '改判' })
      assert.equal(flip.statusCode, 409)
      assert.deepEqual(flip.json().details, { from: 'confirmed', to: 'dismissed', allowed: ['under_review'] })

      const reopenBare = await patch(ids.stationary, 'xihu', { status: 'under_review' })
      assert.equal(reopenBare.json().code, 'ERR_FINDING_NOTE_REQUIRED')
      const reopen = await patch(ids.stationary, 'xihu', { status: 'under_review', note: '机构申诉，重新核查' })
      assert.equal(reopen.statusCode, 200)

      assert.deepEqual(
        reopen
          .json()
          .review.history.map((h: { reviewerName: string; from: string; to: string; note: string | null }) => [
            h.reviewerName,
            h.from,
            h.to,
            h.note,
          ]),
        [
          ['zhifa', 'open', 'under_review', null],
          ['zhifa', 'under_review', 'confirmed', '视频核实车辆停驶'],
          ['xihu', 'confirmed', 'under_review', '机构申诉，重新核查'],
        ],
      )

      const badStatus = await patch(ids.stationary, 'xihu', { status: 'open' })
      assert.equal(badStatus.statusCode, 400)
      assert.equal(badStatus.json().code, 'ERR_HTTP_VALIDATION')

      const audit = await db.query<{ username: string; entity_id: string; region_code: string; detail: unknown }>(
        `SELECT username, entity_id, region_code, detail FROM audit_log WHERE entity = 'finding' ORDER BY id`,
      )
      assert.deepEqual(
        audit.map((a) => [a.username, a.entity_id, a.region_code, (a.detail as { from: string; to: string }).to]),
        [
          ['zhifa', String(ids.stationary), XIHU, 'under_review'],
          ['zhifa', String(ids.stationary), XIHU, 'confirmed'],
          ['xihu', String(ids.stationary), XIHU, 'under_review'],
        ],
      )
      assert.equal((audit[1]?.detail as { note?: string } | undefined)?.note, '视频核实车辆停驶')
    })
  })
}
