/**
 * The terminal-command routes: a command over HTTP reaches the terminal through the gateway and
 * the response carries its answer; timeouts, jurisdiction and permissions give coded errors.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { encodeFrame } from '@jiapei/jt808'
import { photoNowReply, type TrainingEnvelope, trainingEnvelope } from '@jiapei/jt808-training'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { openPkcs12, signAuth, startGatewayServer } from '../../src/gateway/index.ts'
import type { GatewayServer } from '../../src/gateway/tcp-server.ts'
import { buildApp } from '../../src/http/app.ts'
import { buildFixture, type Fixture, imei, regNo, sessions } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'
import { MemorySink, TestTerminal } from './support.ts'

for (const engine of await testEngines()) {
  describe(`terminal command routes (${engine.name})`, { skip: engine.skip }, () => {
    let db: Database
    let fixture: Fixture
    let server: GatewayServer
    let app: FastifyInstance
    let t: TestTerminal
    let as: (name: string) => { cookie: string }
    let terminalId: number

    before(async () => {
      db = await engine.open()
      fixture = await buildFixture(db)
      terminalId = fixture.ids.terminals.xihu[0] as number
      const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_GATEWAY_PORT: '0' })
      server = await startGatewayServer({ config, database: db, sink: new MemorySink(), host: '127.0.0.1' })
      app = await buildApp({ config, database: db, webDist: '/nonexistent-web-dist', gateway: server.gateway })
      await app.ready()
      as = await sessions(app, ['yunying', 'zhifa'])

      t = await TestTerminal.connect(server.port, '14700000001')
      t.send(0x0100, {
        provinceId: 33,
        cityId: 106,
        manufacturerId: 'JPTST',
        model: 'JT-2026',
        terminalId: '0000001',
        imei: imei(1),
        plateColor: 2,
        plate: '',
      })
      const reg = (await t.expect((f) => f.header.msgId === 0x8100, 20_000)).body as Record<string, string>
      const { privateKeyPem } = openPkcs12(reg.certificate as string, reg.certPassword as string)
      const ts = Math.floor(Date.now() / 1000)
      const serial = t.send(0x0102, { timestamp: ts, ciphertext: signAuth(privateKeyPem, regNo('DEV', 1), ts) })
      assert.equal((await t.generalReply(serial)).result, 0)
    })

    after(async () => {
      await t?.close()
      await app?.close()
      await server?.close()
      await db?.close()
    })

    it('lists the online terminals in the caller’s jurisdiction', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/terminals/online', headers: as('yunying') })
      assert.equal(res.statusCode, 200)
      const list = res.json() as { terminalId: number; phone: string }[]
      assert.deepEqual(
        list.map((s) => [s.terminalId, s.phone]),
        [[terminalId, '14700000001']],
      )
    })

    it('sends 立即拍照 and answers with the terminal’s 0x0301', async () => {
      const pending = app.inject({
        method: 'POST',
        url: `/api/terminals/${terminalId}/commands/photo`,
        headers: as('yunying'),
        payload: { channel: 1, timeoutMs: 5000 },
      })
      const cmd = await t.expect((f) => f.header.msgId === 0x8900)
      const env = (cmd.body as { content: TrainingEnvelope }).content
      assert.equal(env.messageId, 0x8301)
      const reply = trainingEnvelope(
        photoNowReply,
        { result: 1, uploadMode: 1, channel: 1, size: 1, extra: new Uint8Array(0) },
        { terminalNo: regNo('DEV', 1), packetSeq: env.packetSeq },
      )
      t.write(
        encodeFrame(
          { msgId: 0x0900, version: 'jiapei', phone: t.phone, serial: t.nextSerial() },
          { type: 0x13, data: new Uint8Array(0), content: reply },
        ),
      )
      const res = await pending
      assert.equal(res.statusCode, 200)
      const body = res.json() as { command: string; reply: { result: number; channel: number } }
      assert.equal(body.command, 'photo')
      assert.equal(body.reply.result, 1)
      assert.equal(body.reply.channel, 1)
    })

    it('answers ERR_GW_COMMAND_TIMEOUT when the terminal stays silent', async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/terminals/${terminalId}/commands/minutes`,
        headers: as('yunying'),
        payload: { mode: 1, startTime: '260501080000', endTime: '260501090000', count: 0, timeoutMs: 200 },
      })
      assert.equal(res.statusCode, 504)
      assert.equal(res.json().code, 'ERR_GW_COMMAND_TIMEOUT')
    })

    it('hides terminals outside the jurisdiction and refuses roles without terminal:write', async () => {
      const other = fixture.ids.terminals.haishu[0] as number
      const outside = await app.inject({
        method: 'POST',
        url: `/api/terminals/${other}/commands/ban`,
        headers: as('yunying'),
        payload: { banned: true },
      })
      assert.equal(outside.statusCode, 404)
      assert.equal(outside.json().code, 'ERR_REG_NOT_FOUND')
      const forbidden = await app.inject({
        method: 'POST',
        url: `/api/terminals/${terminalId}/commands/params`,
        headers: as('zhifa'),
        payload: { params: { photoIntervalMin: 10 } },
      })
      assert.equal(forbidden.statusCode, 403)
      assert.equal(forbidden.json().code, 'ERR_AUTH_FORBIDDEN')
    })
  })
}
