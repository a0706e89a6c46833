import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { dedupe } from '../../src/ingestion/dedupe.ts'
import { normalizeEnvelope } from '../../src/ingestion/normalize/events.ts'
import { beijingToUtc, minuteOfRecord, utcToBeijing } from '../../src/ingestion/normalize/time.ts'
import { lessonEnvelopes } from './lesson.ts'

const PEOPLE = {
  terminalId: 1,
  phone: '14700000001',
  deviceNo: 'DEV0000000000001',
  studentNo: 'ST00000000000001',
  coachNo: 'CO00000000000001',
}
const START = new Date('2026-01-31T16:00:00Z') // 2026-02-01 00:00 Beijing

describe('normalize: time', () => {
  test('terminal BCD times are Beijing time and become UTC here', () => {
    assert.deepEqual(beijingToUtc('260201000000'), new Date('2026-01-31T16:00:00Z'))
    assert.deepEqual(beijingToUtc('261231235959'), new Date('2026-12-31T15:59:59Z'))
    assert.equal(beijingToUtc('260231080000'), null) // 31 February
    assert.equal(beijingToUtc('261301080000'), null)
    assert.equal(beijingToUtc('2602010800'), null)
    assert.equal(utcToBeijing(new Date('2026-01-31T16:00:00Z')), '260201000000')
  })

  test('a minute record covers the minute named by its 编号 date and its 记录产生时间', () => {
    assert.deepEqual(minuteOfRecord('DEV00000000000012602010540', '090059'), new Date('2026-02-01T01:00:00Z'))
    assert.equal(minuteOfRecord('short', '090059'), null)
  })
})

describe('normalize: events', () => {
  const envelopes = lessonEnvelopes(PEOPLE, { start: START, minutes: 2, classId: 5 })

  test('login, positions, minute records and logout become events in platform units', () => {
    const events = envelopes.flatMap((e) => normalizeEnvelope(e).events)
    assert.deepEqual(
      events.map((e) => e.kind),
      ['login', 'position', 'position', 'position', 'minute', 'position', 'position', 'position', 'minute', 'logout'],
    )
    const login = events[0]
    assert.equal(login?.kind, 'login')
    assert.deepEqual(login?.kind === 'login' && login.at, START)
    const position = events[1]
    assert.ok(position?.kind === 'position')
    assert.equal(position.lat, 30.234567)
    assert.equal(position.speedKmh, 24.8)
    assert.equal(position.mileageM, 100_000)
    const minute = events[4]
    assert.ok(minute?.kind === 'minute')
    assert.equal(minute.recordNo, 'DEV00000000000012602010000')
    assert.deepEqual(minute.minuteAt, START)
    assert.equal(minute.mileageM, 400)
    assert.equal(minute.backfill, false)
  })

  test('an envelope without a decoded message is decoded from its frame; a decode error yields no events', () => {
    const { message: _, ...bare } = envelopes[1]!
    assert.equal(normalizeEnvelope(bare).events.length, 1)
    const broken = normalizeEnvelope({ ...bare, decodeError: 'ERR_CODEC_CHECKSUM' })
    assert.deepEqual(broken, {
      envelope: { ...bare, decodeError: 'ERR_CODEC_CHECKSUM' },
      decodeError: 'ERR_CODEC_CHECKSUM',
      events: [],
    })
  })

  test('the 补传 attribute of the 驾培 envelope is kept', () => {
    const backfill = lessonEnvelopes(PEOPLE, { start: START, minutes: 1, classId: 5, backfill: true })
    const minute = backfill.flatMap((e) => normalizeEnvelope(e).events).find((e) => e.kind === 'minute')
    assert.equal(minute?.backfill, true)
  })
})

describe('dedupe', () => {
  test('one row per natural key; the session merges login, minutes and logout', () => {
    const envelopes = lessonEnvelopes(PEOPLE, { start: START, minutes: 3, classId: 5 })
    const twice = [...envelopes, ...envelopes].map(normalizeEnvelope)
    const plan = dedupe(twice)
    assert.equal(plan.raw.length, envelopes.length)
    assert.equal(plan.positions.length, 9)
    assert.equal(plan.minutes.length, 3)
    assert.equal(plan.sessions.length, 1)
    const [session] = plan.sessions
    assert.deepEqual(session?.startedAt, START)
    assert.deepEqual(session?.endedAt, new Date(START.getTime() + 3 * 60_000 + 10_000))
    assert.equal(session?.startInferred, false)
    assert.equal(session?.studentNo, PEOPLE.studentNo)
  })

  test('without a login the start is inferred from the earliest minute or the logout', () => {
    const envelopes = lessonEnvelopes(PEOPLE, { start: START, minutes: 3, classId: 6 }).slice(1)
    const [session] = dedupe(envelopes.map(normalizeEnvelope)).sessions
    assert.equal(session?.startInferred, true)
    // The first minute (START) is earlier than logout − 3 min (START + 10 s).
    assert.deepEqual(session?.startedAt, START)
    assert.equal(session?.coachNo, PEOPLE.coachNo)
  })
})
