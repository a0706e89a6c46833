/**
 * 结业信息 (graduation): the platform asks for the student's completion certificate. Whether it
 * is granted is the hour accounting's decision (complete hours in every part, every part's stage
 * review approved, no open findings): a refusal answers the hours service's coded error
 * (4001 ERR_HOURS_INCOMPLETE, 4002 ERR_HOURS_UNDER_REVIEW, 4003 ERR_HOURS_ALREADY_CERTIFIED), an
 * issue answers the platform's certificate number (JY…) beside the platform's own gracertnum.
 */
import { Type } from '@sinclair/typebox'
import { appError } from '../../errors/catalogue.ts'
import { issueCertificate } from '../../hours/service.ts'
import type { ServiceHandler } from '../gate.ts'
import { Day, IntLike, Opt, ownedId, ownerText, platformPrincipal, RegNo, Str, servedInstitution } from './common.ts'

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
      throw appError('ERR_EXCHANGE_STUDENT_UNKNOWN', { stunum: b.stunum, owner: ownerText(b.autinscode) })
    }
    const cert = await issueCertificate(env.database, platformPrincipal(caller, inst.id), stu.id, {
      now: env.now?.() ?? new Date(),
    })
    return { id: cert.id, certNo: cert.certNo, stunum: b.stunum, gracertnum: b.gracertnum ?? null }
  },
}
