import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Col, Divider, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd'
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'
import { fieldErrorHandler } from '../../request-error.ts'
import { checkMobile, LICENSE_TYPES } from '../../validation.ts'

type Item = Record<string, unknown>

const licenseOptions = LICENSE_TYPES.map((t) => ({ value: t, label: t }))

/** The public disclosure keys edited here; other keys already stored are kept as they are. */
const KEYS = ['serviceHours', 'servicePhone', 'complaintPhone', 'enrolmentAddress', 'founded', 'payModes', 'intro']

interface Props {
  item: Item
  open: boolean
  onClose(): void
  onSaved(item: Item): void
}

/** 编辑收费与公示信息: the part of an institution's filing the institution itself maintains. */
export function DisclosureForm({ item, open, onClose, onSaved }: Props) {
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const { message } = App.useApp()

  useEffect(() => {
    if (!open) return
    const disclosure = (item.disclosure ?? {}) as Record<string, unknown>
    form.resetFields()
    form.setFieldsValue({
      shortName: item.shortName ?? undefined,
      address: item.address ?? undefined,
      contactPhone: item.contactPhone ?? undefined,
      feeItems: Array.isArray(item.feeItems) ? item.feeItems : [],
      disclosure: Object.fromEntries(KEYS.map((k) => [k, disclosure[k] ?? undefined])),
    })
  }, [open, item, form])

  async function submit() {
    let values: Item
    try {
      values = await form.validateFields()
    } catch {
      return
    }
    const disclosure = { ...((item.disclosure ?? {}) as Record<string, unknown>) }
    for (const [k, v] of Object.entries((values.disclosure ?? {}) as Record<string, unknown>)) {
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete disclosure[k]
      else disclosure[k] = typeof v === 'string' ? v.trim() : v
    }
    const feeItems = ((values.feeItems ?? []) as Item[]).map((f) =>
      Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== '')),
    )
    setSaving(true)
    try {
      const saved = await request<Item>(`/api/registry/institutions/${item.id}`, {
        method: 'PATCH',
        body: {
          shortName: (values.shortName as string | undefined)?.trim() || null,
          address: (values.address as string | undefined)?.trim() || null,
          contactPhone: (values.contactPhone as string | undefined)?.trim() || null,
          feeItems,
          disclosure,
        },
        onError: fieldErrorHandler(form, ['shortName', 'address', 'contactPhone', 'feeItems', 'disclosure']),
      })
      message.success('收费与公示信息已保存')
      onSaved(saved)
    } catch {
      // shown by the error policy or next to the field
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      title="编辑收费与公示信息"
      open={open}
      onCancel={onClose}
      onOk={submit}
      okText="保存"
      confirmLoading={saving}
      width={900}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="shortName" label="简称">
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactPhone" label="联系电话">
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="address" label="经营地址">
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">收费项目与标准</Divider>
        <Form.List name="feeItems">
          {(fields, { add, remove }) => (
            <>
              {fields.map(({ key, name }) => (
                <Space key={key} align="baseline" style={{ display: 'flex', marginBottom: 4 }} wrap>
                  <Form.Item name={[name, 'item']} rules={[{ required: true, message: '请填写收费项目' }]}>
                    <Input placeholder="收费项目" style={{ width: 220 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'licenseType']}>
                    <Select placeholder="车型" options={licenseOptions} allowClear style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'amountYuan']} rules={[{ required: true, message: '请填写金额' }]}>
                    <InputNumber placeholder="金额（元）" min={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'unit']}>
                    <Input placeholder="单位（人/学时）" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'note']}>
                    <Input placeholder="说明" style={{ width: 200 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(name)} aria-label="删除收费项目" />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} block>
                添加收费项目
              </Button>
            </>
          )}
        </Form.List>
        <Divider titlePlacement="start">公示信息</Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['disclosure', 'serviceHours']} label="服务时间">
              <Input placeholder="08:00–17:30" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name={['disclosure', 'servicePhone']}
              label="服务电话"
              rules={[
                {
                  validator: (_, v) =>
                    !v || /^0\d{2,3}-?\d{7,8}$/.test(v) || !checkMobile(v)
                      ? Promise.resolve()
                      : Promise.reject(new Error('请填写手机号或带区号的固定电话')),
                },
              ]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['disclosure', 'complaintPhone']} label="投诉电话">
              <Input placeholder="12328" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name={['disclosure', 'enrolmentAddress']} label="报名地址">
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['disclosure', 'founded']} label="成立年份">
              <InputNumber min={1950} max={2100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name={['disclosure', 'payModes']} label="收费方式">
              <Select
                mode="tags"
                options={['计时培训、计时收费', '先培训后付费', '一次性收费'].map((v) => ({ value: v, label: v }))}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name={['disclosure', 'intro']} label="机构简介">
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  )
}
