// Writes the generated reference pages (see packages/server/src/meta/reference-docs.ts).
import fs from 'node:fs'
import path from 'node:path'
import { REFERENCE_DOCS } from '../packages/server/src/meta/reference-docs.ts'

const root = path.resolve(import.meta.dirname, '..')
for (const [file, render] of Object.entries(REFERENCE_DOCS)) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
  fs.writeFileSync(path.join(root, file), render())
  console.log(`wrote ${file}`)
}
