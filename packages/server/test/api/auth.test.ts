import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/client.ts'
import { testEngines } from '../support/engines.ts'
import { buildFixture, type Fixture, loginAs, PASSWORD, testApp, XIHU } from './fixture.ts'

const engines = await testEngines()

for (const engine of engines) {
  describe(`login, sessions, API tokens and accounts [${engine.name}]`, { skip: engine.skip }, () => {
    let database: Database
    let app: FastifyInstance
    let fx: Fixture

    before(async () => {
      database = await engine.open()
      fx = await buildFixture(database)
      app = await testApp(database)
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const auditRows = (action: string) =>
      database.query<{ username: string | null; detail: Record<string, unknown> }>(
        'select username, detail from audit_log where action = $1 order by id',
        [action],
      )

    test('login sets an HTTP-only SameSite=Lax session cookie and /me returns the account with its permissions', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'xihu', password: PASSWORD },
      })
      assert.equal(res.statusCode, 200)
      const cookie = res.cookies.find((c) => c.name === 'jiapei_session')
      assert.ok(cookie)
      assert.equal(cookie.httpOnly, true)
      assert.equal(cookie.sameSite, 'Lax')
      assert.equal(cookie.path, '/')
      assert.ok(cookie.expires && cookie.expires.getTime() > Date.now() + 11 * 3600_000)
      const body = res.json()
      assert.equal(body.user.username, 'xihu')
      assert.equal(body.user.role, 'county')
      assert.equal(body.user.regionCode, XIHU)
      assert.equal(body.user.regionName, '西湖区')
      assert.ok(body.permissions.includes('registry:write'))

      // Only the hash of the cookie value is stored.
      const stored = await database.query<{ token_hash: string }>('select token_hash from user_session')
      assert.ok(stored.length >= 1)
      assert.ok(stored.every((s) => s.token_hash !== cookie.value && /^[0-9a-f]{64}$/.test(s.token_hash)))

      const me = await app.inject({ url: '/api/auth/me', headers: { cookie: `jiapei_session=${cookie.value}` } })
      assert.equal(me.statusCode, 200)
      assert.equal(me.json().user.roleLabel, '县（市、区）交通运输局')
      assert.equal((await auditRows('login')).at(-1)?.username, 'xihu')
    })

    test('an institution account reports its institution', async () => {
      const cookie = await loginAs(app, 'jigou')
      const me = (await app.inject({ url: '/api/auth/me', headers: { cookie } })).json()
      assert.equal(me.user.institutionId, fx.ids.institutions.xihu)
      assert.equal(me.user.institutionName, '西湖驾驶员培训学校')
      assert.equal(me.user.regionCode, XIHU)
      assert.ok(!me.permissions.includes('user:manage'))
    })

    test('a wrong password or unknown user is refused with one code and audit-logged', async () => {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'xihu', password: 'nope1234' },
      })
      assert.equal(bad.statusCode, 401)
      assert.equal(bad.json().code, 'ERR_AUTH_BAD_CREDENTIALS')
      assert.ok(bad.json().requestId)
      assert.equal(bad.cookies.length, 0)
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: PASSWORD },
      })
      assert.equal(unknown.json().code, 'ERR_AUTH_BAD_CREDENTIALS')
      const failed = await auditRows('login_failed')
      assert.deepEqual(
        failed.map((r) => r.detail.username),
        ['xihu', 'nobody'],
      )
    })

    test('requests without a session get 401 ERR_AUTH_REQUIRED; a forged cookie too', async () => {
      const none = await app.inject({ url: '/api/registry/students' })
      assert.equal(none.statusCode, 401)
      assert.equal(none.json().code, 'ERR_AUTH_REQUIRED')
      assert.equal(none.json().showType, 'redirect')
      const forged = await app.inject({ url: '/api/auth/me', headers: { cookie: 'jiapei_session=forged' } })
      assert.equal(forged.json().code, 'ERR_AUTH_REQUIRED')
    })

    test('an expired session is refused with ERR_AUTH_SESSION_EXPIRED', async () => {
      const cookie = await loginAs(app, 'yuhang')
      await database.query(
        `update user_session set expires_at = now() - interval '1 minute'
         where user_id = (select id from app_user where username = 'yuhang')`,
      )
      const res = await app.inject({ url: '/api/auth/me', headers: { cookie } })
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().code, 'ERR_AUTH_SESSION_EXPIRED')
    })

    test('logout ends the session', async () => {
      const cookie = await loginAs(app, 'hangzhou')
      const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })
      assert.equal(out.statusCode, 204)
      const me = await app.inject({ url: '/api/auth/me', headers: { cookie } })
      assert.equal(me.statusCode, 401)
      assert.equal((await auditRows('logout')).at(-1)?.username, 'hangzhou')
    })

    test('API tokens: created once in clear, usable as Bearer, listed without the secret, revocable', async () => {
      const cookie = await loginAs(app, 'hangzhou')
      const created = await app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: { cookie },
        payload: { name: '数据对接' },
      })
      assert.equal(created.statusCode, 201)
      const { id, token, prefix } = created.json()
      assert.match(token, /^jp_[A-Za-z0-9_-]{40,}$/)
      assert.ok(token.startsWith(prefix))

      const stored = await database.query<{ token_hash: string }>('select token_hash from api_token where id = $1', [
        id,
      ])
      assert.notEqual(stored[0]?.token_hash, token)

      const bearer = { authorization: `Bearer ${token}` }
      const me = await app.inject({ url: '/api/auth/me', headers: bearer })
      assert.equal(me.statusCode, 200)
      assert.equal(me.json().user.username, 'hangzhou')
      const list = await app.inject({ url: '/api/registry/institutions', headers: bearer })
      assert.equal(list.statusCode, 200)
      assert.equal(list.json().total, 2)

      const tokens = (await app.inject({ url: '/api/auth/tokens', headers: { cookie } })).json()
      assert.equal(tokens.length, 1)
      assert.equal(tokens[0].name, '数据对接')
      assert.equal(tokens[0].token, undefined)
      assert.ok(tokens[0].lastUsedAt)

      // Another account cannot revoke it.
      const other = await loginAs(app, 'ningbo')
      const foreign = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { cookie: other } })
      assert.equal(foreign.statusCode, 404)

      const revoked = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { cookie } })
      assert.equal(revoked.statusCode, 204)
      const after = await app.inject({ url: '/api/auth/me', headers: bearer })
      assert.equal(after.statusCode, 401)
      assert.equal(after.json().code, 'ERR_AUTH_TOKEN_INVALID')
      const bogus = await app.inject({ url: '/api/auth/me', headers: { authorization: 'Bearer jp_nope' } })
      assert.equal(bogus.json().code, 'ERR_AUTH_TOKEN_INVALID')
    })

    test('a city creates accounts only inside its city, with a strong password and a free username', async () => {
      const cookie = await loginAs(app, 'hangzhou')
      const post = (payload: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/users', headers: { cookie }, payload })
      const base = { displayName: '新账号', password: 'Abcdef123' }

      const ok = await post({ ...base, username: 'xihu2', role: 'county', regionCode: XIHU })
      assert.equal(ok.statusCode, 201)
      assert.equal(ok.json().regionCode, XIHU)
      assert.equal(ok.json().roleLabel, '县（市、区）交通运输局')
      await loginAs(app, 'xihu2', 'Abcdef123')

      assert.equal(
        (await post({ ...base, username: 'nb2', role: 'county', regionCode: '330203' })).json().code,
        'ERR_AUTH_OUT_OF_SCOPE',
      )
      assert.equal(
        (await post({ ...base, username: 'sh2', role: 'province', regionCode: '330000' })).json().code,
        'ERR_AUTH_OUT_OF_SCOPE',
      )
      assert.equal(
        (await post({ ...base, username: 'weak', role: 'county', regionCode: XIHU, password: 'abcdefgh' })).json().code,
        'ERR_AUTH_WEAK_PASSWORD',
      )
      assert.equal(
        (await post({ ...base, username: 'xihu', role: 'county', regionCode: XIHU })).json().code,
        'ERR_AUTH_USERNAME_TAKEN',
      )
      const inst = await post({
        ...base,
        username: 'nbjx',
        role: 'institution',
        institutionId: fx.ids.institutions.haishu,
      })
      assert.equal(inst.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const op = await post({ ...base, username: 'op2', role: 'operator', timingPlatformId: fx.ids.platforms.p1 })
      assert.equal(op.json().code, 'ERR_AUTH_FORBIDDEN')

      const listed = (await app.inject({ url: '/api/users?pageSize=100', headers: { cookie } })).json()
      const names = listed.items.map((u: { username: string }) => u.username).sort()
      assert.deepEqual(names, ['hangzhou', 'jiaolian', 'jigou', 'xihu', 'xihu2', 'xueyuan', 'yuhang', 'zhifa'])
    })

    test('a county manager cannot create a city account; an institution cannot manage users', async () => {
      const county = await loginAs(app, 'xihu')
      const res = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: county },
        payload: { username: 'hz3', displayName: 'x', password: 'Abcdef123', role: 'city', regionCode: '330100' },
      })
      assert.equal(res.statusCode, 403)
      assert.equal(res.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const yuhangAccount = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: county },
        payload: { username: 'yh3', displayName: 'x', password: 'Abcdef123', role: 'county', regionCode: '330110' },
      })
      assert.equal(yuhangAccount.statusCode, 403)
      assert.equal(yuhangAccount.json().code, 'ERR_AUTH_OUT_OF_SCOPE')
      const inst = await loginAs(app, 'jigou')
      const list = await app.inject({ url: '/api/users', headers: { cookie: inst } })
      assert.equal(list.statusCode, 403)
      assert.equal(list.json().code, 'ERR_AUTH_FORBIDDEN')
    })

    test('a disabled account can no longer log in and its sessions end', async () => {
      const victim = await loginAs(app, 'zhifa')
      const manager = await loginAs(app, 'xihu')
      const users = (await app.inject({ url: '/api/users?q=zhifa', headers: { cookie: manager } })).json()
      const id = users.items[0].id
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/users/${id}`,
        headers: { cookie: manager },
        payload: { disabled: true },
      })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().disabled, true)
      assert.equal((await app.inject({ url: '/api/auth/me', headers: { cookie: victim } })).statusCode, 401)
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'zhifa', password: PASSWORD },
      })
      assert.equal(login.statusCode, 403)
      assert.equal(login.json().code, 'ERR_AUTH_ACCOUNT_DISABLED')
    })
  })
}
