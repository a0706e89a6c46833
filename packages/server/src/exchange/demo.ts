/**
 * A simulated third-party timing platform for the demo: issues itself a 接入证书 on the first
 * platform that serves institutions with students, then reports one 课堂教学 classrecord (第一部分,
 * 45 minutes ending a few minutes ago) for some of their students over real HTTP, signed like any
 * platform. The records go through the same checks, hour accounting and detection as everything
 * else, so the console shows exchange sessions beside the gateway's.
 *
 * The private key of a 接入证书 is handed out once and never kept by the platform, so a run that
 * forgets it leaves a credential nobody can use; that is why a run without `dataDir` revokes its
 * credential at the end. With `dataDir` (as `jiapei start` runs it) the simulated platform keeps
 * its PKCS#12 like a real platform would, in `{dataDir}/exchange-demo-credential.json` (mode
 * 0600, beside the database it belongs to), and reuses it on the next start while it is live: restarts
 * issue and revoke nothing. A kept credential that is revoked, unknown (a fresh database) or of
 * another platform is replaced; a live one of another platform is revoked first.
 *
 * @example
 * await runExchangeDemo({ database, origin: 'http://127.0.0.1:3000', records: 5, dataDir: './data' })
 */
import fs from 'node:fs'
import path from 'node:path'
import { COURSE_LICENSE_TYPE } from '@jiapei/jt808-training'
import type { Database } from '../db/client.ts'
import { type ExchangeIdentity, exchangeClient, openExchangeCredential } from './client.ts'
import { credentialBySn, issueExchangeCredential, revokeExchangeCredential } from './credentials.ts'

export interface ExchangeDemoOptions {
  database: Database
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  origin: string
  /** Students to report a classroom record for. */
  records?: number
  /** The records end 5 minutes before this instant (default now). */
  now?: () => Date
  /** Where the simulated platform keeps its credential between runs; without it the credential is revoked after the run. */
  dataDir?: string
}

export interface ExchangeDemoResult {
  platformNo: string | null
  certSn: string | null
  accepted: number
  refused: { recnum: string; errorcode: number; message: string }[]
  /** True when the credential of an earlier run was used again. */
  reused: boolean
}

/** File name of the kept credential inside the data directory. */
export const DEMO_CREDENTIAL_FILE = 'exchange-demo-credential.json'

interface KeptCredential {
  platformId: number
  credentialId: number
  certSn: string
  pkcs12Base64: string
  password: string
}

function readKept(file: string): KeptCredential | undefined {
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<KeptCredential>
    return typeof kept.certSn === 'string' && typeof kept.pkcs12Base64 === 'string' && typeof kept.password === 'string'
      ? (kept as KeptCredential)
      : undefined
  } catch {
    return undefined
  }
}

function writeKept(file: string, kept: KeptCredential): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(kept), { mode: 0o600 })
    fs.renameSync(tmp, file)
    return true
  } catch {
    return false
  }
}

/** The demo platform's credential: the kept one while it is live, else a new one (kept when a data directory is given). */
async function demoCredential(
  database: Database,
  platformId: number,
  dataDir: string | undefined,
): Promise<{ identity: ExchangeIdentity; credentialId: number; reused: boolean; kept: boolean }> {
  const file = dataDir ? path.join(dataDir, DEMO_CREDENTIAL_FILE) : undefined
  const kept = file ? readKept(file) : undefined
  if (kept) {
    const live = await credentialBySn(database, kept.certSn)
    const ours = live !== undefined && live.credentialId === kept.credentialId && !live.revoked
    if (ours && live.platform.id === platformId) {
      try {
        const identity = openExchangeCredential(kept.pkcs12Base64, kept.password)
        return { identity, credentialId: kept.credentialId, reused: true, kept: true }
      } catch {
        // An unreadable PKCS#12: replaced below.
      }
    }
    // Its key is being replaced: a credential still live with it would be one nobody uses.
    if (ours) await revokeExchangeCredential(database, live.platform.id, live.credentialId)
  }
  const issued = await issueExchangeCredential(database, platformId)
  const saved =
    file !== undefined &&
    writeKept(file, {
      platformId,
      credentialId: issued.id,
      certSn: issued.certSn,
      pkcs12Base64: issued.pkcs12Base64,
      password: issued.password,
    })
  return {
    identity: openExchangeCredential(issued.pkcs12Base64, issued.password),
    credentialId: issued.id,
    reused: false,
    kept: saved,
  }
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
  if (!first) return { platformNo: null, certSn: null, accepted: 0, refused: [], reused: false }
  const credential = await demoCredential(database, first.platformId, options.dataDir)
  const client = exchangeClient(credential.identity)
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 5 * 60_000)
  const start = new Date(end.getTime() - 45 * 60_000)
  const result: ExchangeDemoResult = {
    platformNo: first.platformNo,
    certSn: credential.identity.certSn,
    accepted: 0,
    refused: [],
    reused: credential.reused,
  }
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
  // A key that lived only in this process leaves a credential of no further use.
  if (!credential.kept) await revokeExchangeCredential(database, first.platformId, credential.credentialId)
  return result
}
