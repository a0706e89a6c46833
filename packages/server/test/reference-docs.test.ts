import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { REFERENCE_DOCS } from '../src/meta/reference-docs.ts'

const root = path.resolve(import.meta.dirname, '../../..')

for (const [file, render] of Object.entries(REFERENCE_DOCS)) {
  test(`${file} is up to date with the code (run npm run gen:docs)`, () => {
    assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), render())
  })
}
