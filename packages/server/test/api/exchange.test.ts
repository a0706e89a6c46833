/**
 * The exchange interface for third-party timing platforms, through the real HTTP routes: issued
 * credentials, signed requests accepted, every kind of refusal answered with its errorcode and
 * logged, classrecords becoming sessions and minutes idempotently, registry uploads validated like
 * console edits, uploads, stage reviews and evaluations.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import {
  type ExchangeClient,
  exchangeClient,
  openExchangeCredential,
  type SignedRequest,
} from '../../src/exchange/client.ts'
import type { ExchangeReply } from '../../src/exchange/gate.ts'
import { signExchange } from '../../src/exchange/signature.ts'
import { buildApp } from '../../src/http/app.ts'
import { closeSharedFaceEngine, sharedFaceEngine } from '../../src/photos/faces.ts'
import { faceSamplePaths } from '../../src/photos/samples.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, idCard, sessions, XIHU } from './fixture.ts'

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(64), Buffer.from([0xff, 0xd9])])

/** The largest face of the first sample group photo, cropped with a margin, as a JPEG. */
async function sampleFace(): Promise<Buffer | null> {
  const [first] = faceSamplePaths()
  if (!first) return null
  const source = fs.readFileSync(first)
  const { faces } = await sharedFaceEngine().detect(new Uint8Array(source))
  const [x, y, w, h] = faces[0]!.box
  const meta = await sharp(source).metadata()
  const m = Math.max(w, h) * 0.5
  const left = Math.max(0, Math.round(x - m))
  const top = Math.max(0, Math.round(y - m))
  const size = Math.round(Math.max(w, h) + 2 * m)
  return sharp(source)
    .extract({ left, top, width: Math.min(size, meta.width! - left), height: Math.min(size, meta.height! - top) })
    .resize(200)
    .jpeg({ quality: 85 })
    .toBuffer()
}

async function appWith(db: Database, dir: string, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir, ...env })
  const app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
  await app.ready()
  return app
}

async function call(app: FastifyInstance, req: SignedRequest): Promise<ExchangeReply> {
  const res = await app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload })
  assert.equal(res.statusCode, 200, res.body)
  return res.json() as ExchangeReply
}

