/**
 * 备案 uploads: institution, coach, trainingcar, device, student. Each maps the national fields
 * onto the registry entity and goes through the registry service, validated exactly like an edit
 * in the console (identity numbers, enums, uniqueness, jurisdiction) and audit-logged under the
 * platform's certificate. A number filed under another institution is refused; a known number is
 * updated, an unknown one created under the request's institution.
 */
import { Type } from '@sinclair/typebox'
import { appError, isAppError } from '../../errors/catalogue.ts'
import type { EntityName } from '../../registry/definitions.ts'
import { createEntity, DISCLOSURE_FIELDS, updateEntity } from '../../registry/service.ts'
import type { Caller, ExchangeEnv, ServiceHandler } from '../gate.ts'
import {
  Day,
  IntLike,
  isoDay,
  Opt,
  ownedId,
  ownerText,
  platformPrincipal,
  RegNo,
  Str,
  servedInstitution,
  sexOf,
  toInt,
} from './common.ts'

type Input = Record<string, unknown>

function defined(values: Input): Input {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''))
}

async function upsert(
  env: ExchangeEnv,
  caller: Caller,
  inscode: string,
  entity: EntityName,
  lookup: {
    table: 'student' | 'coach' | 'vehicle' | 'terminal'
    column: 'stu_no' | 'coach_no' | 'car_no' | 'device_no'
  },
  number: string,
  label: string,
  values: Input,
): Promise<{ id: number; created: boolean }> {
  const inst = await servedInstitution(env.database, caller, inscode)
  const principal = platformPrincipal(caller, inst.id)
  const existing = await ownedId(env.database, lookup.table, lookup.column, number)
  if (existing && existing.institutionId !== inst.id) {
    throw appError('ERR_EXCHANGE_NOT_OWNED', { entity: label, number, inscode })
  }
  const info = { ip: null }
  try {
    if (existing) {
      const { institutionId: _ignored, ...patch } = values
      await updateEntity(env.database.db, entity, principal, existing.id, defined(patch), info)
      return { id: existing.id, created: false }
    }
    const row = await createEntity(
      env.database.db,
      entity,
      principal,
      defined({ ...values, institutionId: inst.id }),
      info,
    )
    return { id: row.id as number, created: true }
  } catch (error) {
    throw nationalField(entity, error)
  }
}

/** National field names of registry keys, so a refusal names the field the platform sent. */
const NATIONAL: Record<string, string> = {
  coachNo: 'coachnum',
  idCard: 'idcard',
  drivingPermitted: 'dripermitted',
  teachPermitted: 'teachpermitted',
  firstLicensedOn: 'fstdrilicdate',
  occupationLevel: 'occupationlevel',
  occupationCertNo: 'occupationno',
  employmentStatus: 'employstatus',
  hiredOn: 'hiredate',
  leftOn: 'leavedate',
  carNo: 'carnum',
  plate: 'licnum',
  plateColor: 'platecolor',
  vehicleType: 'perdritype',
  vin: 'franum',
  engineNo: 'engnum',
  purchasedOn: 'buydate',
  deviceNo: 'devnum',
  serialNo: 'sn',
  vendor: 'vender',
  terminalType: 'termtype',
  vehicleId: 'carnum',
  stuNo: 'stunum',
  licenseType: 'traintype',
  businessType: 'busitype',
  enrolledOn: 'applydate',
  shortName: 'shortname',
  contactPhone: 'phone',
}

/** A registry refusal that names a registry key, re-issued naming the national field. */
function nationalField(entity: EntityName, error: unknown): unknown {
  if (!isAppError(error)) return error
  const details = error.details as { field?: string | null; label?: string; reason?: string } | undefined
  const key = details?.field
  if (!key) return error
  const national = entity === 'terminals' && key === 'phone' ? 'simnum' : (NATIONAL[key] ?? key)
  if (error.code === 'ERR_REG_INVALID_FIELD') {
    const field = `${national}（${details.label ?? key}）`
    return appError('ERR_REG_INVALID_FIELD', { field, reason: details.reason }, { ...details, field: national })
  }
  return appError(error.code, error.params, { ...details, field: national })
}

const firstLicense = (v: unknown) => (typeof v === 'string' ? v.split(/[,，、\s]+/)[0] : undefined)

