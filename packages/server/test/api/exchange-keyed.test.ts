/**
 * The keyed GET and DELETE services of the exchange interface, through the real HTTP routes with
 * signed requests: each answers for an object of an institution the caller serves, refuses another
 * platform's object (3002), ends relationships without deleting history and audit-logs it, and
 * refuses tampered or unsigned calls; paths no service matches keep errorcode 1000.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { runDetectionBatch } from '../../src/detection/engine/batch.ts'
import {
  type ExchangeClient,
  exchangeClient,
  openExchangeCredential,
  type SignedRequest,
} from '../../src/exchange/client.ts'
import type { ExchangeReply } from '../../src/exchange/gate.ts'
import { buildApp } from '../../src/http/app.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, imei, regNo, sessions } from './fixture.ts'

/** `YYYYMMDDHHmmss` Beijing time of a UTC instant. */
function bj(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** Yesterday 10:00 Beijing time: inside the default training windows. */
const LESSON = new Date(`${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}T02:00:00Z`)

for (const engine of await testEngines()) {
  describe(`exchange GET and DELETE services [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let app: FastifyInstance
    let dir: string
    let fixture: Fixture
    let client: ExchangeClient
    let certSn: string
    let tick = Date.now()
    const ts = () => Math.max(Date.now(), ++tick)
    const n = {
      inscode: '',
      haishuInscode: '',
      stunum: '',
      stunum2: '',
      cancelStunum: '',
      otherStunum: '',
      coachnum: '',
      leavingCoachnum: '',
      otherCoachnum: '',
      carnum: '',
      otherCarnum: '',
      devnum: '',
      otherDevnum: '',
    }

    async function call(req: SignedRequest): Promise<ExchangeReply> {
      const res = await app.inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as ExchangeReply
    }
    const get = (p: string, keys: (string | number)[]) => call(client.keyed('GET', p, keys, ts()))
    const del = (p: string, keys: (string | number)[]) => call(client.keyed('DELETE', p, keys, ts()))
    const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params))[0] as T
    const audits = async (entity: string) =>
      (
        await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = $1 AND username = $2`, [
          entity,
          `exchange:${certSn}`,
        ])
      ).n

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-exchange-keyed-'))
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
      await app.ready()
      const as = await sessions(app, ['sheng'])
      const res = await app.inject({
        method: 'POST',
        url: `/api/timing-platforms/${fixture.ids.platforms.p1}/exchange-credentials`,
        headers: as('sheng'),
      })
      assert.equal(res.statusCode, 201, res.body)
      const issued = res.json() as { certSn: string; pkcs12Base64: string; password: string }
      certSn = issued.certSn
      client = exchangeClient(openExchangeCredential(issued.pkcs12Base64, issued.password))
      const no = async (sql: string, id: number) => (await one<{ no: string }>(sql, [id])).no
      const ids = fixture.ids
      n.inscode = await no('SELECT ins_code AS no FROM institution WHERE id = $1', ids.institutions.xihu)
      n.haishuInscode = await no('SELECT ins_code AS no FROM institution WHERE id = $1', ids.institutions.haishu)
      n.stunum = await no('SELECT stu_no AS no FROM student WHERE id = $1', ids.students.xihu[0]!)
      n.stunum2 = await no('SELECT stu_no AS no FROM student WHERE id = $1', ids.students.xihu[1]!)
      n.cancelStunum = await no('SELECT stu_no AS no FROM student WHERE id = $1', ids.students.xihu[2]!)
      n.otherStunum = await no('SELECT stu_no AS no FROM student WHERE id = $1', ids.students.haishu[0]!)
      n.coachnum = await no('SELECT coach_no AS no FROM coach WHERE id = $1', ids.coaches.xihu[0]!)
      n.leavingCoachnum = await no('SELECT coach_no AS no FROM coach WHERE id = $1', ids.coaches.xihu[1]!)
      n.otherCoachnum = await no('SELECT coach_no AS no FROM coach WHERE id = $1', ids.coaches.haishu[0]!)
      n.carnum = await no('SELECT car_no AS no FROM vehicle WHERE id = $1', ids.vehicles.xihu[1]!)
      n.otherCarnum = await no('SELECT car_no AS no FROM vehicle WHERE id = $1', ids.vehicles.haishu[0]!)
      n.devnum = await no('SELECT device_no AS no FROM terminal WHERE id = $1', ids.terminals.xihu[0]!)
      n.otherDevnum = await no('SELECT device_no AS no FROM terminal WHERE id = $1', ids.terminals.haishu[0]!)
    })
    after(async () => {
      await app?.close()
      await db?.close()
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    test('DELETE coach-{coachnum}: the employment ends (离职, today), audited once; the row stays', async () => {
      const path = `coach-${n.leavingCoachnum}`
      const reply = await del(path, [n.leavingCoachnum])
      assert.equal(reply.errorcode, 0, reply.message)
      const data = reply.data as { employstatus: number; leavedate: string; changed: boolean }
      assert.equal(data.employstatus, 1)
      assert.equal(data.changed, true)
      assert.match(data.leavedate, /^\d{8}$/)
      const row = await one<{ employment_status: string; left_on: string }>(
        'SELECT employment_status, left_on::text FROM coach WHERE coach_no = $1',
        [n.leavingCoachnum],
      )
      assert.equal(row.employment_status, 'left')
      assert.equal(row.left_on.replace(/-/g, ''), data.leavedate)
      assert.equal(await audits('coach'), 1)
      const again = await del(path, [n.leavingCoachnum])
      assert.equal(again.errorcode, 0, again.message)
      assert.equal((again.data as { changed: boolean }).changed, false)
      assert.equal(await audits('coach'), 1)

      const review = await get(`${n.leavingCoachnum}-coachreview`, [n.leavingCoachnum])
      assert.equal(review.errorcode, 0, review.message)
      assert.deepEqual(
        {
          status: (review.data as { status: string }).status,
          employstatus: (review.data as { employstatus: number }).employstatus,
          leavedate: (review.data as { leavedate: string }).leavedate,
        },
        { status: 'left', employstatus: 1, leavedate: data.leavedate },
      )

      const foreign = await del(`coach-${n.otherCoachnum}`, [n.otherCoachnum])
      assert.equal(foreign.errorcode, 3002, foreign.message)
      const untouched = await one<{ s: string }>('SELECT employment_status AS s FROM coach WHERE coach_no = $1', [
        n.otherCoachnum,
      ])
      assert.equal(untouched.s, 'employed')
      const unknown = await del(`coach-${regNo('CO', 999)}`, [regNo('CO', 999)])
      assert.equal(unknown.errorcode, 3004, unknown.message)
    })

    test('DELETE trainingCar-{carnum}: the car is 停用 and stays filed; the lower-case path is unknown', async () => {
      const reply = await del(`trainingCar-${n.carnum}`, [n.carnum])
      assert.equal(reply.errorcode, 0, reply.message)
      assert.deepEqual(reply.data, {
        carnum: n.carnum,
        inscode: n.inscode,
        status: 'suspended',
        statusText: '停用',
        changed: true,
      })
      assert.equal(
        (await one<{ s: string }>('SELECT status AS s FROM vehicle WHERE car_no = $1', [n.carnum])).s,
        'suspended',
      )
      assert.equal(await audits('vehicle'), 1)
      const review = await get(`${n.carnum}-carreview`, [n.carnum])
      assert.equal(review.errorcode, 0, review.message)
      assert.equal((review.data as { status: string }).status, 'suspended')
      assert.equal((review.data as { licnum: string }).licnum.startsWith('浙A'), true)

      assert.equal((await del(`trainingcar-${n.carnum}`, [n.carnum])).errorcode, 1000)
      assert.equal((await del(`trainingCar-${n.otherCarnum}`, [n.otherCarnum])).errorcode, 3002)
      assert.equal((await get(`${n.otherCarnum}-carreview`, [n.otherCarnum])).errorcode, 3002)
    })

    test('DELETE device-{devnum}: the terminal is 停用 and unbound from its car; another platform cannot', async () => {
      const carnum = (
        await one<{ no: string }>('SELECT car_no AS no FROM vehicle WHERE id = $1', [fixture.ids.vehicles.xihu[0]])
      ).no
      const reply = await del(`device-${n.devnum}`, [n.devnum])
      assert.equal(reply.errorcode, 0, reply.message)
      assert.deepEqual(reply.data, {
        devnum: n.devnum,
        inscode: n.inscode,
        status: 'retired',
        statusText: '停用',
        unboundcarnum: carnum,
        changed: true,
      })
      const row = await one<{ status: string; vehicle_id: number | null }>(
        'SELECT status, vehicle_id FROM terminal WHERE device_no = $1',
        [n.devnum],
      )
      assert.deepEqual(row, { status: 'retired', vehicle_id: null })
      assert.equal(await audits('terminal'), 1)

      assert.equal((await del(`device-${n.otherDevnum}`, [n.otherDevnum])).errorcode, 3002)
      // A terminal of a served institution that another platform connects.
      const devnum = regNo('DEV', 3)
      await db.query(
        `INSERT INTO terminal (device_no, phone, imei, institution_id, city_code, county_code, timing_platform_id)
         SELECT $1, '14700000003', $2, id, city_code, county_code, $3 FROM institution WHERE id = $4`,
        [devnum, imei(3), fixture.ids.platforms.p2, fixture.ids.institutions.xihu],
      )
      const foreign = await del(`device-${devnum}`, [devnum])
      assert.equal(foreign.errorcode, 3013, foreign.message)
      assert.equal((await del(`device-${regNo('DEV', 9)}`, [regNo('DEV', 9)])).errorcode, 3012)
    })

    test('DELETE {inscode}-region-{seq}: the training field is 停用; regionreview answers its state', async () => {
      const seq = fixture.ids.fields.xihu
      const before = await get(`${n.inscode}-regionreview-${seq}`, [n.inscode, seq])
      assert.equal(before.errorcode, 0, before.message)
      assert.equal((before.data as { status: string }).status, 'active')
      assert.equal((before.data as { name: string }).name, '转塘训练场')
      const reply = await del(`${n.inscode}-region-${seq}`, [n.inscode, seq])
      assert.equal(reply.errorcode, 0, reply.message)
      assert.equal(
        (await one<{ s: string }>('SELECT status AS s FROM training_field WHERE id = $1', [seq])).s,
        'inactive',
      )
      assert.equal(await audits('training_field'), 1)
      const after = await get(`${n.inscode}-regionreview-${seq}`, [n.inscode, seq])
      assert.equal((after.data as { status: string }).status, 'inactive')
      assert.equal((await del(`${n.inscode}-region-999999`, [n.inscode, 999999])).errorcode, 3014)
      assert.equal((await del(`${n.haishuInscode}-region-${seq}`, [n.haishuInscode, seq])).errorcode, 3002)
      assert.equal((await get(`${n.haishuInscode}-regionreview-${seq}`, [n.haishuInscode, seq])).errorcode, 3002)
    })

    test('examiners, security guards and numbered fee standards are not filed here: 1010, logged with the caller', async () => {
      const examnum = regNo('EX', 1)
      const reply = await del(`examiner-${examnum}`, [examnum])
      assert.equal(reply.errorcode, 1010, reply.message)
      assert.match(reply.message, /考核员/)
      assert.equal((await del(`securityguard-${examnum}`, [examnum])).errorcode, 1010)
      assert.equal((await del(`${n.inscode}-CharStandard-1`, [n.inscode, 1])).errorcode, 1010)
      assert.equal((await call(client.post('examiner', { examnum }, ts()))).errorcode, 1010)
      const row = await one<{ platform: number; method: string; error_code: string }>(
        `SELECT timing_platform_id AS platform, method, error_code FROM exchange_request
          WHERE service = 'examiner' ORDER BY id LIMIT 1`,
      )
      assert.deepEqual(row, {
        platform: fixture.ids.platforms.p1,
        method: 'DELETE',
        error_code: 'ERR_EXCHANGE_NOT_SUPPORTED',
      })
      // Unsigned, it is refused like anything else before the service is asked.
      const unsigned = client.keyed('DELETE', `examiner-${examnum}`, [examnum], ts())
      assert.equal((await call({ ...unsigned, url: `/exchange/examiner-${examnum}` })).errorcode, 1001)
    })

    test('GET stuinfoquery-{stunum}: the filed student in national fields, unmasked and audit-logged', async () => {
      const reply = await get(`stuinfoquery-${n.stunum}`, [n.stunum])
      assert.equal(reply.errorcode, 0, reply.message)
      const s = await one<{ id_card: string; name: string; phone: string }>(
        'SELECT id_card, name, phone FROM student WHERE stu_no = $1',
        [n.stunum],
      )
      const data = reply.data as Record<string, unknown>
      assert.deepEqual(
        {
          idcard: data.idcard,
          name: data.name,
          phone: data.phone,
          sex: data.sex,
          traintype: data.traintype,
          applydate: data.applydate,
          busitype: data.busitype,
          cardtype: data.cardtype,
          inscode: data.inscode,
        },
        {
          idcard: s.id_card,
          name: s.name,
          phone: s.phone,
          sex: 2,
          traintype: 'C1',
          applydate: '20260301',
          busitype: 0,
          cardtype: 1,
          inscode: n.inscode,
        },
      )
      const [read] = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity = 'student' AND username = $1 AND action = 'read_personal'`,
        [`exchange:${certSn}`],
      )
      assert.equal(read?.action, 'read_personal')
      assert.equal((await get(`stuinfoquery-${n.otherStunum}`, [n.otherStunum])).errorcode, 3002)
      const nobody = await get(`stuinfoquery-${regNo('ST', 999)}`, [regNo('ST', 999)])
      assert.equal(nobody.errorcode, 3003)
      // A look-up by number alone names no institution: the message says whose students were searched.
      assert.equal(nobody.message, `学员 ${regNo('ST', 999)} 未备案或不属于本平台服务的机构`)
    })

    test('GET {cardnum}-stuinfo-{name}: the student number for an ID card and name (the name percent-encoded)', async () => {
      const s = await one<{ id_card: string; name: string }>('SELECT id_card, name FROM student WHERE stu_no = $1', [
        n.stunum2,
      ])
      const reply = await get(`${s.id_card}-stuinfo-${encodeURIComponent(s.name)}`, [s.id_card, s.name])
      assert.equal(reply.errorcode, 0, reply.message)
      assert.equal((reply.data as { stunum: string }).stunum, n.stunum2)
      assert.equal((reply.data as { applydate: string }).applydate, '20260302')
      const wrongName = await get(`${s.id_card}-stuinfo-${encodeURIComponent('别人')}`, [s.id_card, '别人'])
      assert.equal(wrongName.errorcode, 3003, wrongName.message)
      const other = await one<{ id_card: string; name: string }>(
        'SELECT id_card, name FROM student WHERE stu_no = $1',
        [n.otherStunum],
      )
      const foreign = await get(`${other.id_card}-stuinfo-${encodeURIComponent(other.name)}`, [
        other.id_card,
        other.name,
      ])
      // Enrolled at a school of another platform: answered exactly like nobody, naming no school.
      assert.equal(foreign.errorcode, 3003, foreign.message)
      assert.equal(foreign.data, null)
      assert.ok(!JSON.stringify(foreign).includes(other.id_card))
      // The signature covers the decoded name: signing the encoded text does not verify.
      const encoded = encodeURIComponent(s.name)
      assert.equal((await get(`${s.id_card}-stuinfo-${encoded}`, [s.id_card, encoded])).errorcode, 1202)
    })

    test("GET traininfo-{stunum}: the student's hour ledger per part, as credited", async () => {
      const record = {
        inscode: n.inscode,
        stunum: n.stunum,
        coachnum: n.coachnum,
        recnum: '800001',
        subjcode: '2211010000',
        starttime: bj(LESSON),
        endtime: bj(new Date(LESSON.getTime() + 45 * 60_000)),
        duration: 45,
      }
      const sent = await call(client.post('classrecord', record, ts()))
      assert.equal(sent.errorcode, 0, sent.message)
      await runDetectionBatch(db, {
        from: new Date(LESSON.getTime() - 3600_000),
        to: new Date(LESSON.getTime() + 2 * 3600_000),
      })
      const reply = await get(`traininfo-${n.stunum}`, [n.stunum])
      assert.equal(reply.errorcode, 0, reply.message)
      const data = reply.data as {
        traintype: string
        requiredtime: number
        complete: boolean
        partarray: {
          subject: number
          classtime: number
          vehicletime: number
          totaltime: number
          requiredtime: number
        }[]
      }
      assert.equal(data.traintype, 'C1')
      assert.equal(data.complete, false)
      assert.deepEqual(
        data.partarray.map((p) => p.subject),
        [1, 2, 3, 4],
      )
      assert.deepEqual(
        { classtime: data.partarray[0]?.classtime, vehicletime: data.partarray[0]?.vehicletime },
        { classtime: 45, vehicletime: 0 },
      )
      assert.equal(data.partarray[0]?.totaltime, 45)
      assert.ok((data.partarray[0]?.requiredtime ?? 0) > 45)
      assert.ok(data.requiredtime > 0)
      assert.equal((await get(`traininfo-${n.otherStunum}`, [n.otherStunum])).errorcode, 3002)
    })

    test('GET evaluationquery / complaintquery by institution and Beijing day', async () => {
      const at = new Date(LESSON.getTime() + 6 * 3600_000)
      const day = bj(at).slice(0, 8)
      const evaluation = {
        stunum: n.stunum,
        evalobject: n.coachnum,
        type: 1,
        overall: 4,
        part: 1,
        evaluatetime: bj(at),
        srvmanner: '耐心',
      }
      assert.equal((await call(client.post('evaluation', evaluation, ts()))).errorcode, 0)
      const complaint = { stunum: n.stunum, type: 2, content: '约车难', cdate: bj(at) }
      assert.equal((await call(client.post('complaint', complaint, ts()))).errorcode, 0)

      const e = await get(`${n.inscode}-evaluationquery-${day}`, [n.inscode, day])
      assert.equal(e.errorcode, 0, e.message)
      assert.deepEqual((e.data as { evaluationarray: unknown[] }).evaluationarray, [
        {
          stunum: n.stunum,
          type: 1,
          evalobject: n.coachnum,
          overall: 4,
          part: 1,
          evaluatetime: bj(at),
          srvmanner: '耐心',
          teachlevel: null,
        },
      ])
      const c = await get(`${n.inscode}-complaintquery-${day}`, [n.inscode, day])
      assert.equal(c.errorcode, 0, c.message)
      assert.deepEqual((c.data as { complaintarray: unknown[] }).complaintarray, [
        { stunum: n.stunum, type: 2, objectnum: n.inscode, content: '约车难', cdate: bj(at) },
      ])
      const otherDay = bj(new Date(at.getTime() - 2 * 86_400_000)).slice(0, 8)
      const none = await get(`${n.inscode}-evaluationquery-${otherDay}`, [n.inscode, otherDay])
      assert.deepEqual((none.data as { evaluationarray: unknown[] }).evaluationarray, [])
      const bad = await get(`${n.inscode}-complaintquery-20261399`, [n.inscode, '20261399'])
      assert.equal(bad.errorcode, 2001, bad.message)
      assert.equal((bad.data as { field: string }).field, 'querydate')
      const foreign = await get(`${n.haishuInscode}-evaluationquery-${day}`, [n.haishuInscode, day])
      assert.equal(foreign.errorcode, 3002)
    })

    test('GET student-{stunum} (注销): the enrolment ends as 已退学, audited; the student row stays', async () => {
      const reply = await get(`student-${n.cancelStunum}`, [n.cancelStunum])
      assert.equal(reply.errorcode, 0, reply.message)
      assert.deepEqual(reply.data, {
        stunum: n.cancelStunum,
        inscode: n.inscode,
        status: 'withdrawn',
        statusText: '已退学',
        changed: true,
      })
      assert.equal(
        (await one<{ s: string }>('SELECT status AS s FROM student WHERE stu_no = $1', [n.cancelStunum])).s,
        'withdrawn',
      )
      const updates = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'student' AND action = 'update' AND username = $1`,
        [`exchange:${certSn}`],
      )
      assert.equal(updates.n, 1)
      const again = await get(`student-${n.cancelStunum}`, [n.cancelStunum])
      assert.equal((again.data as { changed: boolean }).changed, false)
      const foreign = await get(`student-${n.otherStunum}`, [n.otherStunum])
      assert.equal(foreign.errorcode, 3002)
      assert.equal(
        (await one<{ s: string }>('SELECT status AS s FROM student WHERE stu_no = $1', [n.otherStunum])).s,
        'enrolled',
      )
    })

    test('every keyed service refuses a signature over other key values (1202), no signature (1001) and another key (1202)', async () => {
      const paths: ['GET' | 'DELETE', string, (string | number)[]][] = [
        ['GET', `student-${n.stunum}`, [n.stunum]],
        ['GET', `stuinfoquery-${n.stunum}`, [n.stunum]],
        ['GET', `traininfo-${n.stunum}`, [n.stunum]],
        ['GET', `${n.inscode}-evaluationquery-20260301`, [n.inscode, '20260301']],
        ['GET', `${n.inscode}-complaintquery-20260301`, [n.inscode, '20260301']],
        ['GET', `${n.coachnum}-coachreview`, [n.coachnum]],
        ['GET', `${n.carnum}-carreview`, [n.carnum]],
        ['GET', `${n.inscode}-regionreview-1`, [n.inscode, 1]],
        ['DELETE', `coach-${n.coachnum}`, [n.coachnum]],
        ['DELETE', `trainingCar-${n.carnum}`, [n.carnum]],
        ['DELETE', `device-${n.devnum}`, [n.devnum]],
        ['DELETE', `${n.inscode}-region-1`, [n.inscode, 1]],
      ]
      const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
      const forger = exchangeClient({
        certSn,
        privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      })
      for (const [method, p, keys] of paths) {
        const tampered = client.keyed(method, p, [...keys.slice(0, -1), `${keys.at(-1)}0`], ts())
        assert.equal((await call(tampered)).errorcode, 1202, `${method} ${p} tampered`)
        const signed = client.keyed(method, p, keys, ts())
        assert.equal((await call({ ...signed, url: signed.url.replace(/&sign=[0-9A-F]+/, '') })).errorcode, 1001)
        assert.equal((await call(forger.keyed(method, p, keys, ts()))).errorcode, 1202, `${method} ${p} forged`)
      }
      // Nothing was changed by the refused DELETEs.
      assert.equal(
        (await one<{ s: string }>('SELECT employment_status AS s FROM coach WHERE coach_no = $1', [n.coachnum])).s,
        'employed',
      )
      assert.equal(
        (await one<{ s: string }>('SELECT status AS s FROM student WHERE stu_no = $1', [n.stunum])).s,
        'enrolled',
      )
    })

    test('paths no service matches keep errorcode 1000, logged', async () => {
      const before = (
        await one<{ n: number }>('SELECT count(*)::int AS n FROM exchange_request WHERE errorcode = 1000')
      ).n
      for (const [method, p] of [
        ['GET', 'nosuchservice-ABCDEFGHIJKLMNOP'],
        ['GET', `student-${n.stunum}-x`],
        ['GET', 'coach-SHORT'],
        ['DELETE', 'coach-SHORT'],
        ['DELETE', `student-${n.stunum}`],
        ['DELETE', `stuinfoquery-${n.stunum}`],
      ] as const) {
        const reply = await call(client.keyed(method, p, ['x'], ts()))
        assert.equal(reply.errorcode, 1000, `${method} ${p}`)
      }
      const after = (await one<{ n: number }>('SELECT count(*)::int AS n FROM exchange_request WHERE errorcode = 1000'))
        .n
      assert.equal(after, before + 6)
    })

    test('the request log has every keyed call with its method and errorcode', async () => {
      const rows = await db.query<{ method: string; service: string; errorcode: number }>(
        `SELECT method, service, errorcode FROM exchange_request
          WHERE timing_platform_id = $1 AND errorcode = 0 AND method IN ('GET', 'DELETE')
          GROUP BY method, service, errorcode ORDER BY method, service`,
        [fixture.ids.platforms.p1],
      )
      assert.deepEqual(
        rows.map((r) => `${r.method} ${r.service}`),
        [
          'DELETE coach',
          'DELETE device',
          'DELETE region',
          'DELETE trainingcar',
          'GET carreview',
          'GET coachreview',
          'GET complaintquery',
          'GET evaluationquery',
          'GET regionreview',
          'GET student',
          'GET stuinfo',
          'GET stuinfoquery',
          'GET traininfo',
        ],
      )
    })
  })
}
