#!/usr/bin/env node
// Builds the web console with Vite when its output is missing or older than its sources, so
// `npm start` and the browser test always serve the current console without a rebuild every time.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const web = path.resolve(import.meta.dirname, '../packages/web')
const stamp = path.join(web, 'dist/index.html')

function newest(dir) {
  let t = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs)
  }
  return t
}

const server = path.join(web, '../server/src')
const sources = Math.max(
  newest(path.join(web, 'src')),
  ...['index.html', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(web, f)).mtimeMs),
  // The pure server modules the console imports (see packages/web/src/validation.ts).
  newest(path.join(server, 'domain')),
  fs.statSync(path.join(server, 'auth/roles.ts')).mtimeMs,
)
if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources && !process.argv.includes('--force')) process.exit(0)
console.log('构建 Web 控制台 / building the web console …')
const r = spawnSync(
  process.execPath,
  [path.join(web, '../../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
  { cwd: web, stdio: 'inherit' },
)
process.exit(r.status ?? 1)
