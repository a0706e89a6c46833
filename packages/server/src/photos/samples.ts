/**
 * Where the face model and its sample photos live: inside the installed @vladmandic/face-api
 * package (model/ holds the weights, demo/sample1–6.jpg are group photos). Nothing is downloaded.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** Root folder of the installed face-api package. */
export function faceApiRoot(): string {
  return path.dirname(require.resolve('@vladmandic/face-api/package.json'))
}

/** Folder with the model weights (ssd_mobilenetv1, face_landmark_68, face_recognition …). */
export function faceModelDir(): string {
  return path.join(faceApiRoot(), 'model')
}

/** Paths of the sample group photos shipped with the package (empty if a future version drops them). */
export function faceSamplePaths(): string[] {
  const demo = path.join(faceApiRoot(), 'demo')
  return [1, 2, 3, 4, 5, 6].map((i) => path.join(demo, `sample${i}.jpg`)).filter((p) => fs.existsSync(p))
}
