import assert from 'node:assert/strict'
import { constants, createHash, generateKeyPairSync, publicDecrypt } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  CODEC_ERROR_CODES,
  CodecEncodeError,
  decodeBody,
  decodeFrame,
  encodeFrame,
  encodePackets,
  explain,
  hex,
  toHex,
  wrapFrame,
} from '@jiapei/jt808'
import { MINUTE_RECORD, MINUTE_RECORD_HEX, RECORD_NO, TERMINAL_NO, TERMINAL_NO_HEX } from '../test/fixtures.ts'
import { assertCovers, envelopeFrame, PHONE } from '../test/support.ts'
import {
  decodeEnvelope,
  encodeEnvelope,
  explainEnvelope,
  minuteRecord,
  photoData,
  registerTrainingExtension,
  replyEnvelope,
  signEnvelope,
  studentLoginReply,
  type TrainingEnvelope,
  trainingEnvelope,
  unregisterTrainingExtension,
  verifyChecksum,
} from './index.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const other = generateKeyPairSync('rsa', { modulusLength: 2048 })

/** 0x0203 in an envelope: 补传 + 需要应答 (0x0003), 驾培包序号 1, DWORD length 0x72 = 114. */
const ENVELOPE_HEX = `13 0203 0003 0001 ${TERMINAL_NO_HEX} 00000072 ${MINUTE_RECORD_HEX}`
const ENVELOPE: TrainingEnvelope = {
  messageId: 0x0203,
  attributes: { backfill: true, ackRequired: true, algorithm: 0, reservedBits: 0 },
  packetSeq: 1,
  terminalNo: TERMINAL_NO,
  data: hex(MINUTE_RECORD_HEX),
  specName: '上报学时记录',
  body: MINUTE_RECORD,
}
/** The same with the length written as a WORD (a porting mistake). */
const WORD_LENGTH_HEX = `13 0203 0003 0001 ${TERMINAL_NO_HEX} 0072 ${MINUTE_RECORD_HEX}`

function failureOf(r: { ok: boolean }): { code: string; offset: number; message: string } {
  assert.equal(r.ok, false)
  return r as unknown as { code: string; offset: number; message: string }
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice()
  out[at] = (out[at] as number) ^ 0x01
  return out
}

describe('透传 envelope without 校验串', () => {
  it('parse: every header field, the DWORD length and the decoded message', () => {
    const r = decodeEnvelope(hex(ENVELOPE_HEX), 'up')
    assert.ok(r.ok, r.ok ? '' : r.message)
    assert.deepStrictEqual(r.value, ENVELOPE)
  })

  it('generate and round trip', () => {
    assert.equal(toHex(encodeEnvelope(ENVELOPE, 'up')), toHex(hex(ENVELOPE_HEX)))
    const r = decodeEnvelope(encodeEnvelope(ENVELOPE, 'up'), 'up')
    assert.ok(r.ok)
    assert.deepStrictEqual(r.value, ENVELOPE)
  })

  it('the body wins over stale data on encode; without a body the data is written as is', () => {
    const stale = { ...ENVELOPE, data: new Uint8Array(3) }
    assert.equal(toHex(encodeEnvelope(stale, 'up')), toHex(hex(ENVELOPE_HEX)))
    const { body: _body, ...raw } = ENVELOPE
    assert.equal(toHex(encodeEnvelope(raw, 'up')), toHex(hex(ENVELOPE_HEX)))
  })

  it('attribute bits: 补传, 应答, 加密算法 and reserved bits survive a round trip', () => {
    const cases: [number, { backfill: boolean; ackRequired: boolean; algorithm: number; reservedBits: number }][] = [
      [0x0000, { backfill: false, ackRequired: false, algorithm: 0, reservedBits: 0 }],
      [0x0001, { backfill: true, ackRequired: false, algorithm: 0, reservedBits: 0 }],
      [0x0002, { backfill: false, ackRequired: true, algorithm: 0, reservedBits: 0 }],
      [0x8102, { backfill: false, ackRequired: true, algorithm: 0, reservedBits: 0x8100 }],
    ]
    for (const [word, attributes] of cases) {
      const w = word.toString(16).padStart(4, '0')
      const bytes = hex(`13 0203 ${w} 0001 ${TERMINAL_NO_HEX} 00000072 ${MINUTE_RECORD_HEX}`)
      const r = decodeEnvelope(bytes, 'down')
      assert.ok(r.ok, w)
      assert.deepEqual(r.value.attributes, attributes, w)
      assert.equal(toHex(encodeEnvelope(r.value, 'down')), toHex(bytes), w)
    }
  })

  it('a downlink with 加密算法 ≠ 0 carries no 校验串', () => {
    const body = { ...(ENVELOPE.body as object) }
    const env = { ...ENVELOPE, attributes: { ...ENVELOPE.attributes, algorithm: 2 }, body }
    const bytes = encodeEnvelope(env, 'down')
    assert.equal(bytes.length, 1 + 26 + 114)
    const r = decodeEnvelope(bytes, 'down')
    assert.ok(r.ok)
    assert.equal(r.value.checksum, undefined)
  })

  it('an unknown 透传消息ID keeps its content raw', () => {
    const bytes = hex(`13 0999 0000 0002 ${TERMINAL_NO_HEX} 00000003 aabbcc`)
    const r = decodeEnvelope(bytes, 'up')
    assert.ok(r.ok)
    assert.equal(r.value.body, undefined)
    assert.equal(r.value.specName, undefined)
    assert.equal(toHex(r.value.data), 'aabbcc')
    assert.equal(toHex(encodeEnvelope(r.value, 'up')), toHex(bytes))
  })

  it('explain annotates every byte with Chinese names', () => {
    const bytes = hex(ENVELOPE_HEX)
    const { nodes, error } = explainEnvelope(bytes, 'up')
    assert.equal(error, undefined)
    assertCovers(nodes, 0, bytes.length)
    assert.deepEqual(
      nodes.map((n) => n.name),
      [
        '透传消息类型',
        '透传消息ID',
        '扩展消息属性',
        '驾培包序号',
        '计时终端编号',
        '数据长度',
        '数据内容（0x0203 上报学时记录）',
      ],
    )
    assert.equal(nodes[2]?.text, '补传，需要应答，加密算法 未加密（无校验串）')
  })
})

