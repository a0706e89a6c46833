import assert from 'node:assert/strict'
import { classroomSession, patchPhotos, practicalSession, range } from './fixtures.ts'
import { photoCadence } from './photo-cadence.ts'
import { tableTest } from './testing.ts'

// 60 minutes: sign-in (17) at +5 s, training photos (19) at 15, 30, 45 min, sign-out (18) 5 s before 60.
const base = practicalSession({ minutes: 60 })
const MIN = 60_000
const moved = (index: number, ms: number) =>
  patchPhotos(base, [index], { takenAt: new Date(base.photos[index]!.takenAt!.getTime() + ms) })

tableTest(photoCadence, [
  { name: 'every expected photo present and good', facts: base },
  {
    name: 'the 15-minute photo missing: minutes 8–22 (±7) invalid',
    facts: patchPhotos(base, [1], null),
    invalid: range(8, 23),
    summary:
      /应拍 5 张照片，缺失 1 张、不合格 0 张（每 15 分钟一张，容差 3 分钟）：10:15 培训照片缺失；前后 7 分钟内 15 分钟无效/,
  },
  {
    name: 'a dark 30-minute photo: minutes 23–37 invalid, the photo linked',
    facts: patchPhotos(base, [2], { meanLuma: 5 }),
    invalid: range(23, 38),
    summary: /培训照片不合格（过暗）/,
    check: (r, f) => assert.deepEqual(r.findings[0]!.evidence.photos, [f.photos[2]!.id]),
  },
  { name: 'a photo 3 min late is on time (boundary)', facts: moved(2, 3 * MIN) },
  { name: 'a photo 3 min 1 s late is missing', facts: moved(2, 3 * MIN + 1000), invalid: range(23, 38) },
  { name: 'a wider tolerance accepts it', facts: moved(2, 4 * MIN), params: { toleranceMinutes: 5 } },
  {
    name: 'two consecutive missing photos: the whole log',
    facts: patchPhotos(base, [1, 2], null),
    invalid: 'all',
    summary: /连续 2 张缺失或不合格（阈值 2 张），整条日志 60 分钟无效/,
  },
  {
    name: 'two non-consecutive missing photos: only around each',
    facts: patchPhotos(base, [1, 3], null),
    invalid: [...range(8, 23), ...range(38, 53)],
  },
  {
    name: 'maxConsecutiveBad 3 tolerates two in a row',
    facts: patchPhotos(base, [1, 2], null),
    params: { maxConsecutiveBad: 3 },
    invalid: range(8, 38),
  },
  { name: 'sign-in photo missing: minutes 0–7', facts: patchPhotos(base, [0], null), invalid: range(0, 8) },
  { name: 'sign-out photo missing: minutes 53–59', facts: patchPhotos(base, [4], null), invalid: range(53, 60) },
  {
    name: 'a sign-in slot needs event 17',
    facts: patchPhotos(base, [0], { eventType: 19 }),
    invalid: range(0, 8),
    summary: /登录照片缺失/,
  },
  {
    name: 'a coach photo does not stand for the student',
    facts: patchPhotos(base, [1], { eventType: 20 }),
    invalid: range(8, 23),
  },
  {
    name: 'face too far from the registered photo is bad',
    facts: patchPhotos(base, [3], { faceDistance: 0.7 }),
    invalid: range(38, 53),
    summary: /人脸与备案照片不符/,
  },
  { name: 'low face confidence is bad', facts: patchPhotos(base, [3], { faceConfidence: 40 }), invalid: range(38, 53) },
  {
    name: 'a narrower invalidation window',
    facts: patchPhotos(base, [1], null),
    params: { invalidateWindowMinutes: 3 },
    invalid: range(12, 19),
  },
  {
    name: 'a shorter interval expects more photos',
    facts: base,
    params: { intervalMinutes: 10 },
    invalid: 'all',
    summary: /应拍 7 张照片，缺失 4 张/,
  },
  {
    name: 'an open session is not judged',
    facts: { ...patchPhotos(base, [1, 2], null), session: { ...base.session, endedAt: null } },
  },
  {
    name: 'exchange records are not judged by default',
    facts: { ...patchPhotos(base, [1, 2], null), session: { ...base.session, source: 'exchange', terminalId: null } },
  },
  {
    name: 'exchange records judged when the policy says so',
    facts: { ...patchPhotos(base, [1], null), session: { ...base.session, source: 'exchange', terminalId: null } },
    params: { judgeExchange: true },
    invalid: range(8, 23),
  },
  {
    name: 'classroom logs are judged',
    facts: patchPhotos(classroomSession({ minutes: 60 }), [0], null),
    invalid: range(0, 8),
  },
  {
    name: 'classroom logs not judged when the policy drops mode 2',
    facts: patchPhotos(classroomSession({ minutes: 60 }), [0], null),
    params: { modes: '1' },
  },
])
