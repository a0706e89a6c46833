import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { buildApp } from '../../src/http/app.ts'
import { closeSharedFaceEngine, sharedFaceEngine } from '../../src/photos/faces.ts'
import { faceSamplePaths } from '../../src/photos/samples.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, sessions } from './fixture.ts'

const samples = faceSamplePaths()
const skipFaces = samples.length < 2 && 'face-api sample photos missing'

/** A multipart/form-data body with one file field. */
function multipartBody(field: string, bytes: Uint8Array, filename = 'photo.jpg') {
  const boundary = '----jiapeiPhotoBoundary'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return {
    payload: Buffer.concat([head, Buffer.from(bytes), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** One face (with a margin) cut out of a sample group photo, as a JPEG; `which` = largest first. */
async function faceCrop(source: Uint8Array, which: number): Promise<Uint8Array> {
  const { faces } = await sharedFaceEngine().detect(source)
  const [x, y, w, h] = faces[which]!.box
  const meta = await sharp(source).metadata()
  const m = Math.max(w, h) * 0.5
  const left = Math.max(0, Math.round(x - m))
  const top = Math.max(0, Math.round(y - m))
  const size = Math.round(Math.max(w, h) + 2 * m)
  return new Uint8Array(
    await sharp(source)
      .extract({
        left,
        top,
        width: Math.min(size, meta.width! - left),
        height: Math.min(size, meta.height! - top),
      })
      .resize(200)
      .jpeg({ quality: 85 })
      .toBuffer(),
  )
}

describe('registered face photos', { skip: skipFaces }, async () => {
  let group: Uint8Array
  let faceA: Uint8Array
  let faceB: Uint8Array
  let grey: Uint8Array

  before(async () => {
    group = new Uint8Array(fs.readFileSync(samples[0]!))
    faceA = await faceCrop(group, 0)
    faceB = await faceCrop(group, 1)
    grey = new Uint8Array(
      await sharp({ create: { width: 200, height: 200, channels: 3, background: '#777' } })
        .jpeg()
        .toBuffer(),
    )
  })
  after(() => closeSharedFaceEngine())

  for (const engine of await testEngines()) {
    describe(`person photo API [${engine.name}]`, { skip: engine.skip }, () => {
      let db: Database
      let app: FastifyInstance
      let dir: string
      let fixture: Fixture
      let as: (name: string) => { cookie: string }

      before(async () => {
        db = await engine.open()
        fixture = await buildFixture(db)
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-person-photo-'))
        const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_DATA_DIR: dir })
        app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist' })
        await app.ready()
        as = await sessions(app, ['xihu', 'ningbo', 'jigou', 'jiaolian', 'xueyuan'])
      })
      after(async () => {
        await app?.close()
        await db?.close()
        if (dir) fs.rmSync(dir, { recursive: true, force: true })
      })

      test('a county registers a student photo (multipart) and reads it back', async () => {
        const student = fixture.ids.students.xihu[0]!
        const res = await app.inject({
          method: 'POST',
          url: `/api/registry/students/${student}/photo`,
          ...multipartBody('file', faceA),
          headers: { ...multipartBody('file', faceA).headers, ...as('xihu') },
        })
        assert.equal(res.statusCode, 201, res.body)
        const body = res.json()
        assert.equal(body.personKind, 'student')
        assert.equal(body.personId, student)
        assert.match(body.sha256, /^[0-9a-f]{64}$/)
        assert.ok(body.faceScore > 0.5)
        const [row] = await db.query<{ n: number }>(
          `SELECT cardinality(descriptor) AS n FROM person_photo WHERE person_kind = 'student' AND person_id = $1`,
          [student],
        )
        assert.equal(row!.n, 128)

        const image = await app.inject({
          method: 'GET',
          url: `/api/registry/students/${student}/photo`,
          headers: as('xihu'),
        })
        assert.equal(image.statusCode, 200)
        assert.equal(image.headers['content-type'], 'image/jpeg')
        assert.deepEqual(new Uint8Array(image.rawPayload), faceA)
        // The student sees their own photo.
        const own = await app.inject({
          method: 'GET',
          url: `/api/registry/students/${student}/photo`,
          headers: as('xueyuan'),
        })
        assert.equal(own.statusCode, 200)
      })

      test('an institution registers a coach photo as base64 JSON', async () => {
        const coach = fixture.ids.coaches.xihu[0]!
        const res = await app.inject({
          method: 'POST',
          url: `/api/registry/coaches/${coach}/photo`,
          headers: as('jigou'),
          payload: { imageBase64: `data:image/jpeg;base64,${Buffer.from(faceB).toString('base64')}` },
        })
        assert.equal(res.statusCode, 201, res.body)
        assert.equal(res.json().personKind, 'coach')
        const image = await app.inject({
          method: 'GET',
          url: `/api/registry/coaches/${coach}/photo`,
          headers: as('jigou'),
        })
        assert.deepEqual(new Uint8Array(image.rawPayload), faceB)
      })

      test('jurisdiction and permissions: outside the scope is 404, a coach account may not register', async () => {
        const student = fixture.ids.students.xihu[0]!
        const outside = await app.inject({
          method: 'POST',
          url: `/api/registry/students/${student}/photo`,
          headers: as('ningbo'),
          payload: { imageBase64: Buffer.from(faceA).toString('base64') },
        })
        assert.equal(outside.statusCode, 404)
        assert.equal(outside.json().code, 'ERR_REG_NOT_FOUND')
        const read = await app.inject({
          method: 'GET',
          url: `/api/registry/students/${student}/photo`,
          headers: as('ningbo'),
        })
        assert.equal(read.statusCode, 404)
        assert.equal(read.json().code, 'ERR_REG_NOT_FOUND')
        const coach = await app.inject({
          method: 'POST',
          url: `/api/registry/students/${student}/photo`,
          headers: as('jiaolian'),
          payload: { imageBase64: Buffer.from(faceA).toString('base64') },
        })
        assert.equal(coach.statusCode, 403)
        assert.equal(coach.json().code, 'ERR_AUTH_FORBIDDEN')
        const anonymous = await app.inject({ method: 'GET', url: `/api/registry/students/${student}/photo` })
        assert.equal(anonymous.statusCode, 401)
      })

      test('no face, several faces or not an image are refused with a code and change nothing', async () => {
        const student = fixture.ids.students.xihu[1]!
        const post = (bytes: Uint8Array) =>
          app.inject({
            method: 'POST',
            url: `/api/registry/students/${student}/photo`,
            headers: as('xihu'),
            payload: { imageBase64: Buffer.from(bytes).toString('base64') },
          })
        const none = await post(grey)
        assert.equal(none.statusCode, 422)
        assert.equal(none.json().code, 'ERR_PHOTO_NO_FACE')
        const many = await post(group)
        assert.equal(many.statusCode, 422)
        assert.equal(many.json().code, 'ERR_PHOTO_MANY_FACES')
        assert.match(many.json().message, /张人脸/)
        const junk = await post(new TextEncoder().encode('this is not a photo'))
        assert.equal(junk.statusCode, 422)
        assert.equal(junk.json().code, 'ERR_PHOTO_NOT_IMAGE')
        const wrongType = await app.inject({
          method: 'POST',
          url: `/api/registry/students/${student}/photo`,
          headers: { ...as('xihu'), 'content-type': 'text/plain' },
          payload: 'hello',
        })
        assert.equal(wrongType.statusCode, 415)
        const missing = await app.inject({
          method: 'GET',
          url: `/api/registry/students/${student}/photo`,
          headers: as('xihu'),
        })
        assert.equal(missing.statusCode, 404)
        assert.equal(missing.json().code, 'ERR_PHOTO_NOT_REGISTERED')
      })

      test('registering after training photos were analysed recomputes their face distance', async () => {
        const student = fixture.ids.students.xihu[2]!
        const descriptorA = (await sharedFaceEngine().descriptor(faceA)).descriptor!
        const descriptorB = (await sharedFaceEngine().descriptor(faceB)).descriptor!
        const insert = (no: string, event: number, descriptor: number[]) =>
          db.query<{ id: number }>(
            `INSERT INTO photo (photo_no, event_type, student_id, size_bytes, sha256, face_count, face_descriptor, analyzed_at)
             VALUES ($1, $2, $3, 1, 'x', 1, $4::real[], now()) RETURNING id`,
            [no, event, student, descriptor],
          )
        const [same] = await insert('r1', 19, descriptorA)
        const [other] = await insert('r2', 17, descriptorB)
        const [coachEvent] = await insert('r3', 20, descriptorB)
        const res = await app.inject({
          method: 'POST',
          url: `/api/registry/students/${student}/photo`,
          headers: as('xihu'),
          payload: { imageBase64: Buffer.from(faceA).toString('base64') },
        })
        assert.equal(res.statusCode, 201, res.body)
        assert.equal(res.json().photosRescored, 2)
        const distance = async (id: number) =>
          (await db.query<{ d: number | null }>('SELECT face_distance AS d FROM photo WHERE id = $1', [id]))[0]!.d
        assert.ok((await distance(same!.id))! < 0.2)
        assert.ok((await distance(other!.id))! > 0.6)
        assert.equal(await distance(coachEvent!.id), null)
      })
    })
  }
})
