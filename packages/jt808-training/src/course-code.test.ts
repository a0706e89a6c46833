import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { COURSE_PROJECT, formatCourseCode, parseCourseCode } from './course-code.ts'

describe('课程编码', () => {
  it('splits a practical course into its parts with Chinese labels', () => {
    const r = parseCourseCode('1212110000')
    assert.ok(r.ok)
    assert.deepEqual(r.value, {
      code: '1212110000',
      mode: 1,
      modeLabel: '实操',
      licenseTypeCode: '21',
      licenseType: 'C1',
      part: 2,
      partLabel: '第二部分',
      project: '11',
      projectLabel: '基础驾驶',
      projectMatchesPart: true,
      reserved: '0000',
      label: '实操 · C1 · 第二部分 · 基础驾驶',
    })
  })

  it('a classroom course may carry vehicle type 00', () => {
    const r = parseCourseCode('2001010000')
    assert.ok(r.ok)
    assert.equal(r.value.modeLabel, '课堂教学')
    assert.equal(r.value.licenseType, null)
    assert.equal(r.value.projectLabel, '法律、法规及道路交通信号')
    assert.equal(r.value.label, '课堂教学 · 不区分车型 · 第一部分 · 法律、法规及道路交通信号')
  })

  it('keeps and flags a project of another part or an unknown project', () => {
    const other = parseCourseCode('1212360000')
    assert.ok(other.ok)
    assert.equal(other.value.projectLabel, '综合驾驶及考核')
    assert.equal(other.value.projectMatchesPart, false)
    const unknown = parseCourseCode('3212990000')
    assert.ok(unknown.ok)
    assert.equal(unknown.value.modeLabel, '模拟器教学')
    assert.equal(unknown.value.projectLabel, undefined)
    assert.equal(unknown.value.projectMatchesPart, false)
    assert.equal(unknown.value.label, '模拟器教学 · C1 · 第二部分 · 项目99')
  })

  it('refuses structural faults with a code', () => {
    const cases: [string, string][] = [
      ['12121100', 'ERR_COURSE_CODE_FORMAT'],
      ['12121100a0', 'ERR_COURSE_CODE_FORMAT'],
      ['5212110000', 'ERR_COURSE_CODE_MODE'],
      ['1992110000', 'ERR_COURSE_CODE_LICENSE_TYPE'],
      ['1215110000', 'ERR_COURSE_CODE_PART'],
    ]
    for (const [code, expected] of cases) {
      const r = parseCourseCode(code)
      assert.equal(r.ok, false, code)
      if (!r.ok) assert.equal(r.code, expected, code)
    }
  })

  it('format and parse agree for every project', () => {
    for (const [project, part, label] of COURSE_PROJECT) {
      const code = formatCourseCode({ mode: 1, licenseType: 'B2', part, project })
      const r = parseCourseCode(code)
      assert.ok(r.ok, code)
      assert.equal(r.value.licenseType, 'B2')
      assert.equal(r.value.part, part)
      assert.equal(r.value.projectLabel, label)
      assert.equal(r.value.projectMatchesPart, true)
    }
    assert.equal(formatCourseCode({ mode: 2, licenseType: null, part: 4, project: '41' }), '2004410000')
  })
})
