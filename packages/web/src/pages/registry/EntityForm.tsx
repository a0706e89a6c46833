import { App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd'
import type { Rule } from 'antd/es/form'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { request } from '../../api.ts'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { RegionCascader } from '../../components/RegionCascader.tsx'
import { fieldErrorHandler } from '../../request-error.ts'
import type { EntityDef, FieldDef } from './entities.ts'

type Item = Record<string, unknown>

interface Props {
  def: EntityDef
  /** Row to edit (full item from GET by id), or null to create. */
  item: Item | null
  open: boolean
  onClose(): void
  onSaved(item: Item): void
  /** Preset values when creating (e.g. the user's own institution). */
  presets?: Item
}

function toForm(field: FieldDef, item: Item): unknown {
  if (field.input === 'region') return item.cityCode ? [item.cityCode, item.countyCode].filter(Boolean) : undefined
  const v = item[field.name]
  if (v === null || v === undefined) return undefined
  switch (field.input) {
    case 'date':
      return dayjs(String(v))
    case 'money':
      return Number(v) / 100
    case 'geojson':
      return JSON.stringify(v)
    default:
      return v
  }
}

function toPayload(field: FieldDef, v: unknown, out: Item): void {
  if (field.input === 'region') {
    const [cityCode, countyCode] = (v as string[] | undefined) ?? []
    out.cityCode = cityCode ?? null
    out.countyCode = countyCode ?? null
    return
  }
  if (v === undefined || v === '') {
    out[field.name] = null
    return
  }
  switch (field.input) {
    case 'date':
      out[field.name] = v ? (v as Dayjs).format('YYYY-MM-DD') : null
      return
    case 'money':
      out[field.name] = v === null ? null : Math.round(Number(v) * 100)
      return
    case 'geojson':
      out[field.name] = v ? JSON.parse(String(v)) : null
      return
    case 'text':
    case 'textarea':
      out[field.name] = typeof v === 'string' ? v.trim() : v
      return
    default:
      out[field.name] = v
  }
}

function rulesOf(field: FieldDef): Rule[] {
  const rules: Rule[] = []
  if (field.required) rules.push({ required: true, message: `请填写${field.label}` })
  if (field.check) {
    const check = field.check
    rules.push({
      validator: (_, value) => {
        if (value === undefined || value === null || value === '' || String(value).includes('*'))
          return Promise.resolve()
        const reason = check(String(value))
        return reason ? Promise.reject(new Error(reason)) : Promise.resolve()
      },
    })
  }
  if (field.input === 'geojson') {
    rules.push({
      validator: (_, value) => {
        if (!value) return Promise.resolve()
        try {
          const g = JSON.parse(String(value))
          if (g?.type !== 'Polygon' || !Array.isArray(g.coordinates)) throw new Error()
          return Promise.resolve()
        } catch {
          return Promise.reject(new Error('应为 GeoJSON Polygon（经纬度坐标）'))
        }
      },
    })
  }
  return rules
}

interface ControlProps {
  id?: string
  value?: unknown
  onChange?: (...args: unknown[]) => void
  onBlur?: () => void
}

/** The control of one field; Form.Item hands it id/value/onChange, passed on to the real input. */
function FieldInput({
  field,
  form,
  item,
  locked,
  ...control
}: {
  field: FieldDef
  form: ReturnType<typeof Form.useForm>[0]
  item: Item | null
  /** Preset by the account (e.g. an institution's own id) and not changeable. */
  locked?: boolean
} & ControlProps) {
  const dependsOn = field.reference?.dependsOn
  const dependency = Form.useWatch(dependsOn?.field ?? '__none__', form) as number | undefined
  // biome-ignore lint/suspicious/noExplicitAny: Form.Item's injected props fit every antd control
  const c = control as any
  switch (field.input) {
    case 'textarea':
      return <Input.TextArea {...c} rows={3} placeholder={field.placeholder} />
    case 'geojson':
      return (
        <Input.TextArea
          {...c}
          rows={3}
          placeholder={field.placeholder}
          style={{ fontFamily: 'monospace', fontSize: 12 }}
        />
      )
    case 'number':
      return <InputNumber {...c} style={{ width: '100%' }} />
    case 'money':
      return <InputNumber {...c} style={{ width: '100%' }} min={0} precision={2} prefix="¥" />
    case 'select':
      return <Select {...c} options={field.options} allowClear placeholder="请选择" />
    case 'multi':
      return <Select {...c} mode="multiple" options={field.options} allowClear placeholder="请选择" />
    case 'tags':
      return <Select {...c} mode="tags" allowClear placeholder="输入后回车" />
    case 'date':
      return <DatePicker {...c} style={{ width: '100%' }} />
    case 'region':
      return <RegionCascader {...c} countyRequired placeholder="请选择地市 / 区县" />
    case 'reference': {
      const reference = field.reference!
      const nameKey = `${field.name.replace(/Id$/, '')}Name`
      return (
        <ReferenceSelect
          {...c}
          reference={reference}
          filter={dependsOn ? { [dependsOn.param]: dependency } : undefined}
          disabled={locked || (dependsOn ? !dependency : false)}
          initialLabel={item ? (item[nameKey] as string | undefined) : undefined}
          placeholder={dependsOn && !dependency ? '请先选择所属机构' : undefined}
        />
      )
    }
    default:
      return <Input {...c} placeholder={field.placeholder} maxLength={field.maxLength} showCount={!!field.maxLength} />
  }
}

/** Create / edit dialog of one registry entity. */
export function EntityForm({ def, item, open, onClose, onSaved, presets }: Props) {
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const { message } = App.useApp()
  const editing = item !== null
  const fields = useMemo(() => def.fields.filter((f) => !(editing && f.createOnly)), [def, editing])

  useEffect(() => {
    if (!open) return
    form.resetFields()
    const source = item ?? presets ?? {}
    const values: Item = {}
    for (const f of fields) values[f.name] = toForm(f, source)
    form.setFieldsValue(values)
  }, [open, item, presets, form, fields])

  async function submit() {
    let values: Item
    try {
      values = await form.validateFields()
    } catch {
      return // the form shows what is missing
    }
    const payload: Item = {}
    for (const f of fields) {
      // When editing, send only what the user changed (masked personal data stays untouched).
      if (f.notSent || (editing && !form.isFieldTouched(f.name))) continue
      toPayload(f, values[f.name], payload)
      // A new row leaves empty optional fields out; an edit sends null to clear them.
      if (!editing && payload[f.name] === null) delete payload[f.name]
    }
    setSaving(true)
    try {
      const onError = fieldErrorHandler(
        form,
        fields.map((f) => f.name),
        { cityCode: 'region', countyCode: 'region' },
      )
      const saved = editing
        ? await request<Item>(`/api/registry/${def.key}/${item.id}`, { method: 'PATCH', body: payload, onError })
        : await request<Item>(`/api/registry/${def.key}`, { method: 'POST', body: payload, onError })
      message.success(editing ? '已保存' : `已新增${def.noun}`)
      onSaved(saved)
    } catch {
      // shown by the error policy or next to the field
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      title={editing ? `编辑${def.noun}：${def.rowLabel(item)}` : `新增${def.noun}`}
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText="保存"
      width={820}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark>
        <Row gutter={16}>
          {fields.map((f) => (
            <Col span={f.input === 'geojson' || f.input === 'textarea' ? 24 : 12} key={f.name}>
              <Form.Item name={f.name} label={f.label} rules={rulesOf(f)} validateFirst>
                <FieldInput
                  field={f}
                  form={form}
                  item={item ?? presets ?? null}
                  locked={!item && presets?.[f.name] != null}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
    </Modal>
  )
}
