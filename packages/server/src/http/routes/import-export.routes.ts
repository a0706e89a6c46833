/**
 * Bulk import and export of registry lists:
 *
 * - `GET  /api/registry/{entity}/export?format=xlsx|csv&<list filters>` (registry:export)
 * - `GET  /api/registry/{entity}/import-template?format=xlsx|csv` (registry:import)
 * - `POST /api/registry/{entity}/import` multipart field `file` (registry:import + the entity's
 *   write permission) → `{ imported }`, or 422 ERR_REG_IMPORT_INVALID with every row error.
 */
import multipart from '@fastify/multipart'
import type {} from '@fastify/swagger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { writeAudit } from '../../auth/audit.ts'
import type { Principal } from '../../auth/principal.ts'
import { appError, isAppError } from '../../errors/catalogue.ts'
import { ENTITIES, ENTITY_NAMES, type EntityName } from '../../registry/definitions.ts'
import { contentDisposition, exportStream, fileName, templateFile } from '../../registry/import-export/export.ts'
import { CONTENT_TYPES, type FileFormat } from '../../registry/import-export/format.ts'
import { IMPORT_ROW_LIMIT, importFile } from '../../registry/import-export/import.ts'
import type { ListFilters } from '../../registry/repository.ts'
import { permitted } from '../context.ts'

/** Largest accepted upload. */
export const IMPORT_MAX_MB = 20

const formatQuery = {
  format: { type: 'string', enum: ['xlsx', 'csv'], default: 'xlsx', description: '文件格式' },
} as const

const exportQuerystring = {
  type: 'object',
  properties: {
    ...formatQuery,
    q: { type: 'string', description: '关键字（名称、编号）' },
    cityCode: { type: 'string', pattern: '^\\d{6}$' },
    countyCode: { type: 'string', pattern: '^\\d{6}$' },
    institutionId: { type: 'integer', minimum: 1 },
    status: { type: 'string' },
    licenseType: { type: 'string' },
    vehicleType: { type: 'string' },
  },
  additionalProperties: false,
} as const

const importResponse = {
  200: {
    type: 'object',
    properties: { imported: { type: 'integer', description: '导入的行数' } },
    required: ['imported'],
  },
} as const

interface ExportQuery extends ListFilters {
  format: FileFormat
}

function actorOf(principal: Principal) {
  return { id: principal.user.id, username: principal.user.username, role: principal.user.role }
}

function sendFile(reply: FastifyReply, format: FileFormat, name: string, body: unknown) {
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', contentDisposition(name))
    .header('cache-control', 'no-store')
    .send(body)
}

/** The uploaded file of a multipart request, as a buffer (413 above the size limit). */
async function uploadedFile(request: FastifyRequest): Promise<{ buffer: Buffer; name: string }> {
  if (!request.isMultipart()) {
    throw appError('ERR_HTTP_UNSUPPORTED_MEDIA', { type: request.headers['content-type'] ?? '（无）' })
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'file') {
        const buffer = await part.toBuffer()
        return { buffer, name: part.filename }
      }
      if (part.type === 'file') part.file.resume()
    }
  } catch (error) {
    if (isAppError(error)) throw error
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
      throw appError('ERR_HTTP_PAYLOAD_TOO_LARGE', { limitMb: IMPORT_MAX_MB })
    }
    throw appError('ERR_REG_IMPORT_FORMAT', { reason: `上传内容无法解析（${(error as Error).message}）` })
  }
  throw appError('ERR_REG_IMPORT_FORMAT', { reason: '请求中没有名为 file 的文件' })
}

export default async function importExportRoutes(app: FastifyInstance): Promise<void> {
  if (!app.hasContentTypeParser('multipart/form-data')) {
    await app.register(multipart, {
      limits: { fileSize: IMPORT_MAX_MB * 1024 * 1024, files: 1, fields: 10, parts: 20 },
      throwFileSizeLimit: true,
    })
  }

  for (const entity of ENTITY_NAMES) {
    const def = ENTITIES[entity]
    const tags = ['导入导出']

    app.get<{ Querystring: ExportQuery }>(
      `/api/registry/${entity}/export`,
      {
        schema: {
          summary: `导出${def.label}清单`,
          description: '按当前账号的管辖范围和筛选条件导出全部记录；表头与导入模板一致，可直接重新导入。',
          tags,
          querystring: exportQuerystring,
        },
      },
      async (request, reply) => {
        const principal = permitted(request, 'registry:export', `导出${def.label}`)
        const { format, ...filters } = request.query
        const personal = principal.permissions.includes('personal:read')
        const { stream, done } = exportStream(entity, format, filters, {
          db: app.database.db,
          scope: principal.scope,
          personal,
          beforeEnd: (count) =>
            writeAudit(app.database.db, {
              actor: actorOf(principal),
              action: 'export',
              entity: def.table,
              regionCode: principal.user.regionCode,
              detail: { count, format, filters, personal },
              ip: request.ip,
            }),
        })
        done.catch((error) => request.log.error({ err: error }, '导出失败 / export failed'))
        return sendFile(reply, format, fileName(entity, 'export', format), stream)
      },
    )

    app.get<{ Querystring: { format: FileFormat } }>(
      `/api/registry/${entity}/import-template`,
      {
        schema: {
          summary: `下载${def.label}导入模板`,
          description: '表头加一行示例；xlsx 模板另有“填写说明”工作表，逐列说明填写规则。',
          tags,
          querystring: { type: 'object', properties: formatQuery, additionalProperties: false },
        },
      },
      async (request, reply) => {
        permitted(request, 'registry:import', `导入${def.label}`)
        const { format } = request.query
        return sendFile(reply, format, fileName(entity, 'template', format), await templateFile(entity, format))
      },
    )

    app.post(
      `/api/registry/${entity}/import`,
      {
        schema: {
          summary: `导入${def.label}`,
          description:
            `以 multipart/form-data 字段 file 上传 .xlsx 或 .csv（UTF-8 或 GBK），上限 ${IMPORT_MAX_MB} MB、` +
            `${IMPORT_ROW_LIMIT} 行。逐行校验全部数据；有任何错误时返回 422 ERR_REG_IMPORT_INVALID 和` +
            '错误清单（行号、列名、字段、原因），不导入任何数据；全部正确时在一个事务中导入。',
          tags,
          consumes: ['multipart/form-data'],
          response: importResponse,
        },
      },
      async (request) => {
        const principal = permitted(request, 'registry:import', `导入${def.label}`)
        permitted(request, def.write, `导入${def.label}`)
        const { buffer, name } = await uploadedFile(request)
        return importFile(entity as EntityName, buffer, name, {
          database: app.database,
          scope: principal.scope,
          actor: actorOf(principal),
          ip: request.ip,
        })
      },
    )
  }
}
