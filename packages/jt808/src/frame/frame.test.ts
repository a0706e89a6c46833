import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hex, toHex } from '../bytes/hex.ts'
import { checksum, unescapeFrame, wrapFrame } from './escape.ts'
import { type FrameEvent, FrameReader } from './frame-reader.ts'

// 驾培 heartbeat: 80 0002 0000 BCD[8] 0000013800138000, serial 1, reserved 0 (STANDARDS §2.2, §2.3).
const HEARTBEAT = '7e80000200000000013800138000000100297e'
// Content with both special bytes: 7E → 7D 02, 7D → 7D 01.
const SPECIAL_CONTENT = '307e087d45'

describe('escaping and checksum', () => {
  it('XORs header and body', () => {
    assert.equal(checksum(hex('80000200000000013800138000000100')), 0x29)
  })

  it('escapes 7E and 7D, including in the checksum', () => {
    // checksum of 30 7e 08 7d 55 = 0x30^0x7e^0x08^0x7d^0x45 = 0x7e → escaped as well
    assert.equal(toHex(wrapFrame(hex(SPECIAL_CONTENT))), '7e307d02087d01457d027e')
  })

  it('unescapes and rejects bad escapes with their offset', () => {
    const ok = unescapeFrame(hex('307d02087d0145'))
    assert.ok(ok.ok && toHex(ok.bytes) === '307e087d45')
    const bad = unescapeFrame(hex('30317d03'), 1)
    assert.ok(!bad.ok && bad.code === 'ERR_CODEC_ESCAPE' && bad.offset === 3)
    const tail = unescapeFrame(hex('30317d'))
    assert.ok(!tail.ok && tail.code === 'ERR_CODEC_ESCAPE')
    const flag = unescapeFrame(hex('307e31'))
    assert.ok(!flag.ok && flag.code === 'ERR_CODEC_DELIMITER')
  })
})

function collect(reader: FrameReader, chunks: Uint8Array[]): FrameEvent[] {
  return chunks.flatMap((c) => reader.push(c))
}

const frames = (events: FrameEvent[]) => events.map((e) => (e.ok ? toHex(e.frame) : e.code))

describe('FrameReader', () => {
  const special = wrapFrame(hex(SPECIAL_CONTENT))

  it('yields one frame per delimited pair, unescaped with the checksum', () => {
    const events = collect(new FrameReader(), [hex(HEARTBEAT)])
    assert.deepEqual(frames(events), ['8000020000000001380013800000010029'])
  })

  it('survives every split point, including 0x7D as the last byte of a chunk', () => {
    for (let cut = 1; cut < special.length; cut++) {
      const events = collect(new FrameReader(), [special.subarray(0, cut), special.subarray(cut)])
      assert.deepEqual(frames(events), ['307e087d457e'], `cut at ${cut}`)
    }
  })

  it('survives byte-by-byte delivery and merged frames with shared or doubled delimiters', () => {
    const merged = hex(`${HEARTBEAT}${toHex(special)}${HEARTBEAT.slice(2)}`)
    const events = collect(
      new FrameReader(),
      Array.from(merged, (b) => Uint8Array.of(b)),
    )
    assert.deepEqual(frames(events), [
      '8000020000000001380013800000010029',
      '307e087d457e',
      '8000020000000001380013800000010029',
    ])
  })

  it('reports leading garbage once and resynchronises', () => {
    const events = collect(new FrameReader(), [hex('0102'), hex(`03${HEARTBEAT}`)])
    assert.deepEqual(frames(events), ['ERR_CODEC_GARBAGE', '8000020000000001380013800000010029'])
    const first = events[0]
    assert.ok(first && !first.ok && first.offset === 0 && first.rawHex === '010203')
  })

  it('reports a bad escape when the frame closes and continues with the next', () => {
    const events = collect(new FrameReader(), [hex(`7e30317d037e${HEARTBEAT}`)])
    assert.deepEqual(frames(events), ['ERR_CODEC_ESCAPE', '8000020000000001380013800000010029'])
    const closing = collect(new FrameReader(), [hex('7e30317d'), hex('7e')])
    assert.deepEqual(frames(closing), ['ERR_CODEC_ESCAPE'])
  })

  it('enforces the maximum frame size and skips the rest of the oversized frame', () => {
    const reader = new FrameReader({ maxFrameSize: 8 })
    const events = collect(reader, [hex(`7e${'11'.repeat(20)}`), hex(`22${HEARTBEAT.slice(0, 2)}`), hex('7e0102037e')])
    assert.deepEqual(frames(events), ['ERR_CODEC_FRAME_TOO_LARGE', '010203'])
  })

  it('reports stream offsets', () => {
    const events = collect(new FrameReader(), [hex('aa'), hex(HEARTBEAT), hex(HEARTBEAT)])
    assert.deepEqual(
      events.map((e) => e.offset),
      [0, 1, 1 + HEARTBEAT.length / 2],
    )
  })
})
