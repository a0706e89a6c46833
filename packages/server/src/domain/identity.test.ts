import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  checkCreditCode,
  checkIdCard,
  checkImei,
  checkMobile,
  checkPlate,
  checkRegistryNo,
  checkTerminalPhone,
  creditCodeCheckChar,
  formatPlate,
  idCardCheckChar,
  normalizePlate,
  sexFromIdCard,
} from './identity.ts'

describe('ID card numbers (GB 11643)', () => {
  const valid17 = '33010619850312003'
  const valid = valid17 + idCardCheckChar(valid17)
  test('a number with the right check character passes', () => assert.equal(checkIdCard(valid), null))
  test('the published example 11010519491231002X passes (X check character)', () =>
    assert.equal(checkIdCard('11010519491231002x'), null))
  for (const [name, value] of [
    ['wrong check digit', valid17 + (valid.endsWith('0') ? '1' : '0')],
    ['17 digits', valid17],
    ['impossible birth date 19850231', '330106198502310031'],
    ['letters inside', '3301A6198503120031'],
  ] as const) {
    test(`refused: ${name}`, () => assert.notEqual(checkIdCard(value), null))
  }
  test('sex comes from the 17th digit', () => {
    assert.equal(sexFromIdCard('110105194912310021'), 'F')
    assert.equal(sexFromIdCard('110105194912310011'), 'M')
  })
})

describe('plates (GA 36)', () => {
  for (const plate of ['浙A·D12345', '浙AD12345', '浙A12345', '浙B1234学', '浙C12345D', '浙a d12345']) {
    test(`accepted: ${plate}`, () => assert.equal(checkPlate(plate), null))
  }
  for (const plate of ['浙I12345', 'A12345', '浙A1234', '浙A123456789', '浙AO1234学']) {
    test(`refused: ${plate}`, () => assert.notEqual(checkPlate(plate), null))
  }
  test('normalised without separators and shown with a middle dot', () => {
    assert.equal(normalizePlate(' 浙a·d12345 '), '浙AD12345')
    assert.equal(formatPlate('浙AD12345'), '浙A·D12345')
  })
})

describe('other identifiers', () => {
  test('credit code with a valid MOD 31 check character', () => {
    assert.equal(checkCreditCode('91350100M000100Y43'), null)
    const body = '91330106MA2KXXXX0'.replace(/X/g, '1')
    assert.equal(checkCreditCode(body + creditCodeCheckChar(body)), null)
    assert.notEqual(checkCreditCode('91350100M000100Y44'), null)
  })
  test('IMEI Luhn check digit', () => {
    assert.equal(checkImei('490154203237518'), null)
    assert.notEqual(checkImei('490154203237517'), null)
  })
  test('registry numbers are 16 upper-case alphanumerics', () => {
    assert.equal(checkRegistryNo('3301061234567890'), null)
    assert.notEqual(checkRegistryNo('330106123456789'), null)
    assert.notEqual(checkRegistryNo('330106123456789a'), null)
  })
  test('terminal phone and mobile numbers', () => {
    assert.equal(checkTerminalPhone('013812345678'), null)
    assert.notEqual(checkTerminalPhone('1381234'), null)
    assert.equal(checkMobile('13812345678'), null)
    assert.notEqual(checkMobile('23812345678'), null)
  })
})
