/**
 * The HTTP application: JSON API under /api (TypeBox-validated, documented as OpenAPI at
 * /api/openapi.json and /api/docs) and the built web console at / with SPA fallback.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Config } from '../config/load.ts'
import type { Database } from '../db/client.ts'
import { appError } from '../errors/catalogue.ts'
import type { Gateway } from '../gateway/gateway.ts'
import { registerAuthentication } from './context.ts'
import { registerErrorHandling, sendError } from './errors.ts'
import authRoutes from './routes/auth.routes.ts'
import dashboardRoutes from './routes/dashboard.routes.ts'
import detectionRoutes from './routes/detection.routes.ts'
import exchangeRoutes from './routes/exchange.routes.ts'
import exchangeConsoleRoutes from './routes/exchange-console.routes.ts'
import findingsRoutes from './routes/findings.routes.ts'
import framesRoutes from './routes/frames.routes.ts'
import hoursRoutes from './routes/hours.routes.ts'
import importExportRoutes from './routes/import-export.routes.ts'
import liveRoutes from './routes/live.routes.ts'
import personPhotoRoutes from './routes/person-photo.routes.ts'
import policyRoutes from './routes/policy.routes.ts'
import registryRoutes from './routes/registry.routes.ts'
import terminalCommandRoutes from './routes/terminal-commands.routes.ts'
import trainingRoutes from './routes/training.routes.ts'
import usersRoutes from './routes/users.routes.ts'
import { ErrorBody } from './schemas.ts'

/** The built web console (packages/web/dist). */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist')

export const API_TITLE = '驾培监管服务平台 API'

export interface BuildAppOptions {
  config: Readonly<Config>
  database: Database
  /** A pino logger to use; by default one is created at `config.logLevel`. */
  logger?: FastifyBaseLogger
  /** Folder of the built console; defaults to packages/web/dist. Served only when it exists. */
  webDist?: string
  /** The terminal gateway of this process (role `gateway`), for terminal commands and the online list. */
  gateway?: Gateway
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel } }),
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('database', database)
  app.decorate('config', config)
  registerErrorHandling(app)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  await app.register(fastifyCookie)
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: API_TITLE,
        version: '0.1.0',
        description:
          '浙江省驾培监管服务平台接口。登录后以 Cookie `jiapei_session` 访问，或在请求头携带 `Authorization: Bearer jp_…` API 令牌。' +
          '错误响应体为 `{ code, message, showType, details?, requestId }`。',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jiapei_session' },
          token: { type: 'http', scheme: 'bearer', description: 'API 令牌 jp_…' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })
  app.addSchema(ErrorBody)

  registerAuthentication(app)

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(authRoutes)
  await app.register(usersRoutes)
  await app.register(registryRoutes)
  await app.register(dashboardRoutes)
  await app.register(framesRoutes)
  // ── Import / export of registry lists (routes/import-export.routes.ts) ──
  await app.register(importExportRoutes)
  await app.register(trainingRoutes)
  await app.register(personPhotoRoutes)
  await app.register(terminalCommandRoutes, options.gateway ? { gateway: options.gateway } : {})
  await app.register(liveRoutes, options.gateway ? { gateway: options.gateway } : {})
  // ── Exchange interface for third-party timing platforms (/exchange/*, docs/exchange.md) ──
  await app.register(exchangeRoutes)
  await app.register(exchangeConsoleRoutes)
  await app.register(policyRoutes)
  await app.register(hoursRoutes)
  await app.register(findingsRoutes)
  await app.register(detectionRoutes)

  const webDist = options.webDist ?? WEB_DIST
  const serveWeb = fs.existsSync(path.join(webDist, 'index.html'))
  if (serveWeb) await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false })

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/'
    if (
      serveWeb &&
      !url.startsWith('/api/') &&
      url !== '/api' &&
      (request.method === 'GET' || request.method === 'HEAD')
    ) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html')
    }
    return sendError(reply, request, appError('ERR_HTTP_NOT_FOUND', { method: request.method, url }))
  })

  return app
}
