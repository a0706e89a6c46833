import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import { currentPublicKeyObject, storeCredential } from '../../src/gateway/registry.ts'
import { buildFixture } from '../api/fixture.ts'
import { testEngines } from '../support/engines.ts'

const spki = () =>
  crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string

for (const engine of await testEngines()) {
  describe(`parsed credential keys [${engine.name}]`, { skip: engine.skip }, () => {
    let db: Database
    let terminalId: number

    before(async () => {
      db = await engine.open()
      await buildFixture(db)
      const [t] = await db.query<{ id: number }>('SELECT id FROM terminal ORDER BY id LIMIT 1')
      assert.ok(t)
      terminalId = t.id
    })
    after(async () => {
      await db?.close()
    })

    test('a key is parsed once per credential; re-registration and revocation are seen at once', async () => {
      const first = spki()
      await storeCredential(db, terminalId, { serialNo: 'a1', certPem: 'cert', publicKeyPem: first })
      const key = await currentPublicKeyObject(db, terminalId)
      assert.equal(key?.export({ type: 'spki', format: 'pem' }), first)
      assert.equal(await currentPublicKeyObject(db, terminalId), key, 'the parsed key is reused')

      const second = spki()
      await storeCredential(db, terminalId, { serialNo: 'a2', certPem: 'cert', publicKeyPem: second })
      assert.equal((await currentPublicKeyObject(db, terminalId))?.export({ type: 'spki', format: 'pem' }), second)

      // Revoked outside the gateway (the console): no key any more.
      await db.query('UPDATE terminal_credential SET revoked_at = now() WHERE terminal_id = $1', [terminalId])
      assert.equal(await currentPublicKeyObject(db, terminalId), undefined)
    })
  })
}