/** 供职状态 (UNCERTAIN national codes): 0 在职, 1 离职, 2 停教. */
const EMPLOY: Record<string, string> = { '0': 'employed', '1': 'left', '2': 'suspended' }
/** 业务类型 (UNCERTAIN national codes): 0 初领, 1 增驾, 9 其他. */
const BUSINESS: Record<string, string> = { '0': 'initial', '1': 'upgrade', '9': 'other' }

const InstitutionBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    name: Opt(Str('机构名称')),
    shortname: Opt(Str('简称', 50)),
    address: Opt(Str('地址', 200)),
    phone: Opt(Str('联系电话', 30)),
    licnum: Opt(Str('经营许可证号', 50)),
    legal: Opt(Str('法定代表人', 50)),
    creditcode: Opt(Str('统一社会信用代码', 18)),
  },
  { additionalProperties: true },
)

export const institutionService: ServiceHandler = {
  schema: InstitutionBody,
  async handle(caller, raw, env) {
    const body = raw as Record<string, string | undefined>
    const inst = await servedInstitution(env.database, caller, body.inscode as string)
    const patch = defined({ shortName: body.shortname, address: body.address, contactPhone: body.phone })
    const applied = Object.keys(patch).filter((k) => (DISCLOSURE_FIELDS as readonly string[]).includes(k))
    if (applied.length > 0) {
      await updateEntity(env.database.db, 'institutions', platformPrincipal(caller, inst.id), inst.id, patch, {
        ip: null,
      })
    }
    // 备案 fields (name, licence, legal person, credit code …) are kept by the regulator.
    const ignored = Object.keys(body).filter((k) => !['inscode', 'shortname', 'address', 'phone'].includes(k))
    return { id: inst.id, inscode: inst.insCode, applied, ignored }
  },
}

const CoachBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    coachnum: RegNo('教练员编号'),
    name: Str('姓名', 50),
    sex: Opt(IntLike('性别 1 男 2 女', 1, 2)),
    idcard: Str('身份证号', 18),
    mobile: Opt(Str('手机号', 20)),
    address: Opt(Str('住址', 200)),
    photo: Opt(IntLike('照片文件编号')),
    drilicence: Opt(Str('驾驶证号', 30)),
    fstdrilicdate: Opt(Day('初领驾驶证日期')),
    dripermitted: Opt(Str('准驾车型', 20)),
    teachpermitted: Str('准教车型', 20),
    employstatus: Opt(IntLike('供职状态 0 在职 1 离职 2 停教', 0, 2)),
    hiredate: Opt(Day('入职日期')),
    leavedate: Opt(Day('离职日期')),
    occupationno: Opt(Str('职业资格证号', 50)),
    occupationlevel: Opt(IntLike('职业技能等级 1–5', 1, 5)),
  },
  { additionalProperties: true },
)

export const coachService: ServiceHandler = {
  schema: CoachBody,
  async handle(caller, raw, env) {
    const b = raw as Input
    const coachnum = String(b.coachnum).toUpperCase()
    const result = await upsert(
      env,
      caller,
      String(b.inscode),
      'coaches',
      { table: 'coach', column: 'coach_no' },
      coachnum,
      '教练员',
      {
        coachNo: coachnum,
        name: b.name,
        sex: sexOf(b.sex),
        idCard: b.idcard,
        mobile: b.mobile,
        drivingPermitted: b.dripermitted,
        teachPermitted: firstLicense(b.teachpermitted),
        firstLicensedOn: isoDay(b.fstdrilicdate),
        occupationLevel: toInt(b.occupationlevel),
        occupationCertNo: b.occupationno,
        employmentStatus: b.employstatus === undefined ? undefined : EMPLOY[String(b.employstatus)],
        hiredOn: isoDay(b.hiredate),
        leftOn: isoDay(b.leavedate),
      },
    )
    return { ...result, coachnum }
  },
}

const TrainingCarBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    carnum: RegNo('教练车编号'),
    franum: Opt(Str('车架号', 17)),
    engnum: Opt(Str('发动机号', 50)),
    licnum: Str('车牌号', 10),
    platecolor: IntLike('车牌颜色 1 蓝 2 黄 3 黑 4 白 5 绿 9 其他', 1, 9),
    photo: Opt(IntLike('照片文件编号')),
    manufacture: Opt(Str('生产厂家')),
    brand: Opt(Str('品牌', 50)),
    model: Opt(Str('型号', 50)),
    perdritype: Str('培训车型', 5),
    buydate: Opt(Day('购置日期')),
  },
  { additionalProperties: true },
)

