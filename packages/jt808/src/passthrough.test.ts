import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { hex, toHex } from './bytes/hex.ts'
import { decodeFrame, encodeFrame } from './codec.ts'
import { explain } from './explain.ts'
import type { PassThroughBody } from './messages/pass-through.ts'
import { registerPassThrough, unregisterPassThrough } from './passthrough.ts'
import { struct, u8, u16 } from './schema/fields.ts'

// A made-up pass-through type 0x7A (not used by any standard) to exercise the hook.
const TEST_TYPE = 0x7a
const inner = struct([
  { key: 'a', name: '甲', type: u16 },
  { key: 'b', name: '乙', type: u8 },
])

describe('pass-through hook', () => {
  after(() => unregisterPassThrough(TEST_TYPE))
  const header = { msgId: 0x0900, version: 'jiapei', phone: '13800138000', serial: 3 } as const

  it('without a codec the content stays raw', () => {
    const frame = encodeFrame(header, { type: TEST_TYPE, data: hex('000102') } satisfies PassThroughBody)
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    assert.deepEqual(r.frame.body, { type: TEST_TYPE, data: hex('000102') })
  })

  it('a registered codec decodes, encodes and explains the content', () => {
    const seen: string[] = []
    registerPassThrough({
      type: TEST_TYPE,
      name: '测试',
      read: (r, ctx) => {
        seen.push(ctx.direction)
        return inner.read(r)
      },
      write: (w, v, ctx) => {
        seen.push(ctx.direction)
        inner.write(w, v as ReturnType<typeof inner.read>)
      },
    })
    const frame = encodeFrame(header, { type: TEST_TYPE, data: new Uint8Array(0), content: { a: 1, b: 2 } })
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    assert.deepEqual(r.frame.body, { type: TEST_TYPE, data: hex('000102'), content: { a: 1, b: 2 } })
    const down = decodeFrame(encodeFrame({ ...header, msgId: 0x8900 }, { type: TEST_TYPE, data: hex('000102') }))
    assert.ok(down.ok)
    assert.deepEqual(seen, ['up', 'up', 'down'])
    const e = explain(frame)
    const body = e.nodes.find((n) => n.key === 'body')
    const content = body?.children?.find((n) => n.key === 'content')
    assert.deepEqual(
      content?.children?.map((n) => [n.name, n.offset, n.hex]),
      [
        ['甲', 17, '0001'],
        ['乙', 19, '02'],
      ],
    )
  })

  it('a content decode failure is a frame error with an absolute offset and the header', () => {
    const frame = encodeFrame(header, { type: TEST_TYPE, data: hex('0001') })
    const r = decodeFrame(frame)
    assert.ok(!r.ok)
    assert.equal(r.code, 'ERR_CODEC_TRUNCATED')
    assert.equal(r.offset, 19)
    assert.equal(r.header?.serial, 3)
    assert.equal(toHex(hex(r.rawHex)).length > 0, true)
  })
})