describe('envelope faults are coded, with offsets', () => {
  it('数据长度 written as a WORD → ERR_TRAINING_LENGTH_WORD at the length field', () => {
    const f = failureOf(decodeEnvelope(hex(WORD_LENGTH_HEX), 'up'))
    assert.equal(f.code, 'ERR_TRAINING_LENGTH_WORD')
    assert.equal(f.offset, 23)
  })

  it('the WORD mistake is recognised with a 校验串 too', () => {
    const bytes = hex(`13 0203 0022 0001 ${TERMINAL_NO_HEX} 0072 ${MINUTE_RECORD_HEX} ${'00'.repeat(256)}`)
    assert.equal(failureOf(decodeEnvelope(bytes, 'up')).code, 'ERR_TRAINING_LENGTH_WORD')
  })

  it('a length that matches nothing → ERR_TRAINING_LENGTH', () => {
    const bytes = hex(`13 0203 0002 0001 ${TERMINAL_NO_HEX} 00000073 ${MINUTE_RECORD_HEX}`)
    const f = failureOf(decodeEnvelope(bytes, 'up'))
    assert.equal(f.code, 'ERR_TRAINING_LENGTH')
    assert.equal(f.offset, 23)
  })

  it('an uplink with 加密算法 ≠ 0 and no 校验串 → ERR_TRAINING_CHECKSUM_MISSING', () => {
    const bytes = hex(`13 0203 0022 0001 ${TERMINAL_NO_HEX} 00000072 ${MINUTE_RECORD_HEX}`)
    const f = failureOf(decodeEnvelope(bytes, 'up'))
    assert.equal(f.code, 'ERR_TRAINING_CHECKSUM_MISSING')
    assert.equal(f.offset, bytes.length)
  })

  it('a short header, a wrong type byte and an empty body', () => {
    assert.equal(failureOf(decodeEnvelope(hex('13 0203 0002'), 'up')).code, 'ERR_CODEC_TRUNCATED')
    assert.equal(failureOf(decodeEnvelope(hex('41 0203'), 'up')).code, 'ERR_TRAINING_TYPE')
    assert.equal(failureOf(decodeEnvelope(new Uint8Array(0), 'up')).code, 'ERR_CODEC_TRUNCATED')
  })

  it('malformed inner bodies: truncated, too long, wrong GNSS item — codes and offsets, no throw', () => {
    const record = hex(MINUTE_RECORD_HEX)
    const head = (n: number) => `13 0203 0002 0001 ${TERMINAL_NO_HEX} ${n.toString(16).padStart(8, '0')}`
    const truncated = failureOf(decodeEnvelope(hex(`${head(100)} ${toHex(record.subarray(0, 100))}`), 'up'))
    assert.deepEqual([truncated.code, truncated.offset], ['ERR_CODEC_TRUNCATED', 27 + 98])
    const long = failureOf(decodeEnvelope(hex(`${head(115)} ${MINUTE_RECORD_HEX} ee`), 'up'))
    assert.deepEqual([long.code, long.offset], ['ERR_CODEC_BODY_LENGTH', 27 + 114])
    const badItem = record.slice()
    badItem[76 + 28] = 0x02 // 附加信息ID 0x01 → 0x02
    const item = failureOf(decodeEnvelope(hex(`${head(114)} ${toHex(badItem)}`), 'up'))
    assert.deepEqual([item.code, item.offset], ['ERR_CODEC_BODY', 27 + 104])
    const prompt = failureOf(
      decodeEnvelope(
        hex(`13 8201 0000 0001 ${TERMINAL_NO_HEX} 0000001c 01 ${'30'.repeat(16)} 0000 0000 0000 0000 01 09 41`),
        'down',
      ),
    )
    assert.deepEqual([prompt.code, prompt.offset], ['ERR_CODEC_TRUNCATED', 27 + 27])
  })

  it('encoding an uplink that names an algorithm but has no 校验串 throws a coded encode error', () => {
    const env = { ...ENVELOPE, attributes: { ...ENVELOPE.attributes, algorithm: 2 } }
    assert.throws(
      () => encodeEnvelope(env, 'up'),
      (e: unknown) => e instanceof CodecEncodeError && e.code === 'ERR_CODEC_VALUE',
    )
  })
})

