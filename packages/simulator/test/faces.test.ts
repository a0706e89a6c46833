import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { before, describe, test } from 'node:test'
import sharp from 'sharp'
import { createFacePhotoSource, faceIndexFor, type PhotoVariant } from '../src/faces.ts'
import type { PhotoPlan } from '../src/lesson.ts'

/** Stand-in "faces": flat red, green and blue squares, so a photo's centre tells whose face it shows. */
const COLOURS = ['#e02020', '#20e020', '#2020e0'] as const
let faces: Uint8Array[]

before(async () => {
  faces = await Promise.all(
    COLOURS.map(
      async (background) =>
        new Uint8Array(
          await sharp({ create: { width: 120, height: 120, channels: 3, background } })
            .jpeg()
            .toBuffer(),
        ),
    ),
  )
})

function plan(personNo: string, n: number, event = 19): PhotoPlan {
  return {
    photoNo: String(1000 + n).padStart(10, '0'),
    personNo,
    event,
    classId: 1,
    gnss: {} as PhotoPlan['gnss'],
    faceConfidence: 90,
    imageSeed: 7000 + n,
    size: 1,
  }
}

/** Index of the dominant channel in the middle of the photo (0 red, 1 green, 2 blue). */
async function centreColour(jpeg: Uint8Array): Promise<number> {
  const { channels } = await sharp(jpeg).extract({ left: 140, top: 140, width: 40, height: 40 }).stats()
  const means = channels.slice(0, 3).map((c) => c.mean)
  return means.indexOf(Math.max(...means))
}

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex')

describe('face photos for simulated terminals', () => {
  test('a person always gets the same face of the library', () => {
    assert.equal(faceIndexFor('3301060000000001', 3), faceIndexFor('3301060000000001', 3))
    const used = new Set(Array.from({ length: 30 }, (_, i) => faceIndexFor(`33010600000000${i}`, 3)))
    assert.equal(used.size, 3)
    assert.throws(() => faceIndexFor('x', 0))
  })

  test('genuine photos show the own face, each one slightly different; the same plan gives the same bytes', async () => {
    const source = createFacePhotoSource({ faces })
    const person = '3301060000000042'
    const own = faceIndexFor(person, faces.length)
    const a = await source(plan(person, 1))
    const b = await source(plan(person, 2))
    assert.notEqual(sha(a), sha(b))
    assert.equal(await centreColour(a), own)
    assert.equal(await centreColour(b), own)
    const meta = await sharp(a).metadata()
    assert.deepEqual([meta.width, meta.height, meta.format], [320, 240, 'jpeg'])
    assert.equal(sha(await createFacePhotoSource({ faces })(plan(person, 1))), sha(a))
  })

  test('fraud variants: wrong face, covered camera, exact and re-encoded replays', async () => {
    const asked = new Map<number, PhotoVariant>([
      [2, 'wrong-face'],
      [3, 'covered'],
      [4, 'replay'],
      [5, 'replay-recoded'],
    ])
    const seen: PhotoVariant[] = []
    const source = createFacePhotoSource({
      faces,
      variant: (p) => asked.get(Number(p.photoNo) - 1000) ?? 'genuine',
      onPhoto: (_p, variant) => seen.push(variant),
    })
    const person = '3301060000000077'
    const own = faceIndexFor(person, faces.length)
    const genuine = await source(plan(person, 1))
    const wrong = await source(plan(person, 2))
    assert.notEqual(await centreColour(wrong), own)
    const covered = await source(plan(person, 3))
    const stats = await sharp(covered).greyscale().stats()
    assert.ok(stats.channels[0]!.mean < 25 && stats.channels[0]!.stdev < 8, JSON.stringify(stats.channels[0]))
    const replay = await source(plan(person, 4))
    assert.equal(sha(replay), sha(genuine))
    const recoded = await source(plan(person, 5))
    assert.notEqual(sha(recoded), sha(genuine))
    assert.equal(await centreColour(recoded), own)
    assert.deepEqual(seen, ['genuine', 'wrong-face', 'covered', 'replay', 'replay-recoded'])
  })

  test('a replay with nothing to replay is a genuine photo; photos without a person are generated', async () => {
    const seen: PhotoVariant[] = []
    const source = createFacePhotoSource({ faces, variant: () => 'replay', onPhoto: (_p, v) => seen.push(v) })
    await source(plan('3301060000000099', 1))
    assert.deepEqual(seen, ['genuine'])
    const anonymous = await source(plan('', 2, 0))
    assert.equal((await sharp(anonymous).metadata()).format, 'jpeg')
    assert.deepEqual(seen, ['genuine'])
  })
})
