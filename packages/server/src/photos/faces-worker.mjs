// Face model thread: face-api on the tfjs WASM backend, models loaded once from the installed
// package. Requests: { id, bytes, maxSide, minScore, detector: 'ssd' | 'tiny' | 'cascade',
// tinyInputSize: number | null } → { id, width, height, detector: 'ssd' | 'tiny', faces: [{ score,
// box, descriptor }] } or { id, error }. Runs off the main thread so inference never blocks the
// event loop; the engine may start several such threads, each with its own copy of the models.
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'

const require = createRequire(import.meta.url)
const sharp = require('sharp')
const tf = require('@tensorflow/tfjs')
const wasm = require('@tensorflow/tfjs-backend-wasm')
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js')

// Never reach the network: model files and .wasm binaries are read from disk.
globalThis.fetch = async (url) => {
  throw new Error(`network access refused: ${url}`)
}

const ready = (async () => {
  const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')
  wasm.setWasmPaths(`${path.dirname(wasmFile)}/`)
  if (workerData?.threads) wasm.setThreadsCount?.(workerData.threads)
  await tf.setBackend('wasm')
  await tf.ready()
  const modelDir =
    workerData?.modelDir ?? path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir)
  await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir)
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir)
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir)
})()
// Reported to each request; marked handled here so a failed load does not end the thread.
ready.catch(() => {})

async function analyze({ bytes, maxSide, minScore, detector, tinyInputSize }) {
  await ready
  const meta = await sharp(bytes, { failOn: 'error' }).metadata()
  const width = meta.width ?? 0
  const height = meta.height ?? 0
  const scale = Math.min(1, maxSide / Math.max(width, height, 1))
  const pipeline = sharp(bytes, { failOn: 'error' }).rotate().removeAlpha().toColourspace('srgb')
  if (scale < 1) pipeline.resize(Math.round(width * scale), Math.round(height * scale))
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  const tensor = tf.tensor3d(new Int32Array(data), [info.height, info.width, info.channels], 'int32')
  try {
    const run = (options) => faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors()
    const ssd = () => new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: 20 })
    const tiny = (inputSize) => new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore })
    const tinySize = tinyInputSize ?? autoTinyInputSize(info)
    // cascade: the tiny detector first; when it finds no face, the tiny detector again at a side
    // 64 px larger (its misses at one scale are mostly found at another), and SSD last, so a
    // missed face is not reported as none. A covered camera or an empty seat runs all three.
    let used = detector === 'ssd' ? 'ssd' : 'tiny'
    let results = await run(used === 'ssd' ? ssd() : tiny(tinySize))
    if (detector === 'cascade' && results.length === 0 && tinySize < 608)
      results = await run(tiny(Math.min(608, tinySize + 64)))
    if (detector === 'cascade' && results.length === 0) {
      used = 'ssd'
      results = await run(ssd())
    }
    const faces = results.map((r) => {
      const b = r.detection.box
      return {
        score: r.detection.score,
        box: [b.x / scale, b.y / scale, b.width / scale, b.height / scale],
        descriptor: Array.from(r.descriptor),
      }
    })
    return { width, height, detector: used, faces }
  } finally {
    tensor.dispose()
  }
}

// The tiny detector's input side when none is given: a multiple of 32 near the image's longer
// side, 160–608.
function autoTinyInputSize(info) {
  const side = Math.max(info.width, info.height)
  return Math.min(608, Math.max(160, Math.round(side / 32) * 32))
}

// One request at a time per thread: the WASM backend runs single-threaded here and a queue bounds
// the memory in use.
let queue = Promise.resolve()
parentPort.on('message', (message) => {
  queue = queue.then(() => handle(message))
})

async function handle(message) {
  if (message?.op === 'memory') {
    const { numTensors, numBytes } = tf.memory()
    parentPort.postMessage({ id: message.id, numTensors, numBytes })
    return
  }
  if (message?.op === 'warm') {
    try {
      await ready
      parentPort.postMessage({ id: message.id, warm: true })
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: String(error?.message ?? error) })
    }
    return
  }
  try {
    parentPort.postMessage({ id: message.id, ...(await analyze(message)) })
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error?.message ?? error) })
  }
}
