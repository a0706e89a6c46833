/** Reads `test/fixtures/frames.hex`: `# name` lines followed by one frame in hex. */
import fs from 'node:fs'
import path from 'node:path'
import { hex } from '../src/bytes/hex.ts'

export interface CorpusFrame {
  name: string
  bytes: Uint8Array
}

export function loadCorpus(): CorpusFrame[] {
  const text = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/frames.hex'), 'utf8')
  const out: CorpusFrame[] = []
  let name = ''
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed.startsWith('#')) name = trimmed.slice(1).trim()
    else if (trimmed) out.push({ name, bytes: hex(trimmed) })
  }
  return out
}
