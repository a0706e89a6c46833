/**
 * photo-cadence — STANDARDS §7.2 R2: a teaching log expects a sign-in photo (学员登录 17) at the
 * start, a photo every `intervalMinutes` (default 15) during training and a sign-out photo (学员登出
 * 18) at the end. An expected photo is satisfied by a photo of the right kind taken within
 * `toleranceMinutes` of its expected time that passes the quality checks (same parameters as the
 * photo rules: dark, uniform, low face confidence, face distance when known). A missing or bad
 * photo invalidates the minutes within ±`invalidateWindowMinutes` (default 7) of its expected time;
 * `maxConsecutiveBad` (default 2) missing or bad photos in a row invalidate the whole log.
 * Judges closed sessions only (photos may still be arriving while a session is open). Exchange
 * records are judged only when `judgeExchange` is set: third-party platforms upload images apart
 * from the class record.
 */
import type { MinuteFact, PhotoFact, SessionFacts, SessionRule } from '../rule.ts'
import {
  bool,
  clock,
  intList,
  minuteRuleResult,
  num,
  PHOTO_DEFECT_ZH,
  PHOTO_QUALITY_PARAMS,
  type PhotoDefect,
  photoDefects,
} from './support.ts'

const MINUTE_MS = 60_000
/** Photos of the coach (教练员登录 20 / 登出 21) do not stand for the student's. */
const COACH_EVENTS = new Set([20, 21])

type SlotKind = 'signIn' | 'periodic' | 'signOut'
interface Slot {
  kind: SlotKind
  at: Date
  status: 'ok' | 'missing' | 'bad'
  photoIds: number[]
  defects: PhotoDefect[]
}

const SLOT_ZH: Record<SlotKind, string> = { signIn: '登录照片', periodic: '培训照片', signOut: '登出照片' }

function matches(kind: SlotKind, p: PhotoFact): boolean {
  if (kind === 'signIn') return p.eventType === 17
  if (kind === 'signOut') return p.eventType === 18
  return p.eventType === null || !COACH_EVENTS.has(p.eventType)
}

export const photoCadence: SessionRule = {
  id: 'photo-cadence',
  version: 1,
  title: { zh: '照片缺失或不合格', en: 'Photo cadence' },
  severity: 'high',
  requirements: ['M2', 'M6'],
  basis: 'STANDARDS §7.2 R2',
  scope: 'session',
  invalidates: true,
  params: {
    intervalMinutes: { default: 15, unit: '分钟', description: '培训过程中应拍照片的间隔' },
    toleranceMinutes: {
      default: 3,
      unit: '分钟',
      description: '照片拍摄时间与应拍时间相差不超过此值视为按时',
      uncertain: true,
    },
    invalidateWindowMinutes: {
      default: 7,
      unit: '分钟',
      description: '缺失或不合格照片使其应拍时间前后此分钟数内的分钟学时无效',
    },
    maxConsecutiveBad: {
      default: 2,
      unit: '张',
      description: '连续缺失或不合格达到此张数则整条教学日志无效',
    },
    modes: {
      default: '1,2,3',
      unit: '课程方式列表',
      description: '要求按时拍照的课程方式（逗号分隔）',
    },
    judgeExchange: {
      default: false,
      description: '是否核查外部计时平台经交换接口上报的学时（其照片单独上传，可能未关联到学时记录）',
    },
    ...PHOTO_QUALITY_PARAMS,
  },
  evaluate(facts: SessionFacts, params) {
    const s = facts.session
    if (s.endedAt === null || facts.minutes.length === 0) return { invalidMinutes: [], findings: [] }
    if (s.mode === null || !intList(params, 'modes').has(s.mode)) return { invalidMinutes: [], findings: [] }
    if (s.source === 'exchange' && !bool(params, 'judgeExchange')) return { invalidMinutes: [], findings: [] }
    const interval = num(params, 'intervalMinutes')
    const tolerance = num(params, 'toleranceMinutes') * MINUTE_MS
    const window = num(params, 'invalidateWindowMinutes')
    const maxBad = num(params, 'maxConsecutiveBad')
    if (!(interval > 0)) return { invalidMinutes: [], findings: [] }
    const start = s.startedAt.getTime()
    const end = s.endedAt.getTime()
    const expected: { kind: SlotKind; at: number }[] = [{ kind: 'signIn', at: start }]
    for (let t = start + interval * MINUTE_MS; t < end; t += interval * MINUTE_MS)
      expected.push({ kind: 'periodic', at: t })
    expected.push({ kind: 'signOut', at: end })
    const slots: Slot[] = expected.map(({ kind, at }) => {
      const candidates = facts.photos.filter(
        (p) => p.takenAt !== null && Math.abs(p.takenAt.getTime() - at) <= tolerance && matches(kind, p),
      )
      const judged = candidates.map((p) => ({ p, defects: photoDefects(p, params) }))
      const good = judged.find((j) => j.defects.length === 0)
      return {
        kind,
        at: new Date(at),
        status: good ? 'ok' : candidates.length ? 'bad' : 'missing',
        photoIds: candidates.map((p) => p.id),
        defects: good ? [] : [...new Set(judged.flatMap((j) => j.defects))],
      }
    })
    const failed = slots.filter((x) => x.status !== 'ok')
    if (failed.length === 0) return { invalidMinutes: [], findings: [] }
    let run = 0
    let longest = 0
    for (const x of slots) {
      run = x.status === 'ok' ? 0 : run + 1
      longest = Math.max(longest, run)
    }
    const wholeLog = longest >= maxBad
    const affected: MinuteFact[] = wholeLog
      ? facts.minutes
      : facts.minutes.filter((m) =>
          failed.some((x) => Math.abs(m.minuteAt.getTime() - x.at.getTime()) <= window * MINUTE_MS),
        )
    const missing = failed.filter((x) => x.status === 'missing').length
    const bad = failed.length - missing
    const list = failed
      .slice(0, 4)
      .map(
        (x) =>
          `${clock(x.at)} ${SLOT_ZH[x.kind]}${x.status === 'missing' ? '缺失' : `不合格（${x.defects.map((d) => PHOTO_DEFECT_ZH[d]).join('、')}）`}`,
      )
      .join('；')
    const result = minuteRuleResult(
      facts,
      'photo-cadence',
      affected,
      (ranges, n) =>
        `应拍 ${slots.length} 张照片，缺失 ${missing} 张、不合格 ${bad} 张（每 ${interval} 分钟一张，容差 ${num(params, 'toleranceMinutes')} 分钟）：${list}${failed.length > 4 ? ' 等' : ''}；` +
        (wholeLog
          ? `连续 ${longest} 张缺失或不合格（阈值 ${maxBad} 张），整条日志 ${n} 分钟无效`
          : `前后 ${window} 分钟内 ${n} 分钟无效：${ranges}`),
      {
        expectedPhotos: slots.length,
        missingPhotos: missing,
        badPhotos: bad,
        longestBadRun: longest,
        wholeLogInvalid: wholeLog,
        slots: slots.map((x) => ({
          kind: x.kind,
          at: x.at.toISOString(),
          status: x.status,
          photoIds: x.photoIds,
          defects: x.defects,
        })),
      },
    )
    const photos = failed.flatMap((x) => x.photoIds)
    for (const f of result.findings) if (photos.length) f.evidence.photos = photos
    return result
  },
}
