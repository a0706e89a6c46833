import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { missingOf, Reassembler } from './subpackages.ts'

const part = (n: number) => Uint8Array.of(n, n)

describe(Reassembler.name, () => {
  it('completes out of order and across the serial wrap, ignoring duplicates', () => {
    const r = new Reassembler()
    // Packet 1 has serial 0xFFFF, so packets 2 and 3 carry 0 and 1.
    assert.equal(r.add(0x0900, 1, 3, 3, part(3), 0).status, 'partial')
    assert.equal(r.add(0x0900, 0xffff, 3, 1, part(1), 1).status, 'partial')
    assert.equal(r.add(0x0900, 0xffff, 3, 1, part(1), 2).status, 'partial')
    const done = r.add(0x0900, 0, 3, 2, part(2), 3)
    assert.equal(done.status, 'complete')
    assert.deepEqual(done.status === 'complete' && [...done.body], [1, 1, 2, 2, 3, 3])
    assert.equal(done.status === 'complete' && done.message.firstSerial, 0xffff)
    assert.equal(r.size, 0)
  })

  it('reports the missing packets once the last one arrived', () => {
    const r = new Reassembler()
    const first = r.add(0x0900, 10, 4, 1, part(1), 0)
    assert.ok(first.status === 'partial' && !first.lastSeen)
    const last = r.add(0x0900, 13, 4, 4, part(4), 0)
    assert.ok(last.status === 'partial' && last.lastSeen)
    assert.deepEqual(last.status === 'partial' && last.missing, [2, 3])
  })

  it('asks again after a lull and drops a message after the timeout', () => {
    const r = new Reassembler()
    r.add(0x0900, 10, 2, 1, part(1), 0)
    assert.deepEqual(r.sweep(100, 500, 2000), { resend: [], expired: [] })
    const lull = r.sweep(600, 500, 2000)
    assert.equal(lull.resend.length, 1)
    assert.deepEqual(missingOf(lull.resend[0] as never), [2])
    const late = r.sweep(2100, 500, 2000)
    assert.equal(late.expired.length, 1)
    assert.equal(r.size, 0)
  })

  it('refuses a 包序号 outside 1…总包数', () => {
    const r = new Reassembler()
    assert.equal(r.add(0x0900, 1, 2, 3, part(1), 0).status, 'invalid')
    assert.equal(r.add(0x0900, 1, 0, 0, part(1), 0).status, 'invalid')
  })
})
