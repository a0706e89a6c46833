#!/usr/bin/env node
// Runs every test of the project in one `node --test` invocation, so the closing summary
// (tests / pass / fail) covers the whole suite. Database tests run each case on PGlite and on the
// PostgreSQL server (see packages/server/test/support/engines.ts).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const roots = fs.readdirSync(path.join(root, 'packages')).flatMap((p) => [`packages/${p}/src`, `packages/${p}/test`])
const files = []
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full)
    } else if (entry.name.endsWith('.test.ts')) files.push(path.relative(root, full))
  }
}
for (const r of roots) if (fs.existsSync(path.join(root, r))) walk(path.join(root, r))
const filter = process.argv.slice(2)
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files
selected.sort()

// The browser test needs the built console; build it once if it is missing or stale.
if (selected.some((f) => f.includes('browser'))) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-web.mjs')], { stdio: 'inherit', cwd: root })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected],
  { stdio: 'inherit', cwd: root, env: { ...process.env, JIAPEI_LOG_LEVEL: process.env.JIAPEI_LOG_LEVEL ?? 'silent' } },
)
process.exit(result.status ?? 1)
