/**
 * 实时监控: the online terminals of the caller's jurisdiction with their last fix and the session
 * running on them, and the counts of the monitoring page's header cards. Which terminals are online
 * is what the gateway of this process reports, passed as the `gateway` option at registration;
 * without it the route answers ERR_GW_LIVE_UNAVAILABLE.
 *
 * @example
 * await app.register(liveRoutes, { gateway: gatewayServer.gateway })
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import type { Gateway } from '../../gateway/gateway.ts'
import { liveTerminals } from '../../ingestion/read.ts'
import { permitted } from '../context.ts'
import { DateTime, PageQuery } from '../schemas.ts'

export interface LiveRoutesOptions {
  /** The gateway of this process (role `gateway`). */
  gateway?: Pick<Gateway, 'onlineSessions'>
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

const LiveState = Type.Union([Type.Literal('training'), Type.Literal('idle')], {
  description: 'training 培训中（有学员登录的课堂），idle 在线空闲',
})

const LiveTerminal = Type.Object({
  terminalId: Type.Integer(),
  deviceNo: Type.String({ description: '计时终端编号' }),
  phone: Type.String({ description: '终端手机号（SIM）' }),
  institutionId: Type.Integer(),
  institutionName: Nullable(Type.String()),
  cityCode: Type.String(),
  countyCode: Type.String(),
  vehicleId: Nullable(Type.Integer()),
  plate: Nullable(Type.String({ description: '车牌号' })),
  connectedAt: DateTime,
  lastSeenAt: DateTime,
  state: LiveState,
  position: Nullable(
    Type.Object(
      {
        lng: Type.Number(),
        lat: Type.Number(),
        speedKmh: Nullable(Type.Number()),
        fixedAt: DateTime,
      },
      { description: '终端最近一次定位' },
    ),
  ),
  session: Nullable(
    Type.Object(
      {
        id: Type.Integer(),
        studentName: Nullable(Type.String()),
        studentNo: Nullable(Type.String()),
        coachName: Nullable(Type.String()),
        coachNo: Nullable(Type.String()),
        courseCode: Nullable(Type.String()),
        part: Nullable(Type.Integer({ description: '培训部分 1–4' })),
        startedAt: DateTime,
        minuteCount: Type.Integer({ description: '已收到的分钟学时条数' }),
        elapsedMinutes: Type.Integer({ description: '登录至今的分钟数' }),
      },
      { description: '正在进行的课堂（未登出）' },
    ),
  ),
})

const LiveAnswer = Type.Object({
  counts: Type.Object({
    online: Type.Integer({ description: '在线终端' }),
    training: Type.Integer({ description: '培训中' }),
    sessionsToday: Type.Integer({ description: '今日课堂（北京时间）' }),
    minutesToday: Type.Integer({ description: '今日分钟学时（北京时间）' }),
  }),
  points: Type.Array(
    Type.Object({
      terminalId: Type.Integer(),
      plate: Nullable(Type.String()),
      state: LiveState,
      lng: Type.Number(),
      lat: Type.Number(),
    }),
    { description: '全部符合筛选条件且有定位的终端（不分页），用于地图' },
  ),
  items: Type.Array(LiveTerminal),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  updatedAt: DateTime,
})

const liveRoutes: FastifyPluginAsyncTypebox<LiveRoutesOptions> = async (app, options) => {
  const database = app.database

  app.get(
    '/api/training/live',
    {
      schema: {
        tags: ['课堂与学时'],
        summary: '实时监控：管辖范围内的在线终端、最近定位与进行中的课堂，以及今日统计',
        querystring: Type.Object({
          ...PageQuery,
          regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '地市或区县代码' })),
          institutionId: Type.Optional(Type.Integer({ minimum: 1 })),
          state: Type.Optional(LiveState),
          focus: Type.Optional(
            Type.Integer({ minimum: 1, description: '终端 ID：返回包含该终端的那一页（地图上点选时使用）' }),
          ),
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 40, description: '车牌号、终端编号或 SIM 号（包含匹配）' }),
          ),
        }),
        response: { 200: LiveAnswer },
      },
    },
    async (request) => {
      const principal = permitted(request, 'registry:read', '查看实时监控')
      if (!options.gateway) throw appError('ERR_GW_LIVE_UNAVAILABLE')
      const { page, pageSize, focus, ...filters } = request.query
      const now = new Date()
      const answer = await liveTerminals(
        database,
        principal,
        options.gateway.onlineSessions(),
        filters,
        { page, pageSize, ...(focus ? { focus } : {}) },
        now,
      )
      return { ...answer, updatedAt: now }
    },
  )
}

export default liveRoutes
export { liveRoutes }
