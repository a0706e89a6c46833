/**
 * Pure modules shared with the server (no dependencies): identity validators, role labels and the
 * vocabularies of coded values with their Chinese labels.
 *
 * Client-side hints for registry forms. They are the server's own validators (pure functions
 * without dependencies), so the hint a user sees while typing is the rule the server applies.
 * The server stays the authority: its ERR_REG_INVALID_FIELD is shown next to the field.
 */

export { ROLE_LABELS, ROLES, type Role } from '../../server/src/auth/roles.ts'
export {
  checkCreditCode,
  checkIdCard,
  checkImei,
  checkLicenseType,
  checkMobile,
  checkPlate,
  checkPlatformNo,
  checkRegistryNo,
  checkTerminalPhone,
  formatPlate,
  LICENSE_TYPES,
} from '../../server/src/domain/identity.ts'
export type { ValueOf, Vocabulary } from '../../server/src/domain/vocabulary.ts'
export * as vocabulary from '../../server/src/domain/vocabulary.ts'
