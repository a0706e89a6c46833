/**
 * 备案照片 of students and coaches:
 *
 * - `POST /api/registry/{students|coaches}/:id/photo` — multipart field `file`, or JSON
 *   `{ "imageBase64": "…" }`; the registry write permission and the person inside the caller's
 *   jurisdiction, like a registry edit. The photo must show exactly one face (422
 *   ERR_PHOTO_NO_FACE / ERR_PHOTO_MANY_FACES otherwise).
 * - `GET /api/registry/{students|coaches}/:id/photo` — the registered image (registry:read, scoped).
 */
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { writeAudit } from '../../auth/audit.ts'
import { appError, isAppError } from '../../errors/catalogue.ts'
import { photoStoreOf } from '../../ingestion/bus.ts'
import { type FaceEngine, sharedFaceEngine } from '../../photos/faces.ts'
import { PERSON_PHOTO_MAX_MB, type PersonKind, personPhotoOf, registerPersonPhoto } from '../../photos/registration.ts'
import { ENTITIES } from '../../registry/definitions.ts'
import { findRow } from '../../registry/repository.ts'
import { permitted } from '../context.ts'
import { IdParams } from '../schemas.ts'

const PEOPLE = [
  { entity: 'students', kind: 'student' },
  { entity: 'coaches', kind: 'coach' },
] as const satisfies readonly { entity: keyof typeof ENTITIES; kind: PersonKind }[]

const MAX_BYTES = PERSON_PHOTO_MAX_MB * 1024 * 1024

const Registered = Type.Object({
  personKind: Type.String({ description: 'student | coach' }),
  personId: Type.Integer(),
  sha256: Type.String({ description: '照片内容的 SHA-256（照片库的键）' }),
  sizeBytes: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  faceScore: Type.Number({ description: '人脸检测置信度 0–1' }),
  registeredAt: Type.String({ format: 'date-time' }),
  photosRescored: Type.Integer({ description: '据新照片重新计算人脸距离的已分析照片数' }),
})

/** The image of the request: multipart field `file`, or JSON imageBase64 (413 above the limit). */
async function uploadedImage(request: FastifyRequest): Promise<Uint8Array> {
  if (request.isMultipart()) {
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file' && part.fieldname === 'file') return new Uint8Array(await part.toBuffer())
        if (part.type === 'file') part.file.resume()
      }
    } catch (error) {
      if (isAppError(error)) throw error
      const code = (error as { code?: string }).code
      if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
        throw appError('ERR_HTTP_PAYLOAD_TOO_LARGE', { limitMb: PERSON_PHOTO_MAX_MB })
      }
      throw appError('ERR_HTTP_VALIDATION', { detail: `上传内容无法解析（${(error as Error).message}）` })
    }
    throw appError('ERR_HTTP_VALIDATION', { detail: '请求中没有名为 file 的文件' })
  }
  const body = request.body as { imageBase64?: unknown } | undefined
  if (typeof body?.imageBase64 !== 'string') {
    throw appError('ERR_HTTP_UNSUPPORTED_MEDIA', { type: request.headers['content-type'] ?? '（无）' })
  }
  const text = body.imageBase64.replace(/^data:[^,]*,/, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw appError('ERR_HTTP_VALIDATION', { detail: 'imageBase64 不是 Base64' })
  const bytes = new Uint8Array(Buffer.from(text, 'base64'))
  if (bytes.byteLength > MAX_BYTES) throw appError('ERR_HTTP_PAYLOAD_TOO_LARGE', { limitMb: PERSON_PHOTO_MAX_MB })
  return bytes
}

function contentTypeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png'
  if (bytes[0] === 0x52 && bytes[1] === 0x49) return 'image/webp'
  return 'image/jpeg'
}

const personPhotoRoutes: FastifyPluginAsyncTypebox<{ faces?: FaceEngine }> = async (app, options) => {
  if (!app.hasContentTypeParser('multipart/form-data')) {
    await app.register(multipart, {
      limits: { fileSize: MAX_BYTES, files: 1, fields: 5, parts: 10 },
      throwFileSizeLimit: true,
    })
  }
  const photos = photoStoreOf(app.config)
  const faces = () => options.faces ?? sharedFaceEngine()

  for (const { entity, kind } of PEOPLE) {
    const def = ENTITIES[entity]
    const tags = [`备案：${def.label}`]
    const url = `/api/registry/${entity}/:id/photo`

    app.post(
      url,
      {
        bodyLimit: Math.ceil(MAX_BYTES * 1.4) + 1024,
        schema: {
          tags,
          summary: `登记${def.label}备案照片`,
          description:
            `multipart/form-data 字段 file，或 JSON {"imageBase64": "…"}；JPEG/PNG，上限 ${PERSON_PHOTO_MAX_MB} MB。` +
            '照片须恰好有一张人脸（没有人脸 422 ERR_PHOTO_NO_FACE，多张人脸 422 ERR_PHOTO_MANY_FACES）；' +
            '再次登记替换原照片，并用新照片重新比对已分析的培训照片。',
          consumes: ['multipart/form-data', 'application/json'],
          params: IdParams,
          response: { 201: Registered },
        },
      },
      async (request, reply) => {
        const principal = permitted(request, def.write, `登记${def.label}备案照片`)
        const id = request.params.id
        const row = await findRow(app.database.db, entity, principal.scope, id)
        if (!row) throw appError('ERR_REG_NOT_FOUND', { entity: def.label, id }, { entity, id })
        const bytes = await uploadedImage(request)
        const registered = await registerPersonPhoto(app.database, photos, faces(), { kind, id }, bytes)
        await writeAudit(app.database.db, {
          actor: { id: principal.user.id, username: principal.user.username, role: principal.user.role },
          action: 'update',
          entity: def.table,
          entityId: id,
          regionCode: (row.countyCode as string | undefined) ?? null,
          detail: { changed: ['photo'], sha256: registered.sha256, title: row[def.titleKey] ?? null },
          ip: request.ip,
        })
        return reply.status(201).send({ ...registered, registeredAt: registered.registeredAt.toISOString() })
      },
    )

    app.get(
      url,
      {
        schema: {
          tags,
          summary: `${def.label}备案照片（图片）`,
          description: '返回登记的照片原图；尚未登记时 404 ERR_PHOTO_NOT_REGISTERED。',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const principal = permitted(request, 'registry:read', `查看${def.label}备案照片`)
        const id = request.params.id
        const row = await findRow(app.database.db, entity, principal.scope, id)
        if (!row) throw appError('ERR_REG_NOT_FOUND', { entity: def.label, id }, { entity, id })
        const registered = await personPhotoOf(app.database, { kind, id })
        const bytes = registered ? await photos.get(registered.sha256) : null
        if (!registered || !bytes) {
          throw appError('ERR_PHOTO_NOT_REGISTERED', { person: `${def.label} ${row[def.titleKey] ?? id}` })
        }
        return reply
          .header('content-type', contentTypeOf(bytes))
          .header('cache-control', 'private, max-age=60')
          .header('etag', `"${registered.sha256}"`)
          .header('last-modified', registered.registeredAt.toUTCString())
          .send(Buffer.from(bytes))
      },
    )
  }
}

export default personPhotoRoutes
