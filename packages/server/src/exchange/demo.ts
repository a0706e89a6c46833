/**
 * A simulated third-party timing platform for the demo: issues itself a 接入证书 on the first
 * platform that serves institutions with students, then reports one 课堂教学 classrecord (第一部分,
 * 45 minutes ending a few minutes ago) for some of their students over real HTTP, signed like any
 * platform. The records go through the same checks, hour accounting and detection as everything
 * else, so the console shows exchange sessions beside the gateway's. The credential is revoked
 * when the run ends.
 *
 * @example
 * await runExchangeDemo({ database, origin: 'http://127.0.0.1:3000', records: 5 })
 */
import { COURSE_LICENSE_TYPE } from '@jiapei/jt808-training'
import type { Database } from '../db/client.ts'
import { exchangeClient, openExchangeCredential } from './client.ts'
import { issueExchangeCredential, revokeExchangeCredential } from './credentials.ts'

export interface ExchangeDemoOptions {
  database: Database
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  origin: string
  /** Students to report a classroom record for. */
  records?: number
  /** The records end 5 minutes before this instant (default now). */
  now?: () => Date
}

export interface ExchangeDemoResult {
  platformNo: string | null
  certSn: string | null
  accepted: number
  refused: { recnum: string; errorcode: number; message: string }[]
}

const LICENSE_CODE = new Map<string, string>(COURSE_LICENSE_TYPE.map(([code, type]) => [type, code]))

/** `YYYYMMDDHHmmss` in Beijing time. */
function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

export async function runExchangeDemo(options: ExchangeDemoOptions): Promise<ExchangeDemoResult> {
  const { database } = options
  const now = options.now?.() ?? new Date()
  const limit = options.records ?? 5
  const students = await database.query<{
    platformId: number
    platformNo: string
    inscode: string
    stunum: string
    licenseType: string
    coachnum: string | null
  }>(
    `WITH platform AS (
       SELECT p.id, p.platform_no FROM timing_platform p
        WHERE p.status = 'active'
          AND EXISTS (SELECT 1 FROM institution i JOIN student s ON s.institution_id = i.id WHERE i.timing_platform_id = p.id)
        ORDER BY p.id LIMIT 1)
     SELECT platform.id AS "platformId", platform.platform_no AS "platformNo", i.ins_code AS inscode,
            s.stu_no AS stunum, s.license_type AS "licenseType",
            (SELECT c.coach_no FROM coach c WHERE c.institution_id = i.id ORDER BY c.id LIMIT 1) AS coachnum
       FROM platform JOIN institution i ON i.timing_platform_id = platform.id
       JOIN student s ON s.institution_id = i.id
      ORDER BY s.id LIMIT $1`,
    [limit],
  )
  const first = students[0]
  if (!first) return { platformNo: null, certSn: null, accepted: 0, refused: [] }
  const issued = await issueExchangeCredential(database, first.platformId)
  const client = exchangeClient(openExchangeCredential(issued.pkcs12Base64, issued.password))
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 5 * 60_000)
  const start = new Date(end.getTime() - 45 * 60_000)
  const result: ExchangeDemoResult = { platformNo: first.platformNo, certSn: issued.certSn, accepted: 0, refused: [] }
  // Signatures carry the real clock (the replay window), whatever time the records are placed at.
  let ts = Date.now()
  for (const [i, s] of students.entries()) {
    const recnum = `${beijing(start).slice(0, 12)}${String(i + 1).padStart(2, '0')}`
    const body = {
      inscode: s.inscode,
      stunum: s.stunum,
      ...(s.coachnum ? { coachnum: s.coachnum } : {}),
      platnum: s.platformNo,
      recnum,
      // 课堂教学 · licence type · 第一部分 · 项目 01 (法律、法规及道路交通信号).
      subjcode: `2${LICENSE_CODE.get(s.licenseType) ?? '00'}1010000`,
      starttime: beijing(start),
      endtime: beijing(end),
      duration: 45,
    }
    const reply = await client.send(options.origin, client.post('classrecord', body, ts++))
    if (reply.errorcode === 0) result.accepted++
    else result.refused.push({ recnum, errorcode: reply.errorcode, message: reply.message })
  }
  // The private key lived only in this process: the credential is of no further use.
  await revokeExchangeCredential(database, first.platformId, issued.id)
  return result
}