export const trainingCarService: ServiceHandler = {
  schema: TrainingCarBody,
  async handle(caller, raw, env) {
    const b = raw as Input
    const carnum = String(b.carnum).toUpperCase()
    const result = await upsert(
      env,
      caller,
      String(b.inscode),
      'vehicles',
      { table: 'vehicle', column: 'car_no' },
      carnum,
      '教练车',
      {
        carNo: carnum,
        plate: b.licnum,
        plateColor: toInt(b.platecolor),
        vehicleType: b.perdritype,
        brand: b.brand,
        model: b.model,
        vin: b.franum,
        engineNo: b.engnum,
        purchasedOn: isoDay(b.buydate),
      },
    )
    return { ...result, carnum }
  },
}

const DeviceBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    devnum: RegNo('计时终端编号'),
    termtype: IntLike('终端类型 1 车载计程计时 2 课堂教学 3 模拟训练', 1, 3),
    vender: Opt(Str('生产厂家')),
    model: Opt(Str('终端型号', 50)),
    imei: Str('IMEI', 15),
    sn: Opt(Str('出厂序列号', 50)),
    simnum: Str('SIM 卡号', 20),
    carnum: Opt(RegNo('安装车辆的教练车编号')),
  },
  { additionalProperties: true },
)

export const deviceService: ServiceHandler = {
  schema: DeviceBody,
  async handle(caller, raw, env) {
    const b = raw as Input
    const devnum = String(b.devnum).toUpperCase()
    let vehicleId: number | undefined
    if (b.carnum) {
      const car = await ownedId(env.database, 'vehicle', 'car_no', String(b.carnum))
      if (!car)
        throw appError('ERR_EXCHANGE_VEHICLE_UNKNOWN', {
          carnum: b.carnum,
          owner: ownerText(typeof b.inscode === 'string' ? b.inscode : undefined),
        })
      vehicleId = car.id
    }
    const result = await upsert(
      env,
      caller,
      String(b.inscode),
      'terminals',
      { table: 'terminal', column: 'device_no' },
      devnum,
      '计时终端',
      {
        deviceNo: devnum,
        phone: b.simnum,
        imei: b.imei,
        serialNo: b.sn,
        vendor: b.vender,
        model: b.model,
        terminalType: toInt(b.termtype),
        vehicleId,
        timingPlatformId: caller.platformId,
      },
    )
    return { ...result, devnum }
  },
}

const StudentBody = Type.Object(
  {
    inscode: RegNo('培训机构编号'),
    stunum: RegNo('学员编号'),
    cardtype: Opt(IntLike('证件类型 1 身份证', 1, 9)),
    idcard: Str('证件号码', 18),
    nationality: Opt(Str('国籍', 30)),
    name: Str('姓名', 50),
    sex: Opt(IntLike('性别 1 男 2 女', 1, 2)),
    phone: Opt(Str('手机号', 20)),
    address: Opt(Str('住址', 200)),
    photo: Opt(IntLike('照片文件编号')),
    fingerprint: Opt(Str('指纹编号', 100)),
    busitype: Opt(IntLike('业务类型 0 初领 1 增驾 9 其他', 0, 9)),
    drilicnum: Opt(Str('驾驶证号', 30)),
    fstdrilicdate: Opt(Day('初领驾驶证日期')),
    perdritype: Opt(Str('原准驾车型', 20)),
    traintype: Str('培训车型', 5),
    applydate: Day('报名日期'),
  },
  { additionalProperties: true },
)

export const studentService: ServiceHandler = {
  schema: StudentBody,
  async handle(caller, raw, env) {
    const b = raw as Input
    const stunum = String(b.stunum).toUpperCase()
    const result = await upsert(
      env,
      caller,
      String(b.inscode),
      'students',
      { table: 'student', column: 'stu_no' },
      stunum,
      '学员',
      {
        stuNo: stunum,
        name: b.name,
        sex: sexOf(b.sex),
        idCard: b.idcard,
        nationality: b.nationality,
        phone: b.phone,
        address: b.address,
        licenseType: b.traintype,
        businessType: b.busitype === undefined ? undefined : (BUSINESS[String(b.busitype)] ?? 'other'),
        enrolledOn: isoDay(b.applydate),
      },
    )
    return { ...result, stunum }
  },
}
