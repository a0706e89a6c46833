import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, test } from 'node:test'
import sharp from 'sharp'
import { hammingDistance, lumaStats, measurePhoto, perceptualHash } from './analysis.ts'
import { faceSamplePaths } from './samples.ts'

/**
 * A 320×240 JPEG scene drawn as SVG: a lit wall (a gradient from `background` to black, its direction
 * given by `x2`/`y2`) with a few shapes in front, like a cab seen by its camera.
 */
async function scene(shapes: string, background: string, quality = 80, x2 = 1, y2 = 0.3): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><defs><linearGradient id="g" x1="0" y1="0" x2="${x2}" y2="${y2}"><stop offset="0" stop-color="${background}"/><stop offset="1" stop-color="#000"/></linearGradient></defs><rect width="320" height="240" fill="url(#g)"/>${shapes}</svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality }).toBuffer())
}

const SCENE_A =
  '<circle cx="100" cy="110" r="60" fill="#e8c0a0"/><rect x="200" y="30" width="90" height="160" fill="#203050"/>'
const SCENE_B =
  '<rect x="20" y="20" width="120" height="60" fill="#f0f0f0"/><circle cx="230" cy="160" r="50" fill="#602020"/><rect x="150" y="0" width="20" height="240" fill="#fff"/>'

describe('photo measures', () => {
  test('the same image re-encoded at low quality and rescaled keeps a close hash', async () => {
    const original = await scene(SCENE_A, '#7090b0', 90)
    const recoded = new Uint8Array(await sharp(original).resize(200).jpeg({ quality: 25 }).toBuffer())
    const a = await measurePhoto(original)
    const b = await measurePhoto(recoded)
    assert.match(a.phash, /^[0-9a-f]{16}$/)
    assert.ok(hammingDistance(a.phash, b.phash) <= 6, `${a.phash} ${b.phash}`)
  })

  test('different scenes are far apart', async () => {
    const a = await measurePhoto(await scene(SCENE_A, '#7090b0'))
    const b = await measurePhoto(await scene(SCENE_B, '#a0c080', 80, 0, 1))
    assert.ok(hammingDistance(a.phash, b.phash) >= 20, `${a.phash} ${b.phash}`)
  })

  test('real photos: a resized q30 copy stays close, another photo is far', async (t) => {
    const [first, second] = faceSamplePaths()
    if (!first || !second) return t.skip('the face-api sample photos are not installed')
    const bytes = new Uint8Array(fs.readFileSync(first))
    const copy = new Uint8Array(await sharp(bytes).resize(640).jpeg({ quality: 30 }).toBuffer())
    const [a, b, c] = await Promise.all([bytes, copy, new Uint8Array(fs.readFileSync(second))].map(measurePhoto))
    assert.ok(hammingDistance(a!.phash, b!.phash) <= 6)
    assert.ok(hammingDistance(a!.phash, c!.phash) >= 20)
    assert.equal(a!.width, 1920)
  })

  test('a black frame is dark and flat; a flat grey frame is uniform but not dark', async () => {
    const black = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer()
    const grey = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer()
    const dark = await measurePhoto(black)
    const flat = await measurePhoto(grey)
    assert.ok(dark.meanLuma < 5 && dark.lumaStddev < 2, JSON.stringify(dark))
    assert.ok(Math.abs(flat.meanLuma - 128) < 3 && flat.lumaStddev < 2, JSON.stringify(flat))
    const lively = await measurePhoto(await scene(SCENE_A, '#7090b0'))
    assert.ok(lively.meanLuma > 40 && lively.lumaStddev > 30, JSON.stringify(lively))
  })

  test('bytes that are not an image are refused', async () => {
    await assert.rejects(measurePhoto(new TextEncoder().encode('not a jpeg')))
    const jpeg = await scene(SCENE_A, '#7090b0')
    await assert.rejects(measurePhoto(jpeg.subarray(0, 200)))
  })

  test('helpers: hamming distance, perceptual hash, luma statistics', () => {
    assert.equal(hammingDistance('0000000000000000', 'ffffffffffffffff'), 64)
    assert.equal(hammingDistance('8000000000000001', '0000000000000000'), 2)
    assert.throws(() => hammingDistance('abc', '0000000000000000'))
    // A 32×32 scene: a bright disc off-centre on a diagonal ramp.
    const scene = new Uint8Array(1024).map((_, i) => {
      const x = i % 32
      const y = Math.floor(i / 32)
      return (x - 10) ** 2 + (y - 12) ** 2 < 36 ? 240 : 40 + 3 * x + y
    })
    const hash = perceptualHash(scene)
    assert.match(hash, /^[0-9a-f]{16}$/)
    // Brighter light changes no bit; the mirrored scene changes many.
    assert.equal(perceptualHash(scene.map((v) => Math.min(255, v + 10))), hash)
    const mirrored = scene.map((_, i) => scene[Math.floor(i / 32) * 32 + (31 - (i % 32))] as number)
    assert.ok(hammingDistance(perceptualHash(mirrored), hash) >= 16)
    assert.throws(() => perceptualHash(new Uint8Array(72)))
    assert.deepEqual(lumaStats(new Uint8Array([0, 255])), { meanLuma: 127.5, lumaStddev: 127.5 })
  })
})
