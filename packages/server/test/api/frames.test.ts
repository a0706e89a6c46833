import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encodeFrame, toHex } from '@jiapei/jt808'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, sessions, testApp } from './fixture.ts'

const engines = await testEngines()

const PHONE = '0000013800138000'
const heartbeat = () => toHex(encodeFrame({ msgId: 0x0002, version: 'jiapei', phone: PHONE, serial: 7 }, {}))
const location = () =>
  toHex(
    encodeFrame(
      { msgId: 0x0200, version: 'jiapei', phone: PHONE, serial: 42 },
      {
        alarm: 0,
        status: 3,
        lat: 30274085,
        lng: 120155070,
        recorderSpeed: 400,
        gnssSpeed: 394,
        heading: 90,
        timeLocal: '240501083000',
        items: [{ id: 1, value: 7777 }],
      },
    ),
  )

interface Node {
  key: string
  name: string
  offset: number
  hex: string
  children?: Node[]
}
const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])])

for (const engine of engines) {
  describe(`frame explainer [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let as: (name: string) => { cookie: string }

    before(async () => {
      database = await engine.open()
      await buildFixture(database)
      app = await testApp(database)
      as = await sessions(app, ['jiaolian'])
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const post = (payload: Record<string, unknown>, headers: Record<string, string> = as('jiaolian')) =>
      app.inject({ method: 'POST', url: '/api/frames/explain', headers, payload })

    test('a heartbeat decodes with its header and explanation', async () => {
      // Spaced, upper-case hex is accepted as typed.
      const spaced = (heartbeat().match(/../g) ?? []).join(' ').toUpperCase()
      const res = await post({ hex: spaced })
      assert.equal(res.statusCode, 200, res.body)
      const out = res.json()
      assert.equal(out.ok, true)
      assert.equal(out.decoded.header.msgId, 0x0002)
      assert.equal(out.decoded.header.msgIdHex, '0x0002')
      assert.equal(out.decoded.header.phone, PHONE)
      assert.equal(out.decoded.header.serial, 7)
      assert.equal(out.decoded.header.version, 'jiapei')
      assert.deepEqual(
        out.explanation.nodes.map((n: Node) => n.key),
        ['header', 'body', 'checksum'],
      )
      assert.match(out.text, /^0x0002 /)
    })

    test('a 0x0200 built with the codec decodes field by field', async () => {
      const res = await post({ hex: location(), protocol: 'jiapei' })
      assert.equal(res.statusCode, 200, res.body)
      const out = res.json()
      assert.equal(out.ok, true)
      assert.equal(out.decoded.header.msgId, 0x0200)
      assert.equal(out.decoded.header.serial, 42)
      assert.equal(out.decoded.decoded, true)
      assert.equal(out.decoded.body.lat, 30274085)
      assert.equal(out.decoded.body.lng, 120155070)
      assert.equal(out.decoded.body.recorderSpeed, 400)
      assert.deepEqual(out.decoded.body.items, [{ id: 1, value: 7777 }])
      const nodes = flatten(out.explanation.nodes)
      const msgId = nodes.find((n) => n.name === '消息ID')
      assert.equal(msgId?.hex, '0200')
      assert.equal(msgId?.offset, 1)
      assert.ok(nodes.some((n) => n.name.startsWith('纬度')))
      assert.match(out.text, /0x0200 位置信息汇报/)
      assert.match(out.text, /30\.274085°/)
    })

    test('a bad checksum is an answer, not a request error', async () => {
      const good = location()
      // The checksum is the byte before the closing 7E.
      const cs = Number.parseInt(good.slice(-4, -2), 16)
      const bad = `${good.slice(0, -4)}${((cs ^ 0x01) === 0x7e ? cs ^ 0x02 : cs ^ 0x01).toString(16).padStart(2, '0')}7e`
      const res = await post({ hex: bad })
      assert.equal(res.statusCode, 200, res.body)
      const out = res.json()
      assert.equal(out.ok, false)
      assert.equal(out.code, 'ERR_CODEC_CHECKSUM')
      assert.equal(typeof out.message, 'string')
      assert.equal(typeof out.offset, 'number')
      assert.equal(out.decoded, undefined)
      assert.match(out.text, /ERR_CODEC_CHECKSUM/)
    })

    test('text that is not hex is refused', async () => {
      for (const hex of ['7e zz 7e', '7e0', '']) {
        const res = await post({ hex })
        assert.equal(res.statusCode, 400, `${hex}: ${res.body}`)
        assert.equal(res.json().code, 'ERR_HTTP_VALIDATION')
      }
      const long = await post({ hex: '00'.repeat(10_001) })
      assert.equal(long.statusCode, 400)
      const version = await post({ hex: heartbeat(), protocol: '2099' })
      assert.equal(version.statusCode, 400)
    })

    test('a login is required', async () => {
      const res = await post({ hex: heartbeat() }, {})
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().code, 'ERR_AUTH_REQUIRED')
    })
  })
}
