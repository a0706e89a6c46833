import assert from 'node:assert/strict'
import {
  classroomSession,
  FIELD,
  FIELD_RING,
  offsetFromCenter,
  POINT_OUTSIDE,
  patchMinutes,
  practicalSession,
} from './fixtures.ts'
import { outsideTeachingArea } from './outside-teaching-area.ts'
import { tableTest } from './testing.ts'

const base = practicalSession({ minutes: 10 })
const [lng, lat] = POINT_OUTSIDE
const justInside = offsetFromCenter(199, 0)
const justOutside = offsetFromCenter(201, 0)
const hole = [
  offsetFromCenter(-50, -50),
  offsetFromCenter(50, -50),
  offsetFromCenter(50, 50),
  offsetFromCenter(-50, 50),
  offsetFromCenter(-50, -50),
]

tableTest(outsideTeachingArea, [
  { name: 'every fix inside the field', facts: base },
  {
    name: 'fixes 2 km away are invalid, with the fixes in the evidence',
    facts: patchMinutes(base, [2, 3], { lng, lat }),
    invalid: [2, 3],
    summary: /2 分钟定位点不在任何教学区域（共 1 个场地）内/,
    check: (r) => assert.equal((r.findings[0]!.evidence.details!.outsideFixes as unknown[]).length, 2),
  },
  { name: '1 m inside the edge is inside', facts: patchMinutes(base, [2], { lng: justInside[0], lat: justInside[1] }) },
  {
    name: '1 m outside the edge is outside',
    facts: patchMinutes(base, [2], { lng: justOutside[0], lat: justOutside[1] }),
    invalid: [2],
  },
  {
    name: 'a fix in a hole of the polygon is outside',
    facts: {
      ...patchMinutes(base, [1], { lng: offsetFromCenter(0, 0)[0], lat: offsetFromCenter(0, 0)[1] }),
      fields: [{ ...FIELD, polygon: [FIELD_RING, hole] }],
    },
    invalid: [1],
  },
  {
    name: 'inside a second field counts',
    facts: {
      ...patchMinutes(base, [2], { lng, lat }),
      fields: [
        FIELD,
        {
          ...FIELD,
          id: 602,
          polygon: [
            [
              offsetFromCenter(-100, 1900),
              offsetFromCenter(100, 1900),
              offsetFromCenter(100, 2100),
              offsetFromCenter(-100, 2100),
              offsetFromCenter(-100, 1900),
            ],
          ],
        },
      ],
    },
  },
  {
    name: 'part 3 (road) is not judged by default',
    facts: patchMinutes(practicalSession({ minutes: 10, session: { part: 3 } }), [2], { lng, lat }),
  },
  {
    name: 'part 3 is judged when the policy lists it',
    facts: patchMinutes(practicalSession({ minutes: 10, session: { part: 3 } }), [2], { lng, lat }),
    params: { parts: '2,3' },
    invalid: [2],
  },
  {
    name: 'a fix 8 m outside the edge is inside a 10 m tolerance',
    facts: patchMinutes(base, [2], { lng: offsetFromCenter(208, 0)[0], lat: offsetFromCenter(208, 0)[1] }),
    params: { toleranceM: 10 },
  },
  {
    name: 'a fix 12 m outside the edge is outside a 10 m tolerance',
    facts: patchMinutes(base, [2], { lng: offsetFromCenter(212, 0)[0], lat: offsetFromCenter(212, 0)[1] }),
    params: { toleranceM: 10 },
    invalid: [2],
    check: (r) => assert.equal(r.findings[0]!.evidence.details!.toleranceM, 10),
  },
  {
    name: 'a fix 12 m past the corner (diagonal 8.5 m each way) is outside the polygon but within 15 m',
    facts: patchMinutes(base, [2], { lng: offsetFromCenter(208.5, 158.5)[0], lat: offsetFromCenter(208.5, 158.5)[1] }),
    params: { toleranceM: 15 },
  },
  {
    name: 'the tolerance also forgives a fix just inside a hole, near its edge',
    facts: {
      ...patchMinutes(base, [1], { lng: offsetFromCenter(45, 0)[0], lat: offsetFromCenter(45, 0)[1] }),
      fields: [{ ...FIELD, polygon: [FIELD_RING, hole] }],
    },
    params: { toleranceM: 10 },
  },
  { name: 'a minute without a fix is not judged', facts: patchMinutes(base, [2], { lng: null, lat: null }) },
  {
    name: 'an institution without field polygons is not judged',
    facts: { ...patchMinutes(base, [2], { lng, lat }), fields: [{ ...FIELD, polygon: null }] },
  },
  { name: 'classroom sessions are not judged', facts: classroomSession({ minutes: 5 }) },
])