/** `YYYYMMDDHHmmss` Beijing time of a UTC instant. */
function bj(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

for (const engine of await testEngines()) {
  describe(`exchange interface [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let as: (name: string) => { cookie: string }
    let client: ExchangeClient
    let certSn: string
    let tick = Date.now()
    /** A fresh millisecond for every signature, so no two requests share a sign by accident. */
    const ts = () => Math.max(Date.now(), ++tick)
    const people = { inscode: '', stunum: '', coachnum: '', carnum: '', otherStunum: '', haishuInscode: '' }

    const start = new Date(Date.now() - 3 * 3600_000)
    const classroom = (recnum: string, extra: Record<string, unknown> = {}) => ({
      inscode: people.inscode,
      stunum: people.stunum,
      coachnum: people.coachnum,
      recnum,
      subjcode: '2211010000',
      starttime: bj(start),
      endtime: bj(new Date(start.getTime() + 45 * 60_000)),
      duration: 45,
      ...extra,
    })

    const logged = async (errorcode: number) =>
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM exchange_request WHERE errorcode = $1', [
          errorcode,
        ])
      )[0]?.n ?? 0

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-exchange-'))
      app = await appWith(db, dir)
      as = await sessions(app, ['sheng', 'yunying', 'hangzhou'])
      const res = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${fixture.ids.platforms.p1}/exchange-credentials`,
        headers: as('sheng'),
      })
      assert.equal(res.statusCode, 201, res.body)
      const issued = res.json() as { certSn: string; pkcs12Base64: string; password: string }
      assert.match(issued.certSn, /^[0-9A-F]{11}$/)
      const identity = openExchangeCredential(issued.pkcs12Base64, issued.password)
      assert.equal(identity.certSn, issued.certSn)
      certSn = issued.certSn
      client = exchangeClient(identity)
      const one = async (sql: string, id: number) => (await db.query<{ no: string }>(sql, [id]))[0]?.no ?? ''
      const xihu = fixture.ids.institutions.xihu
      people.inscode = await one('SELECT ins_code AS no FROM institution WHERE id = $1', xihu)
      people.haishuInscode = await one(
        'SELECT ins_code AS no FROM institution WHERE id = $1',
        fixture.ids.institutions.haishu,
      )
      people.stunum = await one('SELECT stu_no AS no FROM student WHERE id = $1', fixture.ids.students.xihu[0]!)
      people.otherStunum = await one('SELECT stu_no AS no FROM student WHERE id = $1', fixture.ids.students.haishu[0]!)
      people.coachnum = await one('SELECT coach_no AS no FROM coach WHERE id = $1', fixture.ids.coaches.xihu[0]!)
      people.carnum = await one('SELECT car_no AS no FROM vehicle WHERE id = $1', fixture.ids.vehicles.xihu[0]!)
    })
    after(async () => {
      await closeSharedFaceEngine()
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('credentials: listed without key material; operators see their own platform only; cities may not issue', async () => {
      const p1 = fixture.ids.platforms.p1
      const list = await app.inject({ url: `/api/timing-platforms/${p1}/exchange-credentials`, headers: as('yunying') })
      assert.equal(list.statusCode, 200, list.body)
      const items = (list.json() as { items: Record<string, unknown>[] }).items
      assert.deepEqual(
        items.map((i) => i.certSn),
        [certSn],
      )
      assert.equal('pkcs12Base64' in (items[0] ?? {}), false)
      const other = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${fixture.ids.platforms.p2}/exchange-credentials`,
        headers: as('yunying'),
      })
      assert.equal(other.statusCode, 403)
      const city = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${p1}/exchange-credentials`,
        headers: as('hangzhou'),
      })
      assert.equal(city.statusCode, 403)
    })

    test('a signed classrecord becomes a session with one minute per minute; sending it again answers the same session', async () => {
      const first = await call(app, client.post('classrecord', classroom('700001'), ts()))
      assert.equal(first.errorcode, 0, first.message)
      const data = first.data as { id: number; created: boolean; minutes: number }
      assert.equal(data.created, true)
      assert.equal(data.minutes, 45)
      const [session] = await db.query<Record<string, unknown>>(
        `SELECT terminal_id, source_platform_id, source_record_no, part, mode, license_type, reported_minutes, student_id
           FROM training_session WHERE id = $1`,
        [data.id],
      )
      assert.deepEqual(session, {
        terminal_id: null,
        source_platform_id: fixture.ids.platforms.p1,
        source_record_no: '700001',
        part: 1,
        mode: 2,
        license_type: 'C1',
        reported_minutes: 45,
        student_id: fixture.ids.students.xihu[0],
      })
      const minutes = await db.query<{ record_no: string; n: number; backfill: boolean }>(
        `SELECT record_no, count(*)::int AS n, bool_or(is_backfill) AS backfill FROM minute_record WHERE session_id = $1 GROUP BY record_no`,
        [data.id],
      )
      assert.deepEqual(minutes, [{ record_no: 'X10001-700001', n: 45, backfill: false }])

      const again = await call(app, client.post('classrecord', classroom('700001'), ts()))
      assert.equal(again.errorcode, 0, again.message)
      assert.deepEqual(again.data, { id: data.id, recnum: '700001', created: false })
      const [count] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM minute_record WHERE session_id = $1',
        [data.id],
      )
      assert.equal(count?.n, 45)

      const changed = await call(
        app,
        client.post('classrecord', classroom('700001', { endtime: bj(new Date(start.getTime() + 50 * 60_000)) }), ts()),
      )
      assert.equal(changed.errorcode, 3011)
    })

    test('practical records spread the reported mileage over their minutes', async () => {
      const reply = await call(
        app,
        client.post(
          'classrecord',
          classroom('700002', {
            subjcode: '1212110000',
            carnum: people.carnum,
            starttime: bj(new Date(start.getTime() + 60 * 60_000)),
            endtime: bj(new Date(start.getTime() + 63 * 60_000)),
            duration: 3,
            mileage: 1.001,
          }),
          ts(),
        ),
      )
      assert.equal(reply.errorcode, 0, reply.message)
      const rows = await db.query<{ mileage_m: number }>(
        'SELECT mileage_m FROM minute_record WHERE session_id = $1 ORDER BY minute_at',
        [(reply.data as { id: number }).id],
      )
      assert.deepEqual(
        rows.map((r) => r.mileage_m),
        [334, 334, 333],
      )
    })

    const refusals: [
      name: string,
      errorcode: number,
      code: string,
      request: () => SignedRequest | Promise<SignedRequest>,
    ][] = [
      [
        'a body changed after signing',
        1202,
        'ERR_EXCHANGE_SIGN_INVALID',
        () => {
          const req = client.post('classrecord', classroom('700010'), ts())
          return { ...req, payload: JSON.stringify(classroom('700011')) }
        },
      ],
      [
        'a signature made with another key',
        1202,
        'ERR_EXCHANGE_SIGN_INVALID',
        () => {
          const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
          const forger = exchangeClient({
            certSn,
            privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
          })
          return forger.post('classrecord', classroom('700012'), ts())
        },
      ],
      [
        'a timestamp ten minutes old',
        1201,
        'ERR_EXCHANGE_TS_EXPIRED',
        () => client.post('classrecord', classroom('700013'), Date.now() - 10 * 60_000),
      ],
      [
        'no sign parameter',
        1001,
        'ERR_EXCHANGE_PARAM_MISSING',
        () => {
          const req = client.post('classrecord', classroom('700014'), ts())
          return { ...req, url: req.url.replace(/&sign=[0-9A-F]+/, '') }
        },
      ],
      [
        'no parameters at all',
        1001,
        'ERR_EXCHANGE_PARAM_MISSING',
        () => ({ ...client.post('classrecord', classroom('700015'), ts()), url: '/exchange/classrecord' }),
      ],
      [
        'an unknown certificate',
        1101,
        'ERR_EXCHANGE_USER_UNKNOWN',
        () => {
          const req = client.post('classrecord', classroom('700016'), ts())
          return { ...req, url: req.url.replace(`user=${certSn}`, 'user=ABCDEF01234') }
        },
      ],
      [
        'a body without stunum',
        2001,
        'ERR_EXCHANGE_BODY_INVALID',
        () => {
          const { stunum: _s, ...body } = classroom('700017')
          return client.post('classrecord', body, ts())
        },
      ],
      [
        'a student of another platform',
        3002,
        'ERR_EXCHANGE_INSTITUTION_NOT_SERVED',
        () =>
          client.post(
            'classrecord',
            classroom('700018', { inscode: people.haishuInscode, stunum: people.otherStunum }),
            ts(),
          ),
      ],
      [
        'a student not filed at the institution',
        3003,
        'ERR_EXCHANGE_STUDENT_UNKNOWN',
        () => client.post('classrecord', classroom('700019', { stunum: people.otherStunum }), ts()),
      ],
      [
        'an unknown institution',
        3001,
        'ERR_EXCHANGE_INSTITUTION_UNKNOWN',
        () => client.post('classrecord', classroom('700020', { inscode: 'INS9999999999999' }), ts()),
      ],
      ['an unknown service', 1000, 'ERR_EXCHANGE_SERVICE_UNKNOWN', () => client.post('nosuchservice', {}, ts())],
    ]
    for (const [name, errorcode, code, build] of refusals) {
      test(`refused and logged: ${name} → ${errorcode}`, async () => {
        const before = await logged(errorcode)
        const reply = await call(app, await build())
        assert.equal(reply.errorcode, errorcode, reply.message)
        assert.ok(reply.message.length > 0)
        assert.equal(await logged(errorcode), before + 1)
        const [row] = await db.query<{ error_code: string }>(
          'SELECT error_code FROM exchange_request ORDER BY id DESC LIMIT 1',
        )
        assert.equal(row?.error_code, code)
      })
    }

    test('a field-level refusal names the field', async () => {
      const reply = await call(app, client.post('classrecord', classroom('700030', { starttime: '2026-01-01' }), ts()))
      assert.equal(reply.errorcode, 2001)
      assert.deepEqual((reply.data as { field: string }).field, 'starttime')
    })

    test('a signed body that is not JSON, of any content type, is refused as a body error', async () => {
      for (const contentType of ['text/plain', 'application/octet-stream']) {
        const t = ts()
        const payload = '{not json'
        const sign = signExchange(payload, t, client.identity.privateKeyPem)
        const reply = await call(app, {
          method: 'POST',
          url: `/exchange/classrecord?v=1.0.0.e1&ts=${t}&sign=${sign}&user=${certSn}`,
          headers: { 'content-type': contentType },
          payload,
        })
        assert.equal(reply.errorcode, 2001, reply.message)
      }
    })

    test('a replayed request is refused; the first copy stays accepted', async () => {
      const req = client.post('classrecord', classroom('700040'), ts())
      assert.equal((await call(app, req)).errorcode, 0)
      const replay = await call(app, req)
      assert.equal(replay.errorcode, 1203)
      const rows = await db.query<{ errorcode: number }>(
        'SELECT errorcode FROM exchange_request WHERE sign_digest = (SELECT sign_digest FROM exchange_request ORDER BY id DESC LIMIT 1) ORDER BY id',
      )
      assert.deepEqual(
        rows.map((r) => r.errorcode),
        [0, 1203],
      )
    })

    test('a revoked credential is refused', async () => {
      const p1 = fixture.ids.platforms.p1
      const res = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${p1}/exchange-credentials`,
        headers: as('sheng'),
      })
      const issued = res.json() as { id: number; pkcs12Base64: string; password: string }
      const second = exchangeClient(openExchangeCredential(issued.pkcs12Base64, issued.password))
      assert.equal((await call(app, second.post('classrecord', classroom('700050'), ts()))).errorcode, 0)
      const revoke = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${p1}/exchange-credentials/${issued.id}/revoke`,
        headers: as('sheng'),
      })
      assert.equal(revoke.statusCode, 200, revoke.body)
      const reply = await call(app, second.post('classrecord', classroom('700051'), ts()))
      assert.equal(reply.errorcode, 1102)
      assert.equal((await call(app, client.post('classrecord', classroom('700052'), ts()))).errorcode, 0)
    })

    test('the rate limit refuses a platform over its burst, per process', async () => {
      const limited = await appWith(db, dir, { JIAPEI_EXCHANGE_BURST: '2', JIAPEI_EXCHANGE_RATE_PER_S: '1' })
      try {
        const codes: number[] = []
        for (const recnum of ['700060', '700061', '700062']) {
          codes.push((await call(limited, client.post('classrecord', classroom(recnum), ts()))).errorcode)
        }
        assert.deepEqual(codes, [0, 0, 1301])
      } finally {
        await limited.close()
      }
    })

    test('student uploads go through registry validation and the audit log', async () => {
      const stunum = 'STX0000000000001'
      const body = {
        inscode: people.inscode,
        stunum,
        idcard: idCard(XIHU, '20000101', 777),
        name: '对接学员',
        sex: 1,
        traintype: 'C1',
        applydate: '20260301',
      }
      const created = await call(app, client.post('student', body, ts()))
      assert.equal(created.errorcode, 0, created.message)
      assert.equal((created.data as { created: boolean }).created, true)
      const updated = await call(app, client.post('student', { ...body, name: '对接学员乙' }, ts()))
      assert.equal(updated.errorcode, 0, updated.message)
      const [row] = await db.query<{ name: string; sex: string; enrolled_on: string }>(
        'SELECT name, sex, enrolled_on FROM student WHERE stu_no = $1',
        [stunum],
      )
      assert.deepEqual(row, { name: '对接学员乙', sex: 'M', enrolled_on: '2026-03-01' })
      const audits = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity = 'student' AND username = $1 ORDER BY id`,
        [`exchange:${certSn}`],
      )
      assert.deepEqual(
        audits.map((a) => a.action),
        ['create', 'update'],
      )
      const bad = await call(
        app,
        client.post('student', { ...body, stunum: 'STX0000000000002', idcard: '330106200001010000' }, ts()),
      )
      assert.equal(bad.errorcode, 2004)
      assert.equal((bad.data as { field: string }).field, 'idcard')
      assert.match(bad.message, /idcard（身份证号）/)
      const foreign = await call(app, client.post('student', { ...body, stunum: people.otherStunum }, ts()))
      assert.equal(foreign.errorcode, 3006)
    })

    test('uploaded photos are stored and bound by the classrecord that names them', async () => {
      const up = await call(app, client.upload('trainimg', JPEG, { stunum: people.stunum }, ts()))
      assert.equal(up.errorcode, 0, up.message)
      const fileId = (up.data as { id: number }).id
      const notJpeg = await call(app, client.upload('trainimg', Buffer.from('hello'), { stunum: people.stunum }, ts()))
      assert.equal(notJpeg.errorcode, 2002)
      const tampered = client.upload('trainimg', JPEG, { stunum: people.stunum }, ts())
      const forged = {
        ...tampered,
        payload: Buffer.from(String(tampered.payload).replace(people.stunum, people.otherStunum)),
      }
      assert.equal((await call(app, forged)).errorcode, 1202)
      const noFace = await call(app, client.upload('stuimg', JPEG, { stunum: people.stunum }, ts()))
      assert.equal(noFace.errorcode, 2002, noFace.message)
      const [registered] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM person_photo WHERE person_kind = 'student' AND person_id = $1`,
        [fixture.ids.students.xihu[0]],
      )
      assert.equal(registered?.n, 0)

      const rec = await call(
        app,
        client.post(
          'classrecord',
          classroom('700070', {
            photo1: fileId,
            starttime: bj(new Date(start.getTime() + 120 * 60_000)),
            endtime: bj(new Date(start.getTime() + 130 * 60_000)),
          }),
          ts(),
        ),
      )
      assert.equal(rec.errorcode, 0, rec.message)
      const [photo] = await db.query<{ session_id: number; event_type: number; source_platform_id: number }>(
        'SELECT session_id, event_type, source_platform_id FROM photo WHERE id = $1',
        [fileId],
      )
      assert.deepEqual(photo, {
        session_id: (rec.data as { id: number }).id,
        event_type: 17,
        source_platform_id: fixture.ids.platforms.p1,
      })
      const unknown = await call(app, client.post('classrecord', classroom('700071', { photo1: 99999999 }), ts()))
      assert.equal(unknown.errorcode, 2002)

      // A process photo uploaded before its record exists is bound afterwards with trainimginfo.
      const later = await call(app, client.upload('trainimg', JPEG, { stunum: people.stunum }, ts()))
      const laterId = (later.data as { id: number }).id
      const info = {
        inscode: people.inscode,
        stunum: people.stunum,
        recnum: '700070',
        fileid: laterId,
        ptime: bj(new Date(start.getTime() + 125 * 60_000)),
        event: 19,
        faceconf: 88,
      }
      const bound = await call(app, client.post('trainimginfo', info, ts()))
      assert.equal(bound.errorcode, 0, bound.message)
      const [p2] = await db.query<{ session_id: number; event_type: number; face_confidence: number }>(
        'SELECT session_id, event_type, face_confidence FROM photo WHERE id = $1',
        [laterId],
      )
      assert.deepEqual(p2, { session_id: (rec.data as { id: number }).id, event_type: 19, face_confidence: 88 })
      const elsewhere = await call(app, client.post('trainimginfo', { ...info, recnum: '700001' }, ts()))
      assert.equal(elsewhere.errorcode, 2002)
    })

    test("a student photo with one face becomes the student's registered photo", {
      skip: faceSamplePaths().length === 0 && 'face-api sample photos missing',
    }, async () => {
      const face = (await sampleFace()) as Buffer
      const up = await call(app, client.upload('stuimg', face, { stunum: people.stunum }, ts()))
      assert.equal(up.errorcode, 0, up.message)
      const [registered] = await db.query<{ sha256: string; dims: number }>(
        `SELECT sha256, cardinality(descriptor) AS dims FROM person_photo WHERE person_kind = 'student' AND person_id = $1`,
        [fixture.ids.students.xihu[0]],
      )
      assert.equal(registered?.dims, 128)
      assert.equal(registered?.sha256, (up.data as { sha256: string }).sha256)
    })

    test('stage review and graduation reports are decided by the hour accounting, not by the reported totals', async () => {
      const body = {
        inscode: people.inscode,
        stunum: people.stunum,
        subject: 1,
        totaltime: 720,
        classtime: 720,
        recarray: [{ rnum: '700001' }, { rnum: '700040' }],
      }
      const stage = await call(app, client.post('stagetrainningtime', body, ts()))
      assert.equal(stage.errorcode, 4001, stage.message)
      assert.match(stage.message, /学时未达到大纲要求/)
      const missing = await call(
        app,
        client.post('stagetrainningtime', { ...body, recarray: [{ rnum: '123456789' }] }, ts()),
      )
      assert.equal(missing.errorcode, 3010)
      const graduation = await call(
        app,
        client.post(
          'graduation',
          { stunum: people.stunum, autinscode: people.inscode, grantdate: '20260501', gracertnum: 'G1' },
          ts(),
        ),
      )
      assert.equal(graduation.errorcode, 4001, graduation.message)
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM completion_certificate')
      assert.equal(row?.n, 0)
    })

    test('a platform queries the result of a stage review by a signed GET on the key values', async () => {
      const path = `${people.stunum}-stagetrainningtimereview-1`
      const none = await call(app, client.keyed('GET', path, [people.stunum, 1], ts()))
      assert.equal(none.errorcode, 4006, none.message)
      await db.query(
        `INSERT INTO stage_review (student_id, institution_id, city_code, county_code, part, policy_version, status, totals,
            session_ids, decided_at, note)
         SELECT id, institution_id, city_code, county_code, 1, 1, 'approved', '{}'::jsonb, '{}'::bigint[], now(), '材料齐全'
           FROM student WHERE stu_no = $1`,
        [people.stunum],
      )
      const found = await call(app, client.keyed('GET', path, [people.stunum, 1], ts()))
      assert.equal(found.errorcode, 0, found.message)
      assert.equal((found.data as { status: string }).status, 'approved')
      assert.equal((found.data as { note: string }).note, '材料齐全')
      const otherKey = client.keyed('GET', path, [people.stunum, 2], ts())
      assert.equal((await call(app, otherKey)).errorcode, 1202)
      const foreign = `${people.otherStunum}-stagetrainningtimereview-1`
      assert.equal((await call(app, client.keyed('GET', foreign, [people.otherStunum, 1], ts()))).errorcode, 3002)
    })

    test("evaluations and complaints are stored in the student's jurisdiction", async () => {
      const evaluation = {
        stunum: people.stunum,
        evalobject: people.coachnum,
        type: 1,
        overall: 5,
        part: 2,
        evaluatetime: bj(start),
        srvmanner: '耐心',
      }
      const reply = await call(app, client.post('evaluation', evaluation, ts()))
      assert.equal(reply.errorcode, 0, reply.message)
      const complaint = await call(
        app,
        client.post('complaint', { stunum: people.stunum, type: 2, content: '约车难', cdate: bj(start) }, ts()),
      )
      assert.equal(complaint.errorcode, 0, complaint.message)
      const rows = await db.query<{ kind: string; target_kind: string; stars: number | null; county_code: string }>(
        'SELECT kind, target_kind, stars, county_code FROM training_feedback ORDER BY id',
      )
      assert.deepEqual(rows, [
        { kind: 'evaluation', target_kind: 'coach', stars: 5, county_code: XIHU },
        { kind: 'complaint', target_kind: 'institution', stars: null, county_code: XIHU },
      ])
    })

    test('the request log is counted per errorcode for the platform', async () => {
      const res = await app.inject({
        url: `/api/timing-platforms/${fixture.ids.platforms.p1}/exchange-requests?pageSize=5`,
        headers: as('yunying'),
      })
      assert.equal(res.statusCode, 200, res.body)
      const body = res.json() as { total: number; counts: { errorcode: number; count: number }[]; items: unknown[] }
      assert.equal(body.items.length, 5)
      assert.ok(body.counts.some((c) => c.errorcode === 0 && c.count > 5))
      assert.ok(body.counts.some((c) => c.errorcode === 1202))
    })
  })
}
