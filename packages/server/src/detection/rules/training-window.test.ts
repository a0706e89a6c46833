import { classroomSession, practicalSession, range } from './fixtures.ts'
import { tableTest } from './testing.ts'
import { trainingWindow } from './training-window.ts'

const at = (local: string) => new Date(`${local}+08:00`)
const withCity = (windows: ReturnType<typeof practicalSession>['windows']) => ({
  ...windows,
  byCity: { '330100': { 1: [{ from: '08:00', to: '18:00' }] } },
})

tableTest(trainingWindow, [
  { name: 'a practical session at 10:00 is inside 06:00–22:00', facts: practicalSession() },
  {
    name: 'starting 05:58: the two minutes before 06:00 are invalid (from inclusive)',
    facts: practicalSession({ minutes: 5, startAt: at('2026-03-10T05:58:00') }),
    invalid: [0, 1],
    summary: /2 分钟不在实操有效培训时段（06:00–22:00）：05:58–05:59/,
  },
  {
    name: 'ending across 22:00: minutes from 22:00 are invalid (to exclusive)',
    facts: practicalSession({ minutes: 4, startAt: at('2026-03-10T21:58:00') }),
    invalid: [2, 3],
  },
  {
    name: 'classroom uses its own window (07:00–22:00): 06:30 is invalid for classroom',
    facts: classroomSession({ minutes: 3, startAt: at('2026-03-10T06:30:00') }),
    invalid: 'all',
    summary: /课堂教学有效培训时段（07:00–22:00）/,
  },
  {
    name: 'a city window replaces the default for its mode',
    facts: {
      ...practicalSession({ minutes: 3, startAt: at('2026-03-10T07:00:00') }),
      windows: withCity(practicalSession().windows),
    },
    invalid: 'all',
    summary: /08:00–18:00/,
  },
  {
    name: 'a city window of another city does not apply',
    facts: {
      ...practicalSession({ minutes: 3, startAt: at('2026-03-10T07:00:00'), session: { cityCode: '330200' } }),
      windows: withCity(practicalSession().windows),
    },
  },
  {
    name: 'a session of unknown mode is not judged',
    facts: practicalSession({ minutes: 3, startAt: at('2026-03-10T03:00:00'), session: { mode: null } }),
  },
  {
    name: 'a night session is wholly invalid with one finding',
    facts: practicalSession({ minutes: 30, startAt: at('2026-03-10T23:00:00') }),
    invalid: range(0, 30),
    findings: 1,
  },
])
