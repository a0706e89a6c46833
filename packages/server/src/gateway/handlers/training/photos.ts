/**
 * Photo upload (STANDARDS §2.7): 0x0305 照片上传初始化 → 0x8305 (应答代码 0: start sending), then
 * the photo as 0x0306 上传照片数据包 (照片编号 + JPEG), normally one message split into JT/T 808
 * sub-packets that the gateway reassembles before this handler sees it; terminals that send the
 * photo as several 0x0306 messages are supported too (the parts are appended until 照片数据大小 is
 * reached). The assembled photo and its sha256 go to `sink.acceptPhoto`; the 0x8001 answering the
 * completing uplink is sent once the photo is durable. The photo bytes are left out of the frame
 * envelope (the packets themselves are archived raw).
 */
import crypto from 'node:crypto'
import {
  PHOTO_INIT_ANSWER,
  type PhotoData,
  type PhotoUploadInit,
  photoUploadInitReply,
  type TrainingEnvelope,
} from '@jiapei/jt808-training'
import { generalReply, type Outcome, type Uplink } from '../types.ts'
import { type TrainingHandler, trainingAnswer } from './types.ts'

export const handlePhotoInit: TrainingHandler = (ctx, _up, env) => {
  const init = env.body as PhotoUploadInit
  const photos = ctx.session.photos
  const full = photos.size >= ctx.limits.maxPhotosPerSession && !photos.has(init.photoNo)
  const tooLarge = init.photoSize > ctx.limits.maxPhotoBytes
  const accepted = !full && !tooLarge
  if (accepted) {
    photos.set(init.photoNo, {
      photoNo: init.photoNo,
      init: { ...init },
      expectedBytes: init.photoSize,
      parts: [],
      receivedBytes: 0,
      startedAt: ctx.now(),
    })
  }
  return {
    reply: (ok) => [
      trainingAnswer(env, photoUploadInitReply, {
        answer: ok && accepted ? PHOTO_INIT_ANSWER.code.accepted : PHOTO_INIT_ANSWER.code.rejected,
        extra: new Uint8Array(0),
      }),
    ],
  }
}

function withoutBytes(up: Uplink, env: TrainingEnvelope, photoNo: string, size: number, sha256?: string): unknown {
  const body = up.body as Record<string, unknown>
  const photo: Record<string, unknown> = { photoNo, bytes: size }
  if (sha256) photo.sha256 = sha256
  return { ...body, data: new Uint8Array(0), content: { ...env, data: new Uint8Array(0), body: photo } }
}

export const handlePhotoData: TrainingHandler = (ctx, up, env): Outcome => {
  const { photoNo, data } = env.body as PhotoData
  const terminal = ctx.session.terminal
  const photos = ctx.session.photos
  let upload = photos.get(photoNo)
  if (!upload) {
    // No 0x0305 seen on this connection (e.g. it came before a reconnect): take the data as the whole photo.
    upload = { photoNo, init: {}, expectedBytes: data.length, parts: [], receivedBytes: 0, startedAt: ctx.now() }
  }
  upload.parts.push(data)
  upload.receivedBytes += data.length
  if (upload.receivedBytes < upload.expectedBytes) {
    photos.set(photoNo, upload)
    return { message: withoutBytes(up, env, photoNo, data.length), reply: generalReply(up) }
  }
  photos.delete(photoNo)
  const bytes = new Uint8Array(Buffer.concat(upload.parts))
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex')
  ctx.count('photosAssembled')
  if (!terminal) return { reply: generalReply(up) }
  return {
    message: withoutBytes(up, env, photoNo, bytes.length, sha256),
    photo: {
      terminalId: terminal.id,
      terminalPhone: ctx.session.phone ?? terminal.phone,
      photoNo,
      receivedAt: up.receivedAt,
      bytes,
      init: { ...upload.init, sha256, backfill: env.attributes.backfill },
    },
    reply: generalReply(up),
  }
}
