/**
 * Every registered rule is a complete unit: a unique kebab-case id, Chinese and English titles, a
 * doc page docs/rules/<id>.md that names every parameter, a table-driven test <id>.test.ts beside
 * its source, and parameters whose defaults have a usable type.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { RULES, ruleById } from './index.ts'

const here = dirname(fileURLToPath(import.meta.url))
const docsDir = join(here, '..', '..', '..', '..', '..', 'docs', 'rules')
const SEVERITIES = new Set(['low', 'medium', 'high', 'critical'])

describe('rule registry integrity', () => {
  it('has rules, each with a unique kebab-case id found by ruleById', () => {
    assert.ok(RULES.length > 0)
    const ids = RULES.map((r) => r.id)
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`)
    for (const r of RULES) {
      assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, r.id)
      assert.equal(ruleById(r.id), r)
    }
    assert.equal(ruleById('no-such-rule'), undefined)
  })

  for (const rule of RULES) {
    describe(rule.id, () => {
      it('declares titles, severity, requirements, basis and version', () => {
        assert.match(rule.title.zh, /[\u4e00-\u9fff]/, 'Chinese title')
        assert.match(rule.title.en, /[A-Za-z]/, 'English title')
        assert.ok(SEVERITIES.has(rule.severity), rule.severity)
        assert.ok(rule.requirements.length > 0)
        assert.ok(rule.basis.trim().length > 0)
        assert.ok(Number.isInteger(rule.version) && rule.version >= 1)
        assert.ok(rule.scope === 'session' || rule.scope === 'cross')
        if (rule.scope === 'session') assert.equal(typeof rule.invalidates, 'boolean')
      })

      it('has parameters with defaults of a usable type and a description', () => {
        for (const [name, spec] of Object.entries(rule.params)) {
          assert.match(name, /^[a-z][A-Za-z0-9]*$/, `${rule.id}.${name}: camelCase`)
          const t = typeof spec.default
          assert.ok(t === 'number' || t === 'string' || t === 'boolean', `${rule.id}.${name}: default type ${t}`)
          if (t === 'number') assert.ok(Number.isFinite(spec.default), `${rule.id}.${name}: finite default`)
          assert.ok(spec.description.trim().length > 0, `${rule.id}.${name}: description`)
        }
      })

      it('has a doc page naming every parameter', () => {
        const path = join(docsDir, `${rule.id}.md`)
        assert.ok(existsSync(path), `missing docs/rules/${rule.id}.md`)
        const doc = readFileSync(path, 'utf8')
        assert.ok(doc.includes(rule.id), 'the page names its rule id')
        for (const name of Object.keys(rule.params))
          assert.ok(doc.includes(name), `docs/rules/${rule.id}.md: parameter ${name}`)
      })

      it('has a table-driven test beside its source', () => {
        assert.ok(existsSync(join(here, `${rule.id}.test.ts`)), `missing ${rule.id}.test.ts`)
        assert.ok(existsSync(join(here, `${rule.id}.ts`)), `missing ${rule.id}.ts`)
      })
    })
  }
})
