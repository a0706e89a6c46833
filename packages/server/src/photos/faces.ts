/**
 * Face descriptors with face-api (@vladmandic/face-api on the tfjs WASM backend) in a worker
 * thread, so detection never blocks the event loop. The models are read once from the installed
 * package; nothing is downloaded. The SSD MobileNet detector finds faces, the 68-point landmarks
 * align them, and the recognition net gives a 128-d descriptor; two descriptors of one person are
 * usually less than 0.6 apart (euclidean), two people more.
 *
 * The thread starts on first use and is unreferenced while idle, so an engine nobody closed does
 * not keep the process alive; `close()` ends it.
 */
import { Worker } from 'node:worker_threads'

export type Box = [x: number, y: number, width: number, height: number]

export interface DetectedFace {
  /** Detector confidence 0–1. */
  score: number
  /** In pixels of the original image. */
  box: Box
  descriptor: number[]
}

export interface FaceDetection {
  width: number
  height: number
  /** Largest first. */
  faces: DetectedFace[]
}

export interface FaceDescriptor {
  faceCount: number
  /** 128-d descriptor of the largest face; null when there is none. */
  descriptor: number[] | null
  /** Detector confidence of that face (0–1). */
  score: number | null
  box: Box | null
}

export interface FaceEngineOptions {
  /** Images are scaled down to this longest side before detection (default 800). */
  maxSide?: number
  /** Detections under this confidence are ignored (default 0.5). */
  minScore?: number
  /**
   * 'ssd' (SSD MobileNet v1, default): the more accurate detector; 'tiny' (Tiny Face Detector):
   * several times faster, misses more small or turned faces.
   */
  detector?: FaceDetector
}

export type FaceDetector = 'ssd' | 'tiny'

export interface FaceEngine {
  /** All faces found in an image (JPEG/PNG/WebP bytes). Rejects when the bytes are not an image. */
  detect(bytes: Uint8Array, options?: FaceEngineOptions): Promise<FaceDetection>
  /** The number of faces and the descriptor of the largest. */
  descriptor(bytes: Uint8Array, options?: FaceEngineOptions): Promise<FaceDescriptor>
  /** Loads the models now (otherwise on the first request). */
  warm(): Promise<void>
  /** Tensors held by the model thread (the weights plus anything leaked): for diagnostics and tests. */
  memory(): Promise<{ numTensors: number; numBytes: number }>
  /** Ends the thread; pending requests are rejected. */
  close(): Promise<void>
}

/** Euclidean distance between two face descriptors (0 = identical; ≥ 0.6 usually another person). */
export function faceDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`descriptor lengths differ: ${a.length} vs ${b.length}`)
  let sum = 0
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number)
    sum += d * d
  }
  return Math.sqrt(sum)
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

export function createFaceEngine(options: FaceEngineOptions = {}): FaceEngine {
  const maxSide = options.maxSide ?? 800
  const minScore = options.minScore ?? 0.5
  const detector = options.detector ?? 'ssd'
  let worker: Worker | null = null
  let closed = false
  let nextId = 1
  const pending = new Map<number, Pending>()

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }

  const start = (): Worker => {
    if (closed) throw new Error('the face engine is closed')
    if (worker) return worker
    const w = new Worker(new URL('./faces-worker.mjs', import.meta.url), { execArgv: [] })
    w.on('message', (message: { id: number; error?: string }) => {
      const p = pending.get(message.id)
      if (!p) return
      pending.delete(message.id)
      if (pending.size === 0) w.unref()
      if (message.error !== undefined) p.reject(new Error(message.error))
      else p.resolve(message)
    })
    w.on('error', (error) => failAll(error))
    w.on('exit', (code) => {
      if (worker === w) worker = null
      failAll(new Error(`the face model thread ended (exit code ${code})`))
    })
    w.unref()
    worker = w
    return w
  }

  const request = <T>(message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<T> => {
    const w = start()
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      w.ref()
      w.postMessage({ ...message, id }, transfer ?? [])
    })
  }

  const detect = async (bytes: Uint8Array, call: FaceEngineOptions = {}): Promise<FaceDetection> => {
    const copy = new Uint8Array(bytes)
    const settings = {
      maxSide: call.maxSide ?? maxSide,
      minScore: call.minScore ?? minScore,
      detector: call.detector ?? detector,
    }
    const result = await request<FaceDetection>({ bytes: copy, ...settings }, [copy.buffer as ArrayBuffer])
    const faces = [...result.faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])
    return { width: result.width, height: result.height, faces }
  }

  return {
    detect,
    async descriptor(bytes, call) {
      const { faces } = await detect(bytes, call)
      const largest = faces[0]
      return {
        faceCount: faces.length,
        descriptor: largest?.descriptor ?? null,
        score: largest?.score ?? null,
        box: largest?.box ?? null,
      }
    },
    async warm() {
      await request({ op: 'warm' })
    },
    async memory() {
      const { numTensors, numBytes } = await request<{ numTensors: number; numBytes: number }>({ op: 'memory' })
      return { numTensors, numBytes }
    },
    async close() {
      closed = true
      const w = worker
      worker = null
      failAll(new Error('the face engine is closed'))
      if (w) await w.terminate()
    },
  }
}

let shared: FaceEngine | null = null

/** One engine per process, shared by the photo analysis loop and the registration API. */
export function sharedFaceEngine(): FaceEngine {
  shared ??= createFaceEngine()
  return shared
}

/** Ends the shared engine's thread (tests, shutdown). */
export async function closeSharedFaceEngine(): Promise<void> {
  const engine = shared
  shared = null
  await engine?.close()
}
