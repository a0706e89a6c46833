/**
 * Fixture tables for message codecs (STYLE §E, after mqtt-packet's testParseGenerate): each
 * fixture is expanded into parse (hex → value, nothing left over), generate (value → the same
 * hex), mirror (generate then parse gives the value back) and explain (every byte annotated, no
 * error) tests.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hex, toHex } from '../src/bytes/hex.ts'
import type { ExplainNode } from '../src/bytes/reader.ts'
import type { ProtocolVersion } from '../src/header.ts'
import type { MessageDefinition } from '../src/message.ts'

export interface Fixture<B> {
  name: string
  version?: ProtocolVersion
  /** Body hex (spaces allowed). */
  hex: string
  value: B
}

export function roundTrip<B>(def: MessageDefinition<B>, fixtures: Fixture<B>[]): void {
  describe(`${hexId(def.id)} ${def.specName}`, () => {
    for (const f of fixtures) {
      const ctx = { version: f.version ?? 'jiapei' } as const
      const bytes = hex(f.hex)
      it(`${f.name}: parse`, () => {
        const result = def.decode(bytes, ctx)
        assert.ok(result.ok, result.ok ? '' : `${result.code} @${result.offset}: ${result.message}`)
        assert.deepStrictEqual(result.value, f.value)
      })
      it(`${f.name}: generate`, () => {
        assert.equal(toHex(def.encode(f.value, ctx)), toHex(bytes))
      })
      it(`${f.name}: mirror`, () => {
        const result = def.decode(def.encode(f.value, ctx), ctx)
        assert.ok(result.ok)
        assert.deepStrictEqual(result.value, f.value)
      })
      it(`${f.name}: explain`, () => {
        const { nodes, error } = def.explain(bytes, ctx)
        assert.equal(error, undefined)
        assertCovers(nodes, 0, bytes.length)
      })
    }
  })
}

/** The top-level explain nodes tile [start, end) without gaps or overlaps. */
export function assertCovers(nodes: ExplainNode[], start: number, end: number): void {
  let at = start
  for (const n of nodes) {
    assert.equal(n.offset, at, `${n.name} starts at ${n.offset}, expected ${at}`)
    assert.ok(n.name.length > 0)
    if (n.children) assertCovers(n.children, n.offset, n.offset + n.length)
    at += n.length
  }
  assert.equal(at, end, `fields end at ${at}, body ends at ${end}`)
}

export function hexId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0').toUpperCase()}`
}
