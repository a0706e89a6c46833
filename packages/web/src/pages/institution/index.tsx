import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons'
import { Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { type Page, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { renderValue } from '../../components/ValueView.tsx'
import { CLASS_LEVEL, ENTITIES, FIELD_KIND, FILING_STATUS } from '../registry/entities.ts'
import { DisclosureForm } from './DisclosureForm.tsx'
import { FieldMap, type TrainingField } from './FieldMap.tsx'

type Item = Record<string, unknown>

interface FeeItem {
  item: string
  licenseType?: string
  amountYuan?: number
  unit?: string
  note?: string
}

/** Known keys of the public disclosure (公示信息); other keys are shown as they come. */
const DISCLOSURE_LABELS: Record<string, string> = {
  serviceHours: '服务时间',
  servicePhone: '服务电话',
  complaintPhone: '投诉电话',
  enrolmentAddress: '报名地址',
  founded: '成立年份',
  payModes: '收费方式',
  intro: '机构简介',
}

const COUNTED = [
  { entity: 'coaches', title: '教练员', suffix: '人' },
  { entity: 'vehicles', title: '教练车', suffix: '辆' },
  { entity: 'students', title: '学员', suffix: '人' },
  { entity: 'terminals', title: '计时终端', suffix: '台' },
] as const

function disclosureValue(v: unknown) {
  if (Array.isArray(v)) return v.map((x) => <Tag key={String(x)}>{String(x)}</Tag>)
  return renderValue(v)
}

/** 驾培机构详情: registration data, training fields on a map, counts, fees and disclosure. */
export default function InstitutionDetailPage() {
  const { id } = useParams()
  const navigate = useNavigate()
  const [item, setItem] = useState<Item | null>(null)
  const [fields, setFields] = useState<TrainingField[] | null>(null)
  const [counts, setCounts] = useState<Record<string, number>>({})
  const [editing, setEditing] = useState(false)
  const { access } = useAuth()

  useEffect(() => {
    setItem(null)
    setFields(null)
    setCounts({})
    request<Item>(`/api/registry/institutions/${id}`)
      .then(setItem)
      .catch(() => navigate('/registry/institutions', { replace: true }))
    request<Page<TrainingField>>('/api/registry/fields', { query: { institutionId: id, pageSize: 100 } })
      .then((p) => setFields(p.items))
      .catch(() => setFields([]))
    for (const c of COUNTED) {
      request<Page<Item>>(`/api/registry/${c.entity}`, { query: { institutionId: id, pageSize: 1 } })
        .then((p) => setCounts((prev) => ({ ...prev, [c.entity]: p.total })))
        .catch(() => {})
    }
  }, [id, navigate])

  if (!item) return <Skeleton active paragraph={{ rows: 10 }} />

  const def = ENTITIES.institutions
  const feeItems = (Array.isArray(item.feeItems) ? item.feeItems : []) as FeeItem[]
  const disclosure = (item.disclosure && typeof item.disclosure === 'object' ? item.disclosure : {}) as Record<
    string,
    unknown
  >
  const status = FILING_STATUS.find((s) => s.value === item.filingStatus)
  const level = CLASS_LEVEL.find((c) => c.value === item.classLevel)
  const shown = new Set(['name', 'region', 'filingStatus', 'classLevel'])

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="institution-detail">
      <Card>
        <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <div>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {String(item.name)}
            </Typography.Title>
            <Space wrap>
              {status && <Tag color={status.color}>{status.label}</Tag>}
              {level && <Tag color="blue">{level.label}机构</Tag>}
              <Typography.Text type="secondary">
                {String(item.cityName ?? '')} {String(item.countyName ?? '')} · 机构编号 {String(item.insCode)}
              </Typography.Text>
            </Space>
          </div>
          <Space>
            {access.canEditDisclosure && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                编辑收费与公示信息
              </Button>
            )}
            <Link to="/registry/institutions">
              <Button icon={<ArrowLeftOutlined />}>返回列表</Button>
            </Link>
          </Space>
        </Space>
        <Row gutter={16} style={{ marginTop: 16 }}>
          {COUNTED.map((c) => (
            <Col xs={12} md={6} key={c.entity}>
              <Link to={`/registry/${c.entity}?institutionId=${id}`}>
                <Card size="small" hoverable>
                  <Statistic title={c.title} value={counts[c.entity] ?? '—'} suffix={c.suffix} />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={`教练场地（${fields?.length ?? 0} 处）`}>
            {fields === null ? <Skeleton active /> : <FieldMap institutionId={Number(id)} fields={fields} />}
            {fields && fields.length > 0 && (
              <Table<TrainingField>
                style={{ marginTop: 12 }}
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={fields}
                columns={[
                  { title: '场地名称', dataIndex: 'name' },
                  {
                    title: '类型',
                    dataIndex: 'kind',
                    width: 120,
                    render: (v) => renderValue(v, { kind: 'enum', options: FIELD_KIND }),
                  },
                  { title: '面积', dataIndex: 'areaM2', width: 140, render: (v) => renderValue(v, { kind: 'area' }) },
                  { title: '地址', dataIndex: 'address', ellipsis: true },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="备案信息">
            <Descriptions
              column={1}
              size="small"
              bordered
              items={def.fields
                .filter((f) => !shown.has(f.name))
                .map((f) => ({
                  key: f.name,
                  label: f.label,
                  children:
                    f.name === 'timingPlatformId'
                      ? renderValue(item.platformName)
                      : renderValue(item[f.name], f.display),
                }))}
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title="收费项目与标准">
            {feeItems.length === 0 ? (
              <Empty description="未登记收费项目" />
            ) : (
              <Table<FeeItem>
                size="small"
                rowKey={(r) => `${r.item}-${r.licenseType ?? ''}`}
                pagination={false}
                dataSource={feeItems}
                columns={[
                  { title: '收费项目', dataIndex: 'item' },
                  { title: '车型', dataIndex: 'licenseType', width: 70 },
                  {
                    title: '金额（元）',
                    dataIndex: 'amountYuan',
                    width: 110,
                    align: 'right',
                    render: (v: number | undefined) => (v == null ? '—' : v.toLocaleString('zh-CN')),
                  },
                  { title: '单位', dataIndex: 'unit', width: 70, render: (v?: string) => (v ? `每${v}` : '—') },
                  { title: '说明', dataIndex: 'note', ellipsis: true },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="公示信息">
            {Object.keys(disclosure).length === 0 ? (
              <Empty description="未填写公示信息" />
            ) : (
              <Descriptions
                column={1}
                size="small"
                bordered
                styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}
                items={Object.entries(disclosure).map(([k, v]) => ({
                  key: k,
                  label: DISCLOSURE_LABELS[k] ?? k,
                  children: disclosureValue(v),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      <DisclosureForm
        item={item}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setItem((prev) => ({ ...prev, ...saved }))
          setEditing(false)
        }}
      />
    </Space>
  )
}
