/**
 * The numeric `errorcode` of exchange responses. The national table is not public (STANDARDS §3.1:
 * codes UNCERTAIN), so this is the platform's own: 0 success, 1xxx request and identity, 2xxx
 * request body, 3xxx business references, 4xxx hours decisions, 9xxx the platform itself. Codes
 * are never reused; docs/exchange.md lists them. Every coded error of the catalogue that a
 * service may raise has a number here; anything else answers 9999 with its catalogue code kept
 * in the request log.
 */
import type { ErrorCode } from '../errors/catalogue.ts'

export const EXCHANGE_OK = 0
export const EXCHANGE_INTERNAL = 9999

export const EXCHANGE_CODES: Partial<Record<ErrorCode, number>> = {
  ERR_EXCHANGE_SERVICE_UNKNOWN: 1000,
  ERR_EXCHANGE_PARAM_MISSING: 1001,
  ERR_EXCHANGE_PARAM_INVALID: 1002,
  ERR_EXCHANGE_USER_UNKNOWN: 1101,
  ERR_EXCHANGE_USER_REVOKED: 1102,
  ERR_EXCHANGE_TS_EXPIRED: 1201,
  ERR_EXCHANGE_SIGN_INVALID: 1202,
  ERR_EXCHANGE_REPLAYED: 1203,
  ERR_EXCHANGE_NOT_SUPPORTED: 1010,
  ERR_EXCHANGE_RATE_LIMITED: 1301,
  ERR_EXCHANGE_BODY_INVALID: 2001,
  ERR_EXCHANGE_FILE_INVALID: 2002,
  ERR_HTTP_PAYLOAD_TOO_LARGE: 2003,
  ERR_REG_INVALID_FIELD: 2004,
  ERR_REG_REGION_UNKNOWN: 2005,
  ERR_EXCHANGE_INSTITUTION_UNKNOWN: 3001,
  ERR_EXCHANGE_INSTITUTION_NOT_SERVED: 3002,
  ERR_EXCHANGE_STUDENT_UNKNOWN: 3003,
  ERR_EXCHANGE_STUINFO_NOT_FOUND: 3003,
  ERR_EXCHANGE_COACH_UNKNOWN: 3004,
  ERR_EXCHANGE_VEHICLE_UNKNOWN: 3005,
  ERR_EXCHANGE_NOT_OWNED: 3006,
  ERR_REG_DUPLICATE: 3007,
  ERR_AUTH_OUT_OF_SCOPE: 3008,
  ERR_AUTH_FORBIDDEN: 3009,
  ERR_EXCHANGE_RECORD_UNKNOWN: 3010,
  ERR_EXCHANGE_RECORD_CONFLICT: 3011,
  ERR_EXCHANGE_DEVICE_UNKNOWN: 3012,
  ERR_EXCHANGE_DEVICE_OTHER_PLATFORM: 3013,
  ERR_EXCHANGE_FIELD_UNKNOWN: 3014,
  ERR_HOURS_INCOMPLETE: 4001,
  ERR_HOURS_UNDER_REVIEW: 4002,
  ERR_HOURS_ALREADY_CERTIFIED: 4003,
  ERR_HOURS_REVIEW_PENDING: 4004,
  ERR_HOURS_REVIEW_APPROVED: 4005,
  ERR_HOURS_REVIEW_NOT_FOUND: 4006,
  ERR_EXCHANGE_UNAVAILABLE: 9001,
  ERR_DB_UNAVAILABLE: 9002,
}

/** Any other refusal of the hour accounting (stage review, completion certificate). */
export const EXCHANGE_HOURS_REFUSED = 4000

/** The errorcode of a catalogue code. */
export function exchangeErrorcode(code: string): number {
  const known = EXCHANGE_CODES[code as ErrorCode]
  if (known !== undefined) return known
  if (code.startsWith('ERR_HOURS_')) return EXCHANGE_HOURS_REFUSED
  // A registration photo refused by the face checks (not an image, no face, several faces …).
  if (code.startsWith('ERR_PHOTO_')) return EXCHANGE_CODES.ERR_EXCHANGE_FILE_INVALID as number
  return EXCHANGE_INTERNAL
}
