/**
 * 结业信息 (graduation): the platform asks for the student's completion certificate. Whether it
 * is granted is the hour accounting's decision (complete hours in every part, nothing under
 * review); a refusal answers the hours service's coded error.
 */
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import type { ServiceHandler } from '../gate.ts'
import { Day, IntLike, Opt, ownedId, RegNo, Str, servedInstitution } from './common.ts'

const GraduationBody = Type.Object(
  {
    stunum: RegNo('学员编号'),
    autinscode: RegNo('发证培训机构编号'),
    gracertnum: Opt(Str('结业证书编号', 50)),
    grantdate: Day('发证日期'),
    pdfid: Opt(IntLike('结业 PDF 文件编号')),
    esignature: Opt(Str('电子签章', 4096)),
  },
  { additionalProperties: true },
)

export const graduationService: ServiceHandler = {
  schema: GraduationBody,
  async handle(caller, raw, env) {
    const b = raw as Record<string, string>
    const inst = await servedInstitution(env.database, caller, String(b.autinscode))
    const stu = await ownedId(env.database, 'student', 'stu_no', String(b.stunum))
    if (!stu || stu.institutionId !== inst.id) {
      throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum: b.stunum, inscode: b.autinscode })
    }
    throw appError('ERR_EXCHANGE_UNAVAILABLE', { service: '结业信息上报', reason: '结业审核尚未启用，请稍后再报' })
  },
}
