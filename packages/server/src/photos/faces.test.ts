import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { type Box, createFaceEngine, type FaceEngine, faceDistance } from './faces.ts'
import { faceSamplePaths } from './samples.ts'

/** A head-and-shoulders crop around a detected face box (the face plus a margin), as a JPEG. */
async function cropFace(source: Uint8Array, box: Box, shift = 0, quality = 85, brightness = 1): Promise<Uint8Array> {
  const meta = await sharp(source).metadata()
  const [x, y, w, h] = box
  const margin = Math.max(w, h) * 0.6
  const left = Math.max(0, Math.round(x - margin + shift * w))
  const top = Math.max(0, Math.round(y - margin + shift * h))
  const size = Math.round(Math.max(w, h) + 2 * margin)
  const width = Math.min(size, (meta.width ?? 0) - left)
  const height = Math.min(size, (meta.height ?? 0) - top)
  return new Uint8Array(
    await sharp(source)
      .extract({ left, top, width, height })
      .resize(240)
      .modulate({ brightness })
      .jpeg({ quality })
      .toBuffer(),
  )
}

const samples = faceSamplePaths()

describe('face descriptors in a worker thread', {
  skip: samples.length < 2 && 'face-api sample photos missing',
}, () => {
  let engine: FaceEngine
  let first: Uint8Array
  let second: Uint8Array
  let firstBoxes: Box[]
  let secondBoxes: Box[]
  let firstFace: Uint8Array

  before(async () => {
    engine = createFaceEngine()
    first = new Uint8Array(fs.readFileSync(samples[0]!))
    second = new Uint8Array(fs.readFileSync(samples[1]!))
    const boxesOf = async (b: Uint8Array) => (await engine.detect(b)).faces.map((f) => f.box)
    firstBoxes = await boxesOf(first)
    secondBoxes = await boxesOf(second)
    firstFace = await cropFace(first, firstBoxes[0]!)
  })
  after(() => engine.close())

  test('a group photo has several faces, boxes in the original pixels, largest first', async () => {
    assert.ok(firstBoxes.length >= 3, `faces: ${firstBoxes.length}`)
    const { width, height, faces } = await engine.detect(first)
    assert.ok(width >= 1000 && height >= 1000)
    for (const f of faces) {
      assert.equal(f.descriptor.length, 128)
      assert.ok(f.box[0] >= 0 && f.box[0] + f.box[2] <= width + 2)
    }
    const areas = faces.map((f) => f.box[2] * f.box[3])
    assert.deepEqual(
      areas,
      [...areas].sort((a, b) => b - a),
    )
  })

  test('the same face under crop jitter, brightness and JPEG quality stays close', async () => {
    const a = await engine.descriptor(firstFace)
    const b = await engine.descriptor(await cropFace(first, firstBoxes[0]!, 0.08, 40, 0.75))
    assert.equal(a.faceCount, 1)
    assert.equal(b.faceCount, 1)
    const d = faceDistance(a.descriptor!, b.descriptor!)
    assert.ok(d < 0.4, `same face distance ${d}`)
  })

  test('different people are far apart', async () => {
    const a = await engine.descriptor(firstFace)
    const others = [firstBoxes[1]!, secondBoxes[0]!]
    for (const [i, box] of others.entries()) {
      const b = await engine.descriptor(await cropFace(i === 0 ? first : second, box))
      const d = faceDistance(a.descriptor!, b.descriptor!)
      assert.ok(d > 0.6, `different people distance ${d}`)
    }
  })

  test('a flat frame has no face; bytes that are not an image are refused and the thread keeps working', async () => {
    const grey = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer()
    assert.deepEqual(await engine.descriptor(grey), { faceCount: 0, descriptor: null, score: null, box: null })
    await assert.rejects(engine.descriptor(new TextEncoder().encode('no image here')))
    await assert.rejects(engine.descriptor(first.subarray(0, 1000)))
    assert.equal((await engine.descriptor(firstFace)).faceCount, 1)
  })

  test('analysing photos leaves no tensors behind in the model thread', async () => {
    await engine.descriptor(firstFace)
    const before = await engine.memory()
    for (let i = 0; i < 3; i++) await engine.descriptor(firstFace)
    await engine.descriptor(new TextEncoder().encode('no image')).catch(() => {})
    assert.deepEqual(await engine.memory(), before)
  })

  test('the event loop keeps turning while a photo is analysed', async () => {
    const order: string[] = []
    const work = engine.detect(firstFace).then(() => order.push('detect'))
    await new Promise((resolve) => setTimeout(resolve, 0)).then(() => order.push('timer'))
    await work
    assert.deepEqual(order, ['timer', 'detect'])
  })

  // Last: ends the file's engine (the models are loaded once per file).
  test('close ends the thread: pending requests are refused, later ones too', async () => {
    const pending = assert.rejects(engine.detect(firstFace), /closed/)
    await engine.close()
    await pending
    await assert.rejects(engine.detect(firstFace), /closed/)
    await engine.close()
  })
})

describe('two model threads, tiny detector with SSD as fallback', {
  skip: samples.length < 2 && 'face-api sample photos missing',
}, () => {
  let single: FaceEngine
  let pair: FaceEngine
  before(() => {
    single = createFaceEngine()
    pair = createFaceEngine({ threads: 2, detector: 'cascade', tinyInputSize: 160 })
  })
  after(async () => {
    await single?.close()
    await pair?.close()
  })

  test('requests at the same time go to both threads; the face and its descriptor match SSD', async () => {
    const source = new Uint8Array(fs.readFileSync(samples[0]!))
    const boxes = (await single.detect(source)).faces.map((f) => f.box)
    const crops = await Promise.all(boxes.slice(0, 4).map((b) => cropFace(source, b)))
    assert.equal(pair.threads, 2)
    const [bySsd, byPair] = await Promise.all([
      Promise.all(crops.map((c) => single.descriptor(c))),
      Promise.all(crops.map((c) => pair.detect(c))),
    ])
    for (const [i, d] of byPair.entries()) {
      assert.equal(d.detector, 'tiny')
      assert.equal(d.faces.length, 1)
      const distance = faceDistance(d.faces[0]!.descriptor, bySsd[i]!.descriptor!)
      assert.ok(distance < 0.25, `same crop, tiny vs SSD descriptor distance ${distance}`)
    }
    // Both threads ran (each holds its own copy of the weights).
    const memory = await pair.memory()
    assert.ok(memory.numTensors >= 2 * (await single.memory()).numTensors * 0.9, `tensors ${memory.numTensors}`)
  })

  test('no face for the tiny detector: SSD looks again before "no face" is reported', async () => {
    const grey = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer()
    const d = await pair.detect(grey)
    assert.equal(d.detector, 'ssd')
    assert.equal(d.faces.length, 0)
  })
})

test('face distance', () => {
  assert.equal(faceDistance([0, 3], [4, 0]), 5)
  assert.throws(() => faceDistance([1], [1, 2]))
})
