/**
 * Content-addressed photo store on the local disk: `<root>/ab/cd/<sha256>.jpg`. Bytes are written to
 * a temporary file in the target directory, flushed, then renamed into place, so a reader never sees
 * a partial photo and storing the same bytes twice is a no-op.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface StoredPhoto {
  sha256: string
  sizeBytes: number
  /** False when the same bytes were already stored. */
  created: boolean
}

export interface PhotoStore {
  readonly root: string
  put(bytes: Uint8Array): Promise<StoredPhoto>
  /** The bytes of a stored photo, or null. */
  get(sha256: string): Promise<Uint8Array | null>
  pathOf(sha256: string): string
}

const SHA256 = /^[0-9a-f]{64}$/

export function createPhotoStore(root: string): PhotoStore {
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`)
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.jpg`)
  }
  return {
    root,
    pathOf,
    async put(bytes) {
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex')
      const target = pathOf(sha256)
      const stored = { sha256, sizeBytes: bytes.byteLength }
      if (fs.existsSync(target)) return { ...stored, created: false }
      await fs.promises.mkdir(path.dirname(target), { recursive: true })
      const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`
      const handle = await fs.promises.open(tmp, 'wx')
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      try {
        await fs.promises.rename(tmp, target)
      } catch (error) {
        await fs.promises.rm(tmp, { force: true })
        throw error
      }
      return { ...stored, created: true }
    },
    async get(sha256) {
      try {
        return new Uint8Array(await fs.promises.readFile(pathOf(sha256)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
  }
}
