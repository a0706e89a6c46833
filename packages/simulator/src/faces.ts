/**
 * Cab-camera photos that show real faces. The simulator is handed a face library (JPEG crops of
 * distinct people, cut out by the platform side once) and gives every person number a face of it;
 * each photo places that face on a generated cab background with small variations (crop jitter,
 * brightness, JPEG quality), as a real camera would. For the fraud benchmark a photo can instead
 * show the wrong face, a covered camera (a dark frame), an exact replay of an earlier photo of the
 * same person, or a re-encoded replay (a near duplicate).
 */
import sharp from 'sharp'
import type { PhotoPlan } from './lesson.ts'
import { generateJpeg, PHOTO_SIZES, type PhotoSource } from './photo.ts'
import { hashSeed, Rng } from './random.ts'

/** What a photo shows. */
export type PhotoVariant = 'genuine' | 'wrong-face' | 'covered' | 'replay' | 'replay-recoded'

export const PHOTO_VARIANTS: readonly PhotoVariant[] = ['genuine', 'wrong-face', 'covered', 'replay', 'replay-recoded']

/** The face of a person number: an index into a library of `count` faces (stable across runs). */
export function faceIndexFor(personNo: string, count: number): number {
  if (count <= 0) throw new RangeError('the face library is empty')
  return hashSeed(personNo, 0x5eed) % count
}

export interface FacePhotoOptions {
  /** JPEG crops of distinct people, head and shoulders, roughly square. */
  faces: readonly Uint8Array[]
  /** Which variant a photo gets (default: always genuine). Photos without a person number are generated. */
  variant?: (photo: PhotoPlan) => PhotoVariant
  /** Told what each photo actually shows (a replay with nothing to replay is genuine). */
  onPhoto?: (photo: PhotoPlan, variant: PhotoVariant, jpeg: Uint8Array) => void
}

/** A photo source for VirtualTerminal/runFleet: the right person's face, or the variant asked for. */
export function createFacePhotoSource(options: FacePhotoOptions): PhotoSource {
  const { faces } = options
  if (faces.length === 0) throw new RangeError('the face library is empty')
  const lastGenuine = new Map<string, Uint8Array>()
  return async (photo) => {
    if (!photo.personNo) return generateJpeg(photo.imageSeed, photo.size)
    let variant = options.variant?.(photo) ?? 'genuine'
    const previous = lastGenuine.get(photo.personNo)
    if ((variant === 'replay' || variant === 'replay-recoded') && !previous) variant = 'genuine'
    const rng = new Rng(hashSeed(photo.photoNo, photo.imageSeed))
    const own = faceIndexFor(photo.personNo, faces.length)
    let jpeg: Uint8Array
    switch (variant) {
      case 'covered':
        jpeg = await coveredFrame(photo.size, rng)
        break
      case 'replay':
        jpeg = previous as Uint8Array
        break
      case 'replay-recoded':
        jpeg = new Uint8Array(
          await sharp(previous as Uint8Array)
            .jpeg({ quality: rng.int(40, 70) })
            .toBuffer(),
        )
        break
      case 'wrong-face': {
        const other = faces.length > 1 ? (own + rng.int(1, faces.length - 1)) % faces.length : own
        jpeg = await cabPhoto(faces[other] as Uint8Array, photo, rng)
        break
      }
      default:
        jpeg = await cabPhoto(faces[own] as Uint8Array, photo, rng)
        lastGenuine.set(photo.personNo, jpeg)
    }
    options.onPhoto?.(photo, variant, jpeg)
    return jpeg
  }
}

/** The face crop on a generated cab background, slightly cropped, shifted, lit and compressed differently each time. */
export async function cabPhoto(
  face: Uint8Array,
  photo: Pick<PhotoPlan, 'imageSeed' | 'size'>,
  rng: Rng,
): Promise<Uint8Array> {
  const [width, height] = PHOTO_SIZES[photo.size] ?? [320, 240]
  const meta = await sharp(face).metadata()
  const fw = meta.width ?? 1
  const fh = meta.height ?? 1
  // Crop jitter: keep 85–100 % of the crop, anywhere inside it; the head tilts a few degrees.
  const keep = rng.float(0.85, 1)
  const cw = Math.max(1, Math.round(fw * keep))
  const ch = Math.max(1, Math.round(fh * keep))
  const left = rng.int(0, fw - cw)
  const top = rng.int(0, fh - ch)
  const side = Math.round(height * rng.float(0.6, 0.88))
  const faceTile = await sharp(
    await sharp(face)
      .extract({ left, top, width: cw, height: ch })
      .rotate(rng.float(-6, 6), { background: '#303030' })
      .toBuffer(),
  )
    .resize(side, side, { fit: 'cover' })
    .modulate({ brightness: rng.float(0.8, 1.2) })
    .toBuffer()
  // The cab behind the seat, lit from either side.
  let background = sharp(await generateJpeg(photo.imageSeed, photo.size, 90, false))
  if (rng.chance(0.5)) background = background.flop()
  // The person sits anywhere across the middle half of the frame.
  const x = Math.round((width - side) / 2 + rng.float(-0.18, 0.18) * width)
  const y = Math.max(0, Math.round(height - side - rng.float(0, 0.12) * height))
  const jpeg = await background
    .composite([{ input: faceTile, left: Math.max(0, Math.min(width - side, x)), top: y }])
    .jpeg({ quality: rng.int(55, 85) })
    .toBuffer()
  return new Uint8Array(jpeg)
}

/** A lens covered by a hand or tape: an almost black frame with a little sensor noise. */
export async function coveredFrame(sizeCode: number, rng: Rng): Promise<Uint8Array> {
  const [width, height] = PHOTO_SIZES[sizeCode] ?? [320, 240]
  const level = rng.int(4, 18)
  const jpeg = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: level, g: level, b: level },
      noise: { type: 'gaussian', mean: level, sigma: 2 },
    },
  })
    .jpeg({ quality: rng.int(55, 85) })
    .toBuffer()
  return new Uint8Array(jpeg)
}