describe('校验串: sign and verify', () => {
  const signed = signEnvelope(ENVELOPE, privateKey)
  const bytes = encodeEnvelope(signed, 'up')
  const dataEnd = 1 + 26 + 114

  it('sets 加密算法 SHA256 and appends 256 bytes', () => {
    assert.equal(signed.attributes.algorithm, 2)
    assert.equal(bytes.length, dataEnd + 256)
    assert.equal(toHex(bytes.subarray(3, 5)), '0023')
  })

  it('the 校验串 is the private-key encryption of SHA-256 over 透传消息ID … 数据内容', () => {
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes.subarray(dataEnd))
    const digest = createHash('sha256').update(bytes.subarray(1, dataEnd)).digest()
    assert.equal(recovered.toString('hex'), digest.toString('hex'))
  })

  it('decodes with its 校验串 and re-encodes byte for byte', () => {
    const r = decodeEnvelope(bytes, 'up')
    assert.ok(r.ok)
    assert.equal(toHex(r.value.checksum ?? new Uint8Array(0)), toHex(signed.checksum ?? new Uint8Array(1)))
    assert.deepStrictEqual(r.value.body, MINUTE_RECORD)
    assert.equal(toHex(encodeEnvelope(r.value, 'up')), toHex(bytes))
    const { nodes } = explainEnvelope(bytes, 'up')
    assert.equal(nodes.at(-1)?.name, '校验串')
    assertCovers(nodes, 0, bytes.length)
  })

  it('verifies with the public key (PEM text or KeyObject)', () => {
    assert.deepEqual(verifyChecksum(bytes, publicKey), { ok: true, algorithm: 2 })
    const pem = publicKey.export({ type: 'spki', format: 'pem' })
    assert.deepEqual(verifyChecksum(bytes, pem), { ok: true, algorithm: 2 })
  })

  it('SHA1 (加密算法 1) is signed and verified the same way', () => {
    const sha1 = encodeEnvelope(signEnvelope(ENVELOPE, privateKey, 1), 'up')
    assert.equal(sha1[4], 0x13)
    assert.deepEqual(verifyChecksum(sha1, publicKey), { ok: true, algorithm: 1 })
  })

  it('tampering anywhere in the signed span or the 校验串 fails with a code', () => {
    for (const at of [1, 2, 3, 5, 10, 22, 40, dataEnd - 1, dataEnd, bytes.length - 1]) {
      const r = verifyChecksum(flip(bytes, at), publicKey)
      assert.equal(r.ok ? 'ok' : r.code, 'ERR_TRAINING_CHECKSUM_MISMATCH', `byte ${at}`)
    }
    const length = verifyChecksum(flip(bytes, 26), publicKey)
    assert.equal(length.ok ? 'ok' : length.code, 'ERR_TRAINING_LENGTH')
    const data = verifyChecksum(flip(bytes, 60), publicKey)
    assert.equal(data.ok ? '' : data.code, 'ERR_TRAINING_CHECKSUM_MISMATCH')
    assert.equal(data.ok ? -1 : data.offset, dataEnd)
  })

  it('another key, a broken key, an unsigned envelope, a missing 校验串 and a foreign type are coded', () => {
    const code = (r: ReturnType<typeof verifyChecksum>) => (r.ok ? 'ok' : r.code)
    assert.equal(code(verifyChecksum(bytes, other.publicKey)), 'ERR_TRAINING_CHECKSUM_MISMATCH')
    assert.equal(code(verifyChecksum(bytes, 'not a key')), 'ERR_TRAINING_KEY')
    assert.equal(code(verifyChecksum(hex(ENVELOPE_HEX), publicKey)), 'ERR_TRAINING_NOT_SIGNED')
    assert.equal(code(verifyChecksum(bytes.subarray(0, dataEnd), publicKey)), 'ERR_TRAINING_CHECKSUM_MISSING')
    assert.equal(code(verifyChecksum(hex('41 00'), publicKey)), 'ERR_TRAINING_TYPE')
    const unknownAlgorithm = bytes.slice()
    unknownAlgorithm[4] = 0x33
    assert.equal(code(verifyChecksum(unknownAlgorithm, publicKey)), 'ERR_TRAINING_ALGORITHM')
    assert.equal(code(verifyChecksum(hex(WORD_LENGTH_HEX), publicKey)), 'ERR_TRAINING_LENGTH_WORD')
  })
})

