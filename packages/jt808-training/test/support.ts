/** Test helpers: explain coverage and frame building for 驾培 pass-through messages. */
import assert from 'node:assert/strict'
import { type ExplainNode, encodeFrame, type HeaderInit } from '@jiapei/jt808'
import { encodeEnvelope, type TrainingEnvelope } from '../src/index.ts'

/** The explain nodes tile [start, end) without gaps or overlaps, at every level. */
export function assertCovers(nodes: ExplainNode[], start: number, end: number): void {
  let at = start
  for (const n of nodes) {
    assert.equal(n.offset, at, `${n.name} starts at ${n.offset}, expected ${at}`)
    assert.ok(n.name.length > 0)
    if (n.children) assertCovers(n.children, n.offset, n.offset + n.length)
    at += n.length
  }
  assert.equal(at, end, `fields end at ${at}, expected ${end}`)
}

export function hexId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0').toUpperCase()}`
}

export const PHONE = '13800138000'

/** A 驾培-header frame (0x0900 uplink or 0x8900 downlink) carrying the envelope. */
export function envelopeFrame(env: TrainingEnvelope, direction: 'up' | 'down', serial = 1): Uint8Array {
  const header: HeaderInit = { msgId: direction === 'up' ? 0x0900 : 0x8900, version: 'jiapei', phone: PHONE, serial }
  return encodeFrame(header, encodeEnvelope(env, direction))
}
