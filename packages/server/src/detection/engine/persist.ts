/**
 * Writes evaluation results, set-based: one UPDATE of minute_record for all judged minutes
 * (… FROM unnest(…), narrowed to the sessions' minutes so the planner joins those and not the
 * whole month's partition), one UPDATE of training_session.evaluated_at, one upsert of findings by
 * dedupe_key. An existing finding keeps its status, review fields and first detection time; its
 * summary, evidence, parameters, rule and policy versions are refreshed (re-evaluation never
 * duplicates a finding). A finding that a later evaluation no longer produces stays as it is: a
 * reviewer closes it.
 */
import type { Sql } from '../../db/client.ts'
import type { EngineFinding, SessionVerdict } from './evaluate.ts'
import { minuteKey, type StoredVerdict } from './facts.ts'

export interface FindingWrite {
  inserted: number
  /** Existing findings whose content changed (an identical re-detection writes nothing). */
  updated: number
}

/** Upserts findings by dedupe key (one row per key even when the list repeats one). */
export async function persistFindings(q: Sql, findings: readonly EngineFinding[]): Promise<FindingWrite> {
  const unique = [...new Map(findings.map((f) => [f.dedupeKey, f])).values()]
  if (unique.length === 0) return { inserted: 0, updated: 0 }
  const records = unique.map((f) => ({
    rule_id: f.ruleId,
    rule_version: f.ruleVersion,
    policy_version: f.policyVersion,
    severity: f.severity,
    subject_kind: f.subjectKind,
    subject_id: f.subjectId,
    session_id: f.sessionId,
    student_id: f.studentId ?? null,
    coach_id: f.coachId ?? null,
    vehicle_id: f.vehicleId ?? null,
    institution_id: f.institutionId,
    city_code: f.cityCode,
    county_code: f.countyCode,
    occurred_at: f.occurredAt.toISOString(),
    summary: f.summary,
    params: f.params,
    evidence: f.evidence,
    detected_by: f.detectedBy,
    dedupe_key: f.dedupeKey,
  }))
  const rows = await q.query<{ inserted: boolean }>(
    `INSERT INTO finding (rule_id, rule_version, policy_version, severity, subject_kind, subject_id, session_id,
                          student_id, coach_id, vehicle_id, institution_id, city_code, county_code, occurred_at,
                          summary, params, evidence, detected_by, dedupe_key)
     SELECT rule_id, rule_version, policy_version, severity, subject_kind, subject_id, session_id, student_id,
            coach_id, vehicle_id, institution_id, city_code, county_code, occurred_at, summary, params, evidence,
            detected_by, dedupe_key
       FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, rule_version integer, policy_version integer,
            severity text, subject_kind text, subject_id text, session_id bigint, student_id bigint,
            coach_id integer, vehicle_id integer, institution_id integer, city_code text, county_code text,
            occurred_at timestamptz, summary text, params jsonb, evidence jsonb, detected_by text, dedupe_key text)
     ON CONFLICT (dedupe_key) DO UPDATE SET
       rule_version = EXCLUDED.rule_version,
       policy_version = EXCLUDED.policy_version,
       severity = EXCLUDED.severity,
       session_id = COALESCE(EXCLUDED.session_id, finding.session_id),
       occurred_at = EXCLUDED.occurred_at,
       summary = EXCLUDED.summary,
       params = EXCLUDED.params,
       evidence = EXCLUDED.evidence
     WHERE (finding.rule_version, finding.policy_version, finding.severity, finding.session_id, finding.occurred_at,
            finding.summary, finding.params, finding.evidence)
           IS DISTINCT FROM
           (EXCLUDED.rule_version, EXCLUDED.policy_version, EXCLUDED.severity,
            COALESCE(EXCLUDED.session_id, finding.session_id), EXCLUDED.occurred_at, EXCLUDED.summary,
            EXCLUDED.params, EXCLUDED.evidence)
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(records)],
  )
  const inserted = rows.filter((r) => r.inserted).length
  return { inserted, updated: rows.length - inserted }
}

export interface SessionWrite {
  sessions: number
  /** Minutes judged, of them invalid, and minute rows whose verdict changed. */
  minutes: number
  changedMinutes: number
  invalidMinutes: number
  findings: FindingWrite
}

/**
 * Records the verdicts of evaluated sessions: validity, reasons, syllabus version and decision
 * time on every judged minute whose verdict changed (with `stored`, what the minutes held when
 * loaded, the unchanged ones are not even sent) (an unchanged verdict keeps the time it was
 * first decided, and re-evaluating an open session rewrites only its new minutes);
 * `evaluated_at = now` on the sessions (minutes that arrive later make the session due again);
 * findings upserted.
 */
export async function persistSessionVerdicts(
  q: Sql,
  verdicts: readonly SessionVerdict[],
  now: Date,
  stored?: ReadonlyMap<string, StoredVerdict>,
): Promise<SessionWrite> {
  const recordNos: string[] = []
  const minuteAts: Date[] = []
  const valids: boolean[] = []
  const reasons: string[] = []
  const versions: number[] = []
  let judged = 0
  let invalidMinutes = 0
  for (const v of verdicts) {
    for (const m of v.minutes) {
      judged++
      if (!m.valid) invalidMinutes++
      const joined = m.reasons.join(',')
      const held = stored?.get(minuteKey(m.recordNo, m.minuteAt))
      if (held && sameVerdict(held, m.valid, joined, v.syllabusVersion)) continue
      recordNos.push(m.recordNo)
      minuteAts.push(m.minuteAt)
      valids.push(m.valid)
      reasons.push(joined)
      versions.push(v.syllabusVersion)
    }
  }
  let changedMinutes = 0
  if (recordNos.length > 0) {
    const changed = await q.query<{ n: number }>(
      `WITH changed AS (
       UPDATE minute_record AS m
          SET valid = u.valid, reasons = string_to_array(u.reasons, ','), policy_version = u.version, decided_at = $6
         FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::text[], $5::int[])
              AS u(record_no, minute_at, valid, reasons, version)
        WHERE m.session_id = ANY($7::bigint[]) AND m.record_no = u.record_no AND m.minute_at = u.minute_at
          AND (m.valid, m.reasons, m.policy_version) IS DISTINCT FROM
              (u.valid, string_to_array(u.reasons, ','), u.version)
        RETURNING 1)
       SELECT count(*)::int AS n FROM changed`,
      [recordNos, minuteAts, valids, reasons, versions, now, verdicts.map((v) => v.sessionId)],
    )
    changedMinutes = changed[0]?.n ?? 0
  }
  const sessionIds = verdicts.map((v) => v.sessionId)
  if (sessionIds.length > 0) {
    await q.query('UPDATE training_session SET evaluated_at = $2 WHERE id = ANY($1::bigint[])', [sessionIds, now])
  }
  const findings = await persistFindings(
    q,
    verdicts.flatMap((v) => v.findings),
  )
  return { sessions: sessionIds.length, minutes: judged, changedMinutes, invalidMinutes, findings }
}

/** A reason whose array text form is itself (no quoting): rule ids and `<rule id>:<n>` counts. */
const PLAIN_REASON = /^[A-Za-z0-9_.:-]+$/

/**
 * As the UPDATE's IS DISTINCT FROM sees it: reasons are stored as string_to_array(joined, ','),
 * compared here by their array text form. Only reasons that need no quoting are compared in
 * memory; any other is left for the UPDATE to judge.
 */
function sameVerdict(held: StoredVerdict, valid: boolean, joined: string, version: number): boolean {
  if (held.valid !== valid || held.policyVersion !== version || held.reasonsText === null) return false
  if (joined === '') return held.reasonsText === '{}'
  const reasons = joined.split(',')
  if (!reasons.every((r) => PLAIN_REASON.test(r) && r.toUpperCase() !== 'NULL')) return false
  return held.reasonsText === `{${joined}}`
}
