/**
 * Platform → terminal commands over HTTP, answered with the terminal's reply (or a coded timeout),
 * and the list of terminals online on this gateway. The plugin needs the running gateway, passed
 * as the `gateway` option at registration; without it every route answers ERR_GW_UNAVAILABLE.
 * Terminals are scoped like the registry's: a terminal outside the caller's jurisdiction is
 * "not found".
 *
 * @example
 * await app.register(terminalCommandRoutes, { gateway: gatewayServer.gateway })
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { toJsonValue } from '@jiapei/jt808'
import {
  type AppParams,
  appParamsSet,
  DEFAULT_APP_PARAMS,
  photoNow,
  recordQuery,
  type TrainingMessageDefinition,
  trainingBanSet,
} from '@jiapei/jt808-training'
import { type Static, Type } from '@sinclair/typebox'
import { and, eq, inArray } from 'drizzle-orm'
import type { Principal } from '../../auth/principal.ts'
import { scopeCondition } from '../../auth/scope.ts'
import type { Db } from '../../db/client.ts'
import { terminal } from '../../db/schema/index.ts'
import { appError } from '../../errors/catalogue.ts'
import type { CommandMessage, Gateway } from '../../gateway/gateway.ts'
import { authenticated, permitted } from '../context.ts'
import { AnyObject, IdParams } from '../schemas.ts'

export interface TerminalCommandRoutesOptions {
  /** The gateway of this process (role `gateway`); absent when the process does not run one. */
  gateway?: Gateway
}

const TERMINAL_COLUMNS = {
  cityCode: terminal.cityCode,
  countyCode: terminal.countyCode,
  institutionId: terminal.institutionId,
  timingPlatformId: terminal.timingPlatformId,
}

const Timeout = Type.Optional(
  Type.Integer({ minimum: 100, maximum: 120_000, description: '等待终端应答的毫秒数，默认 30000' }),
)

const PhotoBody = Type.Object({
  uploadMode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: 1, description: '上传模式' })),
  channel: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: 0, description: '摄像头通道号，0 自动' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 255, default: 1, description: '图片尺寸代码' })),
  timeoutMs: Timeout,
})

const BanBody = Type.Object({
  banned: Type.Boolean({ description: 'true 禁训，false 解除禁训' }),
  message: Type.Optional(Type.String({ maxLength: 100, description: '提示消息（终端显示）' })),
  timeoutMs: Timeout,
})

const int = (max: number) => Type.Optional(Type.Integer({ minimum: 0, maximum: max }))
const ParamsBody = Type.Object({
  paramNo: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: '参数编号，0 = 设置全部' })),
  params: Type.Optional(
    Type.Object(
      {
        photoIntervalMin: int(255),
        photoUpload: int(255),
        readAloud: int(255),
        stopTimingDelayMin: int(255),
        gnssIntervalAfterEngineOffSec: int(65535),
        coachLogoutDelayMin: int(65535),
        reverifyIntervalMin: int(65535),
        coachCrossSchool: int(255),
        studentCrossSchool: int(255),
        sameCommandIntervalSec: int(65535),
      },
      { additionalProperties: false, description: '未给出的字段取标准默认值' },
    ),
  ),
  timeoutMs: Timeout,
})

const BcdTime = Type.String({ pattern: '^\\d{12}$', description: 'YYMMDDhhmmss（北京时间）' })
const MinutesBody = Type.Object({
  mode: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 按时间，2 按条数' }),
  startTime: BcdTime,
  endTime: BcdTime,
  count: Type.Integer({ minimum: 0, maximum: 65535, description: '查询条数' }),
  timeoutMs: Timeout,
})

const CommandReply = Type.Object({
  terminalId: Type.Integer(),
  command: Type.String(),
  reply: AnyObject,
})

const OnlineList = Type.Array(
  Type.Object({
    terminalId: Type.Integer(),
    deviceNo: Type.String(),
    phone: Type.String(),
    remote: Type.String(),
    connectedAt: Type.String({ format: 'date-time' }),
    lastSeenAt: Type.String({ format: 'date-time' }),
  }),
)

async function terminalInScope(db: Db, principal: Principal, id: number): Promise<void> {
  const rows = await db
    .select({ id: terminal.id })
    .from(terminal)
    .where(and(eq(terminal.id, id), scopeCondition(principal.scope, TERMINAL_COLUMNS, 'terminal')))
    .limit(1)
  if (rows.length === 0) throw appError('ERR_REG_NOT_FOUND', { entity: '计时终端', id })
}

