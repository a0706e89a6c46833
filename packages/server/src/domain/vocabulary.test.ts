import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as vocabulary from './vocabulary.ts'
import { CLASS_LEVEL, EMPLOYMENT_STATUS, labelOf, labelsOf, type Vocabulary, valuesOf } from './vocabulary.ts'

const ALL = Object.entries(vocabulary as Record<string, unknown>).filter((entry): entry is [string, Vocabulary] =>
  Array.isArray(entry[1]),
)

describe('vocabularies of coded values', () => {
  test('every vocabulary has values and Chinese labels, none twice', () => {
    assert.ok(ALL.length >= 15)
    for (const [name, terms] of ALL) {
      assert.ok(terms.length >= 2, name)
      const values = terms.map(([v]) => v)
      const labels = terms.map(([, l]) => l)
      assert.equal(new Set(values).size, values.length, `${name}: duplicate value`)
      assert.equal(new Set(labels).size, labels.length, `${name}: duplicate label`)
      assert.ok(
        values.every((v) => typeof v === typeof values[0]),
        `${name}: values are all numbers or all strings`,
      )
      for (const label of labels) assert.match(label, /\p{Script=Han}/u, `${name}: ${label}`)
    }
  })

  test('values keep their order and type; labels are keyed by the value as text', () => {
    assert.deepEqual(valuesOf(CLASS_LEVEL), [1, 2, 3])
    assert.deepEqual(valuesOf(EMPLOYMENT_STATUS), ['employed', 'suspended', 'left'])
    assert.deepEqual(labelsOf(CLASS_LEVEL), { 1: '一级', 2: '二级', 3: '三级' })
    assert.equal(labelOf(CLASS_LEVEL, 2), '二级')
    assert.equal(labelOf(CLASS_LEVEL, '2'), '二级')
    assert.equal(labelOf(EMPLOYMENT_STATUS, 'left'), '离职')
    assert.equal(labelOf(EMPLOYMENT_STATUS, 'gone'), undefined)
  })
})
