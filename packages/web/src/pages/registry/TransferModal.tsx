import { Alert, App, Descriptions, Form, Input, Modal } from 'antd'
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { fieldErrorHandler } from '../../request-error.ts'
import type { Reference } from './entities.ts'

type Item = Record<string, unknown>

interface Props {
  /** The student to move (a row or detail of /api/registry/students); null closes the dialog. */
  student: Item | null
  onClose(): void
  /** After a transfer: the student as the caller now sees it (null when it left the jurisdiction). */
  onDone(student: Item | null): void
}

const institutions: Reference = {
  entity: 'institutions',
  label: (i) => `${i.name}（${[i.cityName, i.countyName].filter(Boolean).join('')}）`,
}

/** 转学: moves a student to another institution of the caller's jurisdiction, with a reason. */
export function TransferModal({ student, onClose, onDone }: Props) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ toInstitutionId: number; reason?: string }>()
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)

  useEffect(() => {
    if (!student) return
    form.resetFields()
    setRefusal(null)
  }, [student, form])

  async function submit() {
    if (!student) return
    const values = await form.validateFields()
    setSaving(true)
    setRefusal(null)
    const byField = fieldErrorHandler(form, ['toInstitutionId', 'reason'])
    try {
      const result = await request<{ student: Item | null }>(`/api/registry/students/${student.id}/transfer`, {
        method: 'POST',
        body: { toInstitutionId: values.toInstitutionId, reason: values.reason?.trim() || null },
        onError: (error) => {
          if (byField(error)) return true
          // The server's refusal (out of jurisdiction, student gone …) stays in the dialog.
          if (error.status >= 400 && error.status < 500 && error.status !== 401) {
            setRefusal(error.message)
            return true
          }
          return false
        },
      })
      const moved = result.student
      message.success(
        moved
          ? `已将学员 ${student.name} 转入 ${String(moved.institutionName ?? '')}`
          : `已将学员 ${student.name} 转出，该学员已不在您的管辖范围内`,
      )
      onDone(moved)
    } catch {
      // shown next to the field, in the dialog or by the error policy
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      title={student ? `学员转学：${student.name}（${student.stuNo}）` : '学员转学'}
      open={student !== null}
      onCancel={onClose}
      onOk={submit}
      okText="确认转学"
      confirmLoading={saving}
      forceRender
      // Above the detail drawer it may be opened from.
      zIndex={1100}
    >
      {student && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'from', label: '当前机构', children: String(student.institutionName ?? '—') },
            {
              key: 'place',
              label: '所在地区',
              children: [student.cityName, student.countyName].filter(Boolean).join(' ') || '—',
            },
          ]}
        />
      )}
      {refusal && <Alert type="error" showIcon title="转学未办理" description={refusal} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="toInstitutionId"
          label="转入机构"
          extra="只能转入您管辖范围内的驾培机构"
          rules={[
            { required: true, message: '请选择转入机构' },
            {
              validator: (_, v) =>
                v != null && student && Number(v) === Number(student.institutionId)
                  ? Promise.reject(new Error('转入机构与当前机构相同'))
                  : Promise.resolve(),
            },
          ]}
        >
          <ReferenceSelect
            reference={institutions}
            exclude={student ? [Number(student.institutionId)] : undefined}
            placeholder="输入机构名称搜索"
          />
        </Form.Item>
        <Form.Item name="reason" label="转学原因" rules={[{ max: 200, message: '转学原因最多 200 个字' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：学员搬家，就近培训" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
