import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DETECTION_DEFAULT } from '../../policy/detection.ts'
import { SYLLABUS_2016 } from '../../policy/syllabus.ts'
import type { CrossRule } from '../rule.ts'
import { RULES } from '../rules/index.ts'
import { crossChunks, crossPasses, minuteSelection } from './batch.ts'

const day = (d: string) => new Date(`${d}T16:00:00Z`)
const show = (chunks: [Date, Date][]) =>
  chunks.map(([a, b]) => `${a.toISOString().slice(5, 10)}..${b.toISOString().slice(5, 10)}`)

describe('cross-rule chunks of a batch window', () => {
  it('a window of up to a week is one chunk', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-08'), 7)), ['03-01..03-08'])
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-02'), 7)), ['03-01..03-02'])
  })
  it('a longer window is cut into weeks sharing one day, the last one shorter', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-20'), 7)), [
      '03-01..03-08',
      '03-07..03-14',
      '03-13..03-20',
    ])
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-16'), 7)), [
      '03-01..03-08',
      '03-07..03-14',
      '03-13..03-16',
    ])
  })
  it('one-day chunks do not overlap and still end', () => {
    assert.deepEqual(show(crossChunks(day('2026-03-01'), day('2026-03-04'), 1)), [
      '03-01..03-02',
      '03-02..03-03',
      '03-03..03-04',
    ])
  })
})

describe('cross-rule passes of a window', () => {
  const show = (slices: number) =>
    crossPasses(RULES, slices).map((p) => ({
      rules: p.rules.map((r) => r.id).sort(),
      slice: p.load.studentSlice ? `${p.load.studentSlice.index}/${p.load.studentSlice.count}` : null,
      minutes: p.load.minutes ?? 'all',
      photos: p.load.photos ?? true,
    }))
  const student = ['coach-consistency', 'cross-training', 'daily-cap-exceeded', 'exam-city-audit', 'student-overlap']

  it('every cross rule runs in exactly one kind of pass, each loading only what its rules read', () => {
    assert.deepEqual(show(1), [
      { rules: student, slice: null, minutes: 'all', photos: false },
      { rules: ['coach-two-vehicles'], slice: null, minutes: 'open-last', photos: false },
      { rules: ['photo-duplicate', 'photo-near-duplicate'], slice: null, minutes: 'none', photos: true },
    ])
  })
  it('a large window reads its students in slices, every slice once', () => {
    const passes = show(3)
    assert.deepEqual(
      passes.filter((p) => p.slice !== null).map((p) => p.slice),
      ['0/3', '1/3', '2/3'],
    )
    assert.equal(passes.length, 5)
  })
  it('rules absent from the set leave their pass out', () => {
    assert.deepEqual(
      crossPasses(
        RULES.filter((r) => r.id === 'photo-duplicate'),
        4,
      ).map((p) => p.rules.map((r) => r.id)),
      [['photo-duplicate']],
    )
    assert.deepEqual(
      crossPasses(
        RULES.filter((r) => r.scope === 'session'),
        4,
      ),
      [],
    )
  })
})

describe('the minute records a student pass reads', () => {
  const student = RULES.filter((r): r is CrossRule => r.scope === 'cross' && r.reach === 'student')
  const byId = (...ids: string[]) => student.filter((r) => ids.includes(r.id))

  it('the default rules: sessions with another coach in their minutes, and students over the lower daily cap', () => {
    // 4 学时 of 60 minutes a day in both categories, no tolerance.
    assert.deepEqual(minuteSelection(student, DETECTION_DEFAULT, SYLLABUS_2016), {
      coachMismatch: true,
      studentDayOver: 240,
    })
  })
  it('the overlap and exam rules read no minute records', () => {
    assert.deepEqual(
      minuteSelection(byId('student-overlap', 'cross-training', 'exam-city-audit'), DETECTION_DEFAULT, SYLLABUS_2016),
      { coachMismatch: false, studentDayOver: null },
    )
  })
  it('the lower cap and the tolerance set the threshold; a disabled rule asks for nothing', () => {
    const syllabus = { ...SYLLABUS_2016, dailyCapHours: { classroom: 2, practical: 4 } }
    const policy = {
      ...DETECTION_DEFAULT,
      rules: {
        'daily-cap-exceeded': { enabled: true, params: { toleranceMinutes: 15 } },
        'coach-consistency': { enabled: false, params: {} },
      },
    }
    assert.deepEqual(minuteSelection(student, policy, syllabus), { coachMismatch: false, studentDayOver: 135 })
  })
  it('a rule that declares nothing gets every minute', () => {
    const undeclared: CrossRule = { ...byId('coach-consistency')[0]!, id: 'undeclared', minutes: undefined }
    assert.equal(minuteSelection([...student, undeclared], DETECTION_DEFAULT, SYLLABUS_2016), 'all')
  })
})
