import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  FieldTimeOutlined,
  PlusOutlined,
  ReloadOutlined,
  SwapOutlined,
  UploadOutlined,
} from '@ant-design/icons'
import { Alert, App, Button, Card, Dropdown, Input, Popconfirm, Select, Space, Table, Tooltip, Upload } from 'antd'
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table'
import type { SorterResult } from 'antd/es/table/interface'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { download, type Page, type Query, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { ReferenceSelect } from '../../components/ReferenceSelect.tsx'
import { RegionCascader } from '../../components/RegionCascader.tsx'
import { renderValue } from '../../components/ValueView.tsx'
import { LICENSE_TYPES } from '../../validation.ts'
import { DetailDrawer } from './DetailDrawer.tsx'
import { EntityForm } from './EntityForm.tsx'
import { ENTITIES, type EntityKey } from './entities.ts'
import { TransferModal } from './TransferModal.tsx'

type Item = Record<string, unknown>

interface Filters {
  q: string
  region: string[]
  status?: string
  licenseType?: string
  vehicleType?: string
  institutionId?: number | null
}

const licenseOptions = LICENSE_TYPES.map((t) => ({ value: t, label: t }))

/** List, search, filters, detail, create/edit/delete, import and export of one registry entity. */
export function RegistryPage({ entity }: { entity: EntityKey }) {
  const def = ENTITIES[entity]
  const { access, me } = useAuth()
  const { message } = App.useApp()
  const [params] = useSearchParams()
  const initialInstitution = params.get('institutionId')
  const [filters, setFilters] = useState<Filters>({
    q: '',
    region: [],
    institutionId: initialInstitution ? Number(initialInstitution) : undefined,
  })
  const [qInput, setQInput] = useState('')
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const [sort, setSort] = useState<{ field?: string; order?: 'asc' | 'desc' }>({})
  const [data, setData] = useState<Page<Item>>({ items: [], total: 0, page: 1, pageSize: 20 })
  const [loading, setLoading] = useState(false)
  const [detailId, setDetailId] = useState<number | null>(null)
  const [editing, setEditing] = useState<Item | null>(null)
  const [formOpen, setFormOpen] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)
  const [transferring, setTransferring] = useState<Item | null>(null)
  const [detailVersion, setDetailVersion] = useState(0)
  const canWrite = access.canWrite(entity)
  const canTransfer = entity === 'students' && access.canTransferStudents
  const showLedger = entity === 'students' && access.canHours
  /** A coach or student account: the list holds only the person's own record. */
  const ownRecord = access.ownRecord === entity

  const query: Query = useMemo(
    () => ({
      q: filters.q,
      cityCode: filters.region[0],
      countyCode: filters.region[1],
      status: filters.status,
      licenseType: filters.licenseType,
      vehicleType: filters.vehicleType,
      institutionId: filters.institutionId ?? undefined,
      sort: sort.field,
      order: sort.order,
    }),
    [filters, sort],
  )

  useEffect(() => {
    let live = true
    setLoading(true)
    void reloadKey
    request<Page<Item>>(`/api/registry/${entity}`, { query: { ...query, page, pageSize } })
      .then((r) => live && setData(r))
      .catch(() => {})
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [entity, query, page, pageSize, reloadKey])

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }))
    setPage(1)
  }

  const openEdit = async (row: Item) => {
    try {
      setEditing(await request<Item>(`/api/registry/${entity}/${row.id}`))
      setFormOpen(true)
    } catch {
      // reported by the error policy
    }
  }

  const remove = async (row: Item) => {
    try {
      await request(`/api/registry/${entity}/${row.id}`, { method: 'DELETE' })
      message.success(`已删除${def.noun}：${def.rowLabel(row)}`)
      setReloadKey((k) => k + 1)
    } catch {
      // reported by the error policy
    }
  }

  const closeDetail = useCallback(() => setDetailId(null), [])

  const columns: ColumnsType<Item> = [
    ...def.columns.map((c) => ({
      key: c.key,
      dataIndex: c.key,
      title: c.title,
      width: c.width,
      ellipsis: !c.width,
      sorter: c.sortable,
      sortOrder: sort.field === c.key ? (sort.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
      render: (value: unknown, row: Item) => {
        if (c.link === 'institution' && access.canList('institutions')) {
          const id = entity === 'institutions' ? row.id : row.institutionId
          return id ? <Link to={`/registry/institutions/${id}`}>{String(value ?? '')}</Link> : renderValue(value)
        }
        return renderValue(value, c.display, row)
      },
    })),
    {
      key: 'actions',
      title: '操作',
      fixed: 'right',
      width: (canWrite ? 170 : 70) + (canTransfer ? 70 : 0) + (showLedger ? 70 : 0),
      render: (_: unknown, row: Item) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setDetailId(Number(row.id))}>
            详情
          </Button>
          {showLedger && (
            <Link to={`/hours/students/${row.id}`}>
              <Button type="link" size="small" icon={<FieldTimeOutlined />}>
                学时
              </Button>
            </Link>
          )}
          {canWrite && (
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openEdit(row)}>
              编辑
            </Button>
          )}
          {canTransfer && (
            <Button type="link" size="small" icon={<SwapOutlined />} onClick={() => setTransferring(row)}>
              转学
            </Button>
          )}
          {canWrite && (
            <Popconfirm
              title={`删除${def.noun}`}
              description={`确定删除「${def.rowLabel(row)}」吗？删除后不可恢复。`}
              okText="删除"
              okButtonProps={{ danger: true }}
              onConfirm={() => remove(row)}
            >
              <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                删除
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ]

  const onTableChange = (p: TablePaginationConfig, _f: unknown, sorter: SorterResult<Item> | SorterResult<Item>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter
    const field = s?.order ? String(s.columnKey ?? s.field) : undefined
    const order = s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined
    if (field !== sort.field || order !== sort.order) {
      setSort({ field, order })
      setPage(1)
    } else {
      setPage(p.current ?? 1)
    }
    setPageSize(p.pageSize ?? 20)
  }

  const importFile = async (file: File) => {
    const form = new FormData()
    form.append('file', file)
    try {
      const r = await request<{ imported: number }>(`/api/registry/${entity}/import`, { method: 'POST', form })
      message.success(`导入成功：${r.imported} 条${def.noun}`)
      setReloadKey((k) => k + 1)
    } catch {
      // 422 row errors are shown as a table by the error policy
    }
  }

  const fileMenu = (action: (format: 'xlsx' | 'csv') => void) => ({
    items: [
      { key: 'xlsx', label: 'Excel（.xlsx）' },
      { key: 'csv', label: 'CSV（.csv）' },
    ],
    onClick: ({ key }: { key: string }) => action(key as 'xlsx' | 'csv'),
  })

  const exportRows = (format: 'xlsx' | 'csv') =>
    download(`/api/registry/${entity}/export`, { ...query, format }, `${def.title}.${format}`).catch(() => {})
  const downloadTemplate = (format: 'xlsx' | 'csv') =>
    download(`/api/registry/${entity}/import-template`, { format }, `${def.title}导入模板.${format}`).catch(() => {})

  const presets = useMemo(
    () =>
      me?.user.institutionId
        ? { institutionId: me.user.institutionId, institutionName: me.user.institutionName }
        : undefined,
    [me],
  )
  const showInstitutionFilter = def.filters.institution && !me?.user.institutionId

  return (
    <Card
      title={def.title}
      extra={
        <Space wrap>
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null)
                setFormOpen(true)
              }}
            >
              新增
            </Button>
          )}
          {canWrite && access.canImport && (
            <Upload
              accept=".xlsx,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void importFile(file)
                return false
              }}
            >
              <Button icon={<UploadOutlined />}>导入</Button>
            </Upload>
          )}
          {canWrite && access.canImport && (
            <Dropdown menu={fileMenu(downloadTemplate)}>
              <Button icon={<DownloadOutlined />}>下载模板</Button>
            </Dropdown>
          )}
          {access.canExport && (
            <Dropdown menu={fileMenu(exportRows)}>
              <Button icon={<DownloadOutlined />}>导出</Button>
            </Dropdown>
          )}
        </Space>
      }
    >
      {ownRecord ? (
        <Alert type="info" showIcon title={`这里只显示您本人的${def.noun}备案信息。`} style={{ marginBottom: 16 }} />
      ) : (
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={def.searchHint}
            style={{ width: 280 }}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => update({ q: v.trim() })}
            enterButton="查询"
          />
          {def.filters.region && (
            <RegionCascader value={filters.region} onChange={(region) => update({ region })} style={{ width: 200 }} />
          )}
          {showInstitutionFilter && (
            <ReferenceSelect
              reference={{ entity: 'institutions', label: (i) => String(i.name) }}
              value={filters.institutionId ?? null}
              onChange={(institutionId) => update({ institutionId })}
              placeholder="所属机构"
              style={{ width: 220 }}
            />
          )}
          {def.filters.status && (
            <Select
              allowClear
              placeholder="状态"
              style={{ width: 120 }}
              options={def.filters.status.map((o) => ({ value: String(o.value), label: o.label }))}
              value={filters.status}
              onChange={(status) => update({ status })}
            />
          )}
          {def.filters.licenseType && (
            <Select
              allowClear
              placeholder="培训车型"
              style={{ width: 110 }}
              options={licenseOptions}
              value={filters.licenseType}
              onChange={(licenseType) => update({ licenseType })}
            />
          )}
          {def.filters.vehicleType && (
            <Select
              allowClear
              placeholder="车型"
              style={{ width: 100 }}
              options={licenseOptions}
              value={filters.vehicleType}
              onChange={(vehicleType) => update({ vehicleType })}
            />
          )}
          <Tooltip title="清空条件">
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                setQInput('')
                setFilters({ q: '', region: [] })
                setSort({})
                setPage(1)
              }}
            />
          </Tooltip>
        </Space>
      )}
      <Table<Item>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        scroll={{ x: 'max-content' }}
        onChange={onTableChange}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total.toLocaleString('zh-CN')} 条`,
        }}
      />
      <DetailDrawer
        def={def}
        id={detailId}
        onClose={closeDetail}
        version={detailVersion}
        extra={
          canTransfer || showLedger
            ? (item) => (
                <Space>
                  {showLedger && (
                    <Link to={`/hours/students/${item.id}`}>
                      <Button icon={<FieldTimeOutlined />}>学时台账</Button>
                    </Link>
                  )}
                  {canTransfer && (
                    <Button icon={<SwapOutlined />} onClick={() => setTransferring(item)}>
                      转学
                    </Button>
                  )}
                </Space>
              )
            : undefined
        }
      />
      {canTransfer && (
        <TransferModal
          student={transferring}
          onClose={() => setTransferring(null)}
          onDone={(moved) => {
            setTransferring(null)
            setReloadKey((k) => k + 1)
            if (moved === null) setDetailId(null)
            else setDetailVersion((v) => v + 1)
          }}
        />
      )}
      <EntityForm
        def={def}
        item={editing}
        open={formOpen}
        presets={presets}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false)
          setReloadKey((k) => k + 1)
        }}
      />
    </Card>
  )
}
