/** Hour ledgers, stage reviews and reason codes as the hours API answers them. */
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'

export const PART_LABELS: Record<number, string> = { 1: '第一部分', 2: '第二部分', 3: '第三部分', 4: '第四部分' }
export const MODE_LABELS: Record<number, string> = { 1: '实操', 2: '课堂', 3: '模拟', 4: '远程' }
export const REVIEW_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待审核', color: 'processing' },
  approved: { label: '已通过', color: 'success' },
  rejected: { label: '已退回', color: 'error' },
}

/** Reason codes of the accounting itself; rule ids get their titles from the rule catalogue. */
const ACCOUNTING_REASONS: Record<string, string> = {
  LOW_VALID_SHARE: '有效分钟不足 75%，按有效分钟 × 4/3 认定',
  DAILY_CAP: '已达当日学时上限',
  UNEVALUATED: '尚未完成核验',
  INVALID: '无效（未注明规则）',
}

export interface ModeLedger {
  mode: number
  finalMinutes: number
  countedMinutes: number
  minMinutes: number | null
  maxMinutes: number | null
}

export interface Shortfall {
  kind: string
  part?: number
  mode?: number
  have: number
  need: number
  message: string
}

export interface PartLedger {
  part: number
  requiredMinutes: number
  finalMinutes: number
  countedMinutes: number
  byMode: ModeLedger[]
  sessionIds: number[]
  shortfalls: Shortfall[]
  complete: boolean
}

export interface Credit {
  sessionId: number
  localDay: string
  part: number
  mode: number
  policyVersion: number
  sessionMinutes: number
  validMinutes: number
  invalidMinutes: number
  creditedMinutes: number
  cappedMinutes: number
  finalMinutes: number
  mileageM: number
  reasons: string[]
  startedAt: string
  endedAt: string | null
  source: 'gateway' | 'exchange'
}

export interface Review {
  id: number
  studentId: number
  studentName: string | null
  stuNo: string | null
  institutionName: string | null
  countyCode: string
  part: number
  policyVersion: number
  status: string
  totals: { requiredMinutes?: number; countedMinutes?: number; mileageKm?: number } | null
  sessionIds: number[]
  requestedAt: string
  decidedAt: string | null
  note: string | null
}

export interface StudentLedger {
  student: { id: number; stuNo: string; name: string; licenseType: string; institutionName: string | null }
  ledger: {
    licenseType: string
    policyVersion: number
    uncertain: boolean
    parts: PartLedger[]
    classroom: { finalMinutes: number; requiredMinutes: number }
    mileage: { km: number; requiredKm: number }
    totalMinutes: { counted: number; required: number }
    shortfalls: Shortfall[]
    complete: boolean
  }
  credits: Credit[]
  reviews: Review[]
  certificate: { certNo: string; issuedAt: string; policyVersion: number } | null
  openFindings: number
}

/** 'rule-id:12' → ['rule-id', 12]; plain codes have no count. */
export function splitReason(reason: string): [code: string, count: number | null] {
  const m = /^(.*):(\d+)$/.exec(reason)
  return m ? [m[1] as string, Number(m[2])] : [reason, null]
}

/** Chinese titles of the detection rules (GET /api/detection/rules); empty until that answers. */
export function useRuleTitles(): Record<string, string> {
  const [titles, setTitles] = useState<Record<string, string>>({})
  useEffect(() => {
    let live = true
    request<unknown>('/api/detection/rules', { onError: () => true })
      .then((answer) => {
        const list = Array.isArray(answer)
          ? answer
          : ((answer as { items?: unknown[]; rules?: unknown[] } | null)?.items ??
            (answer as { rules?: unknown[] } | null)?.rules ??
            [])
        const out: Record<string, string> = {}
        for (const r of list as { id?: unknown; title?: string | { zh?: string } }[]) {
          if (typeof r?.id !== 'string') continue
          out[r.id] = (typeof r.title === 'string' ? r.title : r.title?.zh) ?? r.id
        }
        if (live) setTitles(out)
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [])
  return titles
}

/** A reason code in Chinese: accounting reasons, then rule titles, else the code itself. */
export function reasonLabel(code: string, titles: Record<string, string>): string {
  return ACCOUNTING_REASONS[code] ?? titles[code] ?? code
}

export const hours = (minutes: number) => `${(minutes / 60).toFixed(minutes % 60 === 0 ? 0 : 1)} 学时`
