import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { column, ENTITIES, ENTITY_NAMES } from './definitions.ts'

describe('registry definitions', () => {
  test('every enum field has a label per value; text columns allow exactly those values', () => {
    let checked = 0
    for (const name of ENTITY_NAMES) {
      const def = ENTITIES[name]
      for (const field of def.fields.filter((f) => f.kind === 'enum' && f.valueLabels)) {
        const values = field.values ?? []
        assert.deepEqual(Object.keys(field.valueLabels ?? {}).sort(), values.map(String).sort(), field.key)
        const col = column(def, field.key) as unknown as { columnType: string; enumValues?: readonly string[] }
        if (col.columnType === 'PgText') assert.deepEqual(col.enumValues, values, `${def.table}.${field.key}`)
        else {
          assert.equal(col.columnType, 'PgInteger', `${def.table}.${field.key}`)
          assert.ok(
            values.every((v) => Number.isInteger(v)),
            `${def.table}.${field.key} values are integers`,
          )
        }
        checked++
      }
    }
    assert.equal(checked, 16)
  })
})