function training<B>(def: TrainingMessageDefinition<B>, body: B): CommandMessage {
  return { training: def as unknown as TrainingMessageDefinition<never>, body }
}

const terminalCommandRoutes: FastifyPluginAsyncTypebox<TerminalCommandRoutesOptions> = async (app, options) => {
  const db = app.database.db
  const tags = ['终端指令']

  function gateway(): Gateway {
    if (!options.gateway) throw appError('ERR_GW_UNAVAILABLE')
    return options.gateway
  }

  async function run(
    request: { params: { id: number }; principal: Principal | null },
    command: string,
    message: CommandMessage,
    timeoutMs: number | undefined,
  ) {
    const principal = permitted(request as never, 'terminal:write', '下发终端指令')
    await terminalInScope(db, principal, request.params.id)
    const reply = await gateway().command(request.params.id, message, timeoutMs ? { timeoutMs } : {})
    return { terminalId: request.params.id, command, reply: toJsonValue(reply) as Record<string, unknown> }
  }

  const schema = (summary: string, body: unknown) => ({
    schema: { tags, summary, params: IdParams, body, response: { 200: CommandReply } },
  })

  app.post(
    '/api/terminals/:id/commands/photo',
    schema('立即拍照（0x8301），返回终端的 0x0301 应答', PhotoBody),
    async (request) => {
      const b = request.body as Static<typeof PhotoBody>
      return run(
        request,
        'photo',
        training(photoNow, { uploadMode: b.uploadMode ?? 1, channel: b.channel ?? 0, size: b.size ?? 1 }),
        b.timeoutMs,
      )
    },
  )

  app.post(
    '/api/terminals/:id/commands/ban',
    schema('设置禁训状态（0x8502），返回终端的 0x0502 应答', BanBody),
    async (request) => {
      const b = request.body as Static<typeof BanBody>
      return run(
        request,
        'ban',
        training(trainingBanSet, { state: b.banned ? 2 : 1, message: b.message ?? '', extra: new Uint8Array(0) }),
        b.timeoutMs,
      )
    },
  )

  app.post(
    '/api/terminals/:id/commands/params',
    schema('设置计时终端应用参数（0x8501），返回终端的 0x0501 应答', ParamsBody),
    async (request) => {
      const b = request.body as Static<typeof ParamsBody>
      const params: AppParams = { ...DEFAULT_APP_PARAMS }
      for (const [k, v] of Object.entries(b.params ?? {}))
        if (v !== undefined) (params as Record<string, number>)[k] = v
      return run(
        request,
        'params',
        training(appParamsSet, { paramNo: b.paramNo ?? 0, params, extra: new Uint8Array(0) }),
        b.timeoutMs,
      )
    },
  )

  app.post(
    '/api/terminals/:id/commands/minutes',
    schema('命令上报学时记录（0x8205），返回终端的 0x0205 应答', MinutesBody),
    async (request) => {
      const b = request.body as Static<typeof MinutesBody>
      return run(
        request,
        'minutes',
        training(recordQuery, { mode: b.mode, startTimeLocal: b.startTime, endTimeLocal: b.endTime, count: b.count }),
        b.timeoutMs,
      )
    },
  )

  app.get(
    '/api/terminals/online',
    { schema: { tags, summary: '本网关在线的计时终端（管辖范围内）', response: { 200: OnlineList } } },
    async (request) => {
      const principal = authenticated(request)
      const sessions = gateway().onlineSessions()
      if (sessions.length === 0) return []
      const visible = new Set<number>()
      const ids = sessions.map((s) => s.terminalId)
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db
          .select({ id: terminal.id })
          .from(terminal)
          .where(
            and(
              inArray(terminal.id, ids.slice(i, i + 1000)),
              scopeCondition(principal.scope, TERMINAL_COLUMNS, 'terminal'),
            ),
          )
        for (const r of rows) visible.add(r.id)
      }
      return sessions
        .filter((s) => visible.has(s.terminalId))
        .map((s) => ({
          terminalId: s.terminalId,
          deviceNo: s.deviceNo,
          phone: s.phone,
          remote: s.remote,
          connectedAt: s.connectedAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
        }))
    },
  )
}

export default terminalCommandRoutes
export { terminalCommandRoutes }
