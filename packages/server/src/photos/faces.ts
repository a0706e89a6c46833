/**
 * Face descriptors with face-api (@vladmandic/face-api on the tfjs WASM backend) in worker
 * threads, so detection never blocks the event loop. The models are read from the installed
 * package; nothing is downloaded. A detector finds faces (SSD MobileNet v1, the Tiny Face Detector,
 * or the tiny one with fallbacks), the 68-point landmarks align them, and the recognition net
 * gives a 128-d descriptor; two descriptors of one person are usually less than 0.6 apart
 * (euclidean), two people more.
 *
 * `threads` model threads (default 1), each with its own copy of the models, take requests in
 * turn: the one with the fewest requests waiting gets the next. A thread starts on first use and
 * is unreferenced while idle, so an engine nobody closed does not keep the process alive;
 * `close()` ends them.
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
  /** The detector that gave the faces ('cascade' reports 'ssd' when it fell back). */
  detector: 'ssd' | 'tiny'
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
   * many times faster, misses more small or turned faces; 'cascade': tiny first, then tiny at a
   * side 64 px larger, then SSD, each only when the one before found no face (as fast as tiny on
   * photos with a face, as thorough as SSD on the others).
   */
  detector?: FaceDetector
  /**
   * Side (multiple of 32) the tiny detector scales the whole image to. Default: near the image's
   * longer side (160–608); 160 is enough for a cab photo's one large face.
   */
  tinyInputSize?: number
}

export type FaceDetector = 'ssd' | 'tiny' | 'cascade'

export interface FaceEngineSettings extends FaceEngineOptions {
  /** Model threads (default 1): each holds its own models (about 120 MB) and uses up to one core. */
  threads?: number
}

export interface FaceEngine {
  /** All faces found in an image (JPEG/PNG/WebP bytes). Rejects when the bytes are not an image. */
  detect(bytes: Uint8Array, options?: FaceEngineOptions): Promise<FaceDetection>
  /** The number of faces and the descriptor of the largest. */
  descriptor(bytes: Uint8Array, options?: FaceEngineOptions): Promise<FaceDescriptor>
  /** Model threads; requests up to this many are analysed at the same time. */
  readonly threads: number
  /** Starts every thread and loads its models now (otherwise on the first request). */
  warm(): Promise<void>
  /** Tensors held by the started model threads (the weights plus anything leaked): for diagnostics and tests. */
  memory(): Promise<{ numTensors: number; numBytes: number }>
  /** Ends the threads; pending requests are rejected. */
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

interface ModelThread {
  worker: Worker
  pending: Map<number, Pending>
}

export function createFaceEngine(options: FaceEngineSettings = {}): FaceEngine {
  const maxSide = options.maxSide ?? 800
  const minScore = options.minScore ?? 0.5
  const detector = options.detector ?? 'ssd'
  const tinyInputSize = options.tinyInputSize ?? null
  const threadCount = Math.max(1, Math.floor(options.threads ?? 1))
  if (tinyInputSize !== null && (tinyInputSize % 32 !== 0 || tinyInputSize < 32))
    throw new Error(`tinyInputSize must be a positive multiple of 32, got ${tinyInputSize}`)
  const threads: (ModelThread | null)[] = Array.from({ length: threadCount }, () => null)
  let closed = false
  let nextId = 1

  const failAll = (thread: ModelThread, error: Error) => {
    for (const p of thread.pending.values()) p.reject(error)
    thread.pending.clear()
  }

  const start = (slot: number): ModelThread => {
    if (closed) throw new Error('the face engine is closed')
    const existing = threads[slot]
    if (existing) return existing
    const worker = new Worker(new URL('./faces-worker.mjs', import.meta.url), { execArgv: [] })
    const thread: ModelThread = { worker, pending: new Map() }
    worker.on('message', (message: { id: number; error?: string }) => {
      const p = thread.pending.get(message.id)
      if (!p) return
      thread.pending.delete(message.id)
      if (thread.pending.size === 0) worker.unref()
      if (message.error !== undefined) p.reject(new Error(message.error))
      else p.resolve(message)
    })
    worker.on('error', (error) => failAll(thread, error))
    worker.on('exit', (code) => {
      if (threads[slot] === thread) threads[slot] = null
      failAll(thread, new Error(`the face model thread ended (exit code ${code})`))
    })
    worker.unref()
    threads[slot] = thread
    return thread
  }

  /** The thread with the fewest requests waiting; an idle slot not started yet counts as empty. */
  const pick = (): number => {
    let best = 0
    let bestLoad = Number.POSITIVE_INFINITY
    for (let slot = 0; slot < threads.length; slot++) {
      const load = threads[slot]?.pending.size ?? 0
      if (load < bestLoad) {
        best = slot
        bestLoad = load
      }
    }
    return best
  }

  const send = <T>(slot: number, message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<T> => {
    const thread = start(slot)
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      thread.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      thread.worker.ref()
      thread.worker.postMessage({ ...message, id }, transfer ?? [])
    })
  }
  const request = <T>(message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<T> =>
    send<T>(pick(), message, transfer)
  const everyThread = <T>(message: Record<string, unknown>): Promise<T[]> =>
    Promise.all(threads.map((_, slot) => send<T>(slot, message)))

  const detect = async (bytes: Uint8Array, call: FaceEngineOptions = {}): Promise<FaceDetection> => {
    const copy = new Uint8Array(bytes)
    const settings = {
      maxSide: call.maxSide ?? maxSide,
      minScore: call.minScore ?? minScore,
      detector: call.detector ?? detector,
      tinyInputSize: call.tinyInputSize ?? tinyInputSize,
    }
    const result = await request<FaceDetection>({ bytes: copy, ...settings }, [copy.buffer as ArrayBuffer])
    const faces = [...result.faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])
    return { width: result.width, height: result.height, detector: result.detector, faces }
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
    threads: threadCount,
    async warm() {
      await everyThread({ op: 'warm' })
    },
    async memory() {
      const started = threads.flatMap((t, slot) => (t ? [slot] : []))
      const all = await Promise.all(
        started.map((slot) => send<{ numTensors: number; numBytes: number }>(slot, { op: 'memory' })),
      )
      return {
        numTensors: all.reduce((n, m) => n + m.numTensors, 0),
        numBytes: all.reduce((n, m) => n + m.numBytes, 0),
      }
    },
    async close() {
      closed = true
      const running = threads.filter((t): t is ModelThread => t !== null)
      threads.fill(null)
      for (const thread of running) failAll(thread, new Error('the face engine is closed'))
      await Promise.all(running.map((t) => t.worker.terminate()))
    },
  }
}

let shared: FaceEngine | null = null
let sharedSettings: FaceEngineSettings = {}

/**
 * Settings of the shared engine (threads); takes effect when it is next created, so a process
 * calls this at start, before the first request.
 */
export function configureSharedFaceEngine(settings: FaceEngineSettings): void {
  sharedSettings = { ...settings }
}

/** One engine per process, shared by the photo analysis loop and the registration API. */
export function sharedFaceEngine(): FaceEngine {
  shared ??= createFaceEngine(sharedSettings)
  return shared
}

/** Ends the shared engine's thread (tests, shutdown). */
export async function closeSharedFaceEngine(): Promise<void> {
  const engine = shared
  shared = null
  await engine?.close()
}