describe('through the core codec (0x0900 / 0x8900 frames)', () => {
  /** 驾培 header: 0x80, 0x0900, 属性 0x008D (141-byte body), BCD[8] phone, 流水号 1, 预留 0. */
  const FRAME = wrapFrame(hex(`80 0900 008d 0000013800138000 0001 00 ${ENVELOPE_HEX}`))

  it('decodeFrame of a 0x0900 frame yields the decoded 0x0203 minute record', () => {
    const r = decodeFrame(FRAME)
    assert.ok(r.ok, r.ok ? '' : `${r.code} @${r.offset}: ${r.message}`)
    assert.equal(r.frame.header.msgId, 0x0900)
    const body = r.frame.body as { type: number; content: TrainingEnvelope }
    assert.equal(body.type, 0x13)
    assert.deepStrictEqual(body.content, ENVELOPE)
    assert.equal((body.content.body as typeof MINUTE_RECORD).recordNo, RECORD_NO)
  })

  it('explain of the frame reaches the minute record fields at frame offsets', () => {
    const e = explain(FRAME)
    assert.ok(e.ok)
    const body = e.nodes.find((n) => n.key === 'body')
    const content = body?.children?.find((n) => n.key === 'content')
    const data = content?.children?.find((n) => n.key === 'data')
    assert.equal(data?.offset, 16 + 27)
    assert.equal(data?.children?.[0]?.name, '学时记录编号')
    assert.equal(data?.children?.[6]?.text, '实操 · C1 · 第二部分 · 基础驾驶')
  })

  it('frame-level faults: the WORD length and a bad inner body give core codes at frame offsets', () => {
    const word = decodeFrame(wrapFrame(hex(`80 0900 008b 0000013800138000 0001 00 ${WORD_LENGTH_HEX}`)))
    const f = failureOf(word)
    assert.equal(f.code, 'ERR_CODEC_BODY_LENGTH')
    assert.equal(f.offset, 16 + 23)
    assert.match(f.message, /ERR_TRAINING_LENGTH_WORD/)
    const record = hex(MINUTE_RECORD_HEX).subarray(0, 100)
    const inner = `13 0203 0002 0001 ${TERMINAL_NO_HEX} 00000064 ${toHex(record)}`
    const t = failureOf(decodeFrame(wrapFrame(hex(`80 0900 007f 0000013800138000 0001 00 ${inner}`))))
    assert.deepEqual([t.code, t.offset], ['ERR_CODEC_TRUNCATED', 16 + 27 + 98])
    assert.ok(CODEC_ERROR_CODES.includes(t.code as never))
  })

  it('a signed uplink frame decodes and its body bytes verify', () => {
    const frame = envelopeFrame(signEnvelope(ENVELOPE, privateKey), 'up')
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    assert.equal((r.frame.body as { content: TrainingEnvelope }).content.checksum?.length, 256)
    assert.deepEqual(verifyChecksum(r.frame.bodyBytes, publicKey), { ok: true, algorithm: 2 })
  })

  it('a downlink 0x8900 frame carries 0x8201 学员登录应答', () => {
    const reply = {
      result: 4,
      studentNo: '3301000000000101',
      totalMinutes: 600,
      partMinutes: 120,
      totalMileage: 500,
      partMileage: 50,
      readAloud: 1,
      message: '区域外教学',
    }
    const env = trainingEnvelope(studentLoginReply, reply, { terminalNo: TERMINAL_NO, packetSeq: 7 })
    const frame = encodeFrame(
      { msgId: 0x8900, version: 'jiapei', phone: PHONE, serial: 2 },
      { type: 0x13, data: new Uint8Array(0), content: env },
    )
    const r = decodeFrame(frame)
    assert.ok(r.ok)
    const content = (r.frame.body as { content: TrainingEnvelope }).content
    assert.equal(content.attributes.ackRequired, false)
    assert.deepStrictEqual(content.body, reply)
  })

  it('a signed photo split into sub-packages reassembles into 0x0306 and verifies', () => {
    const jpeg = new Uint8Array(2500).map((_, i) => (i * 7) & 0xff)
    const env = signEnvelope(
      trainingEnvelope(photoData, { photoNo: '0000000017', data: jpeg }, { terminalNo: TERMINAL_NO, packetSeq: 3 }),
      privateKey,
    )
    const frames = encodePackets(
      { msgId: 0x0900, version: 'jiapei', phone: PHONE, serial: 10 },
      encodeEnvelope(env, 'up'),
      1000,
    )
    assert.equal(frames.length, 3)
    const parts = frames.map((f) => {
      const r = decodeFrame(f)
      assert.ok(r.ok)
      return r.frame.body as Uint8Array
    })
    const whole = Buffer.concat(parts)
    assert.deepEqual(verifyChecksum(whole, publicKey), { ok: true, algorithm: 2 })
    const body = decodeBody(0x0900, whole)
    assert.ok(body.ok)
    const content = (body.value as { content: TrainingEnvelope<{ photoNo: string; data: Uint8Array }> }).content
    assert.equal(content.body?.photoNo, '0000000017')
    assert.equal(toHex(content.body?.data ?? new Uint8Array(0)), toHex(jpeg))
    // Decoded bytes are copies, not views of the (reusable) input Buffer.
    whole.fill(0)
    assert.equal(toHex(content.body?.data ?? new Uint8Array(0)), toHex(jpeg))
    assert.equal(content.data.constructor, Uint8Array)
  })

  it('an answer echoes the 驾培包序号 and 计时终端编号 of its request', () => {
    const reply = replyEnvelope(ENVELOPE, studentLoginReply, {
      result: 1,
      studentNo: '3301000000000101',
      totalMinutes: 0,
      partMinutes: 0,
      totalMileage: 0,
      partMileage: 0,
      readAloud: 0,
      message: '',
    })
    assert.deepEqual(
      [reply.messageId, reply.packetSeq, reply.terminalNo, reply.attributes],
      [0x8201, 1, TERMINAL_NO, { backfill: true, ackRequired: false, algorithm: 0, reservedBits: 0 }],
    )
    const r = decodeEnvelope(encodeEnvelope(reply, 'down'), 'down')
    assert.ok(r.ok)
    assert.deepStrictEqual(r.value.body, reply.body)
  })

  it('registration is what makes the core decode type 0x13', () => {
    unregisterTrainingExtension()
    try {
      const r = decodeFrame(FRAME)
      assert.ok(r.ok)
      assert.equal((r.frame.body as { content?: unknown }).content, undefined)
    } finally {
      registerTrainingExtension()
    }
    const again = decodeFrame(FRAME)
    assert.ok(again.ok)
    assert.deepStrictEqual((again.frame.body as { content: TrainingEnvelope }).content.body, MINUTE_RECORD)
    assert.equal(minuteRecord.replyId, 0x8001)
  })
})
