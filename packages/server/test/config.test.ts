import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../src/config/load.ts'

describe('loadConfig', () => {
  test('defaults: embedded PGlite under ./data, port 3000, 12-hour sessions, api role', () => {
    const config = loadConfig({}, '/srv/jiapei')
    assert.equal(config.http.host, '127.0.0.1')
    assert.equal(config.http.port, 3000)
    assert.equal(config.http.cookieSecure, false)
    assert.equal(config.http.sessionTtlHours, 12)
    assert.equal(config.gateway.port, 7611)
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: path.join('/srv/jiapei', 'data', 'pglite') })
    assert.equal(config.dataDir, path.join('/srv/jiapei', 'data'))
    assert.deepEqual(config.roles, ['api'])
    assert.equal(config.logLevel, 'info')
    assert.deepEqual(config.demo, {
      enabled: false,
      scale: 'small',
      seed: 20210401,
      terminals: 8,
      speedup: 10,
      historyDays: 14,
    })
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.http))
  })

  test('explicit values are used', () => {
    const config = loadConfig({
      JIAPEI_HTTP_PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/jiapei',
      JIAPEI_COOKIE_SECURE: 'yes',
      JIAPEI_SESSION_TTL_HOURS: '2',
      JIAPEI_DEMO: 'true',
      JIAPEI_DEMO_SCALE: 'city',
      JIAPEI_DEMO_HISTORY_DAYS: '0',
    })
    assert.equal(config.http.port, 8080)
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://u@db:5432/jiapei' })
    assert.equal(config.http.cookieSecure, true)
    assert.equal(config.http.sessionTtlHours, 2)
    assert.equal(config.demo.enabled, true)
    assert.equal(config.demo.scale, 'city')
    assert.equal(config.demo.historyDays, 0)
  })

  test('photo analysis: cascade detector at 160 px and one model thread unless set; a bad tiny input is refused', () => {
    const defaults = loadConfig({}).photos
    assert.equal(defaults.detector, 'cascade')
    assert.equal(defaults.tinyInputSize, 160)
    assert.equal(defaults.faceThreads, 1)
    const set = loadConfig({
      JIAPEI_PHOTO_DETECTOR: 'ssd',
      JIAPEI_PHOTO_TINY_INPUT: '224',
      JIAPEI_PHOTO_FACE_THREADS: '2',
    }).photos
    assert.deepEqual([set.detector, set.tinyInputSize, set.faceThreads], ['ssd', 224, 2])
    for (const bad of ['100', '96', '640', 'large']) {
      assert.throws(
        () => loadConfig({ JIAPEI_PHOTO_TINY_INPUT: bad }),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.includes('JIAPEI_PHOTO_TINY_INPUT')),
      )
    }
    assert.throws(() => loadConfig({ JIAPEI_PHOTO_FACE_THREADS: '0' }), ConfigError)
  })

  test('every bad variable is reported in one ConfigError', () => {
    const env = {
      JIAPEI_HTTP_PORT: '70000',
      DATABASE_URL: 'mysql://root@localhost/db',
      JIAPEI_ROLES: 'api,gatewayx',
      JIAPEI_COOKIE_SECURE: 'maybe',
      JIAPEI_SESSION_TTL_HOURS: '0',
    }
    let error: unknown
    try {
      loadConfig(env)
    } catch (e) {
      error = e
    }
    assert.ok(error instanceof ConfigError)
    assert.equal(error.code, 'ERR_CONFIG_INVALID')
    const named = [
      'JIAPEI_HTTP_PORT',
      'DATABASE_URL',
      'JIAPEI_ROLES',
      'JIAPEI_COOKIE_SECURE',
      'JIAPEI_SESSION_TTL_HOURS',
    ]
    assert.equal(error.problems.length, named.length)
    for (const name of named) {
      assert.ok(
        error.problems.some((p) => p.includes(name)),
        `${name} is reported`,
      )
    }
  })
})
