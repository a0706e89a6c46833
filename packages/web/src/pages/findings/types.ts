/** Findings as `/api/findings` answers them, and their labels. */

export type Severity = 'low' | 'medium' | 'high' | 'critical'
export type FindingStatus = 'open' | 'under_review' | 'confirmed' | 'dismissed'

export const SEVERITY_LABEL: Record<Severity, string> = { low: '低', medium: '中', high: '高', critical: '严重' }
export const SEVERITY_COLOR: Record<Severity, string> = {
  low: 'default',
  medium: 'gold',
  high: 'orange',
  critical: 'red',
}
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']

export const STATUS_LABEL: Record<FindingStatus, string> = {
  open: '待处理',
  under_review: '核查中',
  confirmed: '已确认',
  dismissed: '已排除',
}
export const STATUS_COLOR: Record<FindingStatus, string> = {
  open: 'processing',
  under_review: 'warning',
  confirmed: 'error',
  dismissed: 'default',
}
export const STATUSES: FindingStatus[] = ['open', 'under_review', 'confirmed', 'dismissed']

/** What a finding is about: 'session' | 'student' | 'coach' | 'vehicle' | 'photo' | 'institution'. */
export const SUBJECT_LABEL: Record<string, string> = {
  session: '课堂',
  student: '学员',
  coach: '教练员',
  vehicle: '教练车',
  photo: '照片',
  institution: '培训机构',
}

export interface FindingRow {
  id: number
  ruleId: string
  ruleTitle: string | null
  ruleVersion: number
  policyVersion: number
  severity: Severity
  status: FindingStatus
  subjectKind: string
  subjectId: string
  sessionId: number | null
  studentId: number | null
  studentName: string | null
  studentNo: string | null
  coachId: number | null
  coachName: string | null
  coachNo: string | null
  vehicleId: number | null
  plate: string | null
  institutionId: number | null
  institutionName: string | null
  cityCode: string
  countyCode: string
  occurredAt: string
  summary: string
  detectedBy: string
  detectedAt: string
  reviewedAt: string | null
}

export interface FindingCounts {
  total: number
  byRule: { ruleId: string; ruleTitle: string | null; count: number }[]
  bySeverity: { severity: Severity; count: number }[]
  byStatus: { status: FindingStatus; count: number }[]
}

/** 对象: who or what the finding is about, in words. */
export function subjectText(r: Pick<FindingRow, 'subjectKind' | 'subjectId' | 'studentName' | 'coachName' | 'plate'>) {
  const kind = SUBJECT_LABEL[r.subjectKind] ?? r.subjectKind
  const name =
    r.subjectKind === 'student'
      ? r.studentName
      : r.subjectKind === 'coach'
        ? r.coachName
        : r.subjectKind === 'vehicle'
          ? r.plate
          : null
  if (name) return `${kind} ${name}`
  const people = [r.studentName, r.coachName, r.plate].filter(Boolean).join(' / ')
  return people ? `${kind} #${r.subjectId}（${people}）` : `${kind} #${r.subjectId}`
}

export const ruleLabel = (r: { ruleId: string; ruleTitle: string | null }) => r.ruleTitle ?? r.ruleId
