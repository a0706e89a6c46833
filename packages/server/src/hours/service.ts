/**
 * Hour accounting services: crediting sessions (called by the detection engine right after it has
 * written minute validity), a student's ledger, stage reviews and the completion certificate.
 */
export { type CreditSummary, creditSessions } from './credit.ts'
