import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Descriptions, Empty, Select, Skeleton, Space, Tag } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { type Page, request } from '../../api.ts'
import { useAuth } from '../../auth.tsx'
import { Credentials } from './Credentials.tsx'
import { RequestLogCard } from './RequestLog.tsx'
import { type Platform, platformStatus } from './types.ts'

/**
 * 计时平台接入: per timing platform its 接入证书 (issue, shown once; revoke) and the log of its
 * calls to the exchange interface. The province manages every platform, an operator its own.
 */
export default function PlatformAccessPage() {
  const { me } = useAuth()
  const ownPlatformId = me?.user.role === 'operator' ? (me.user.timingPlatformId ?? null) : null
  const [platforms, setPlatforms] = useState<Platform[] | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    let live = true
    request<Page<Platform>>('/api/registry/platforms', { query: { page: 1, pageSize: 200, sort: 'platformNo' } })
      .then((r) => {
        if (!live) return
        const list = ownPlatformId ? r.items.filter((p) => p.id === ownPlatformId) : r.items
        setPlatforms(list)
        setSelected((s) => s ?? list[0]?.id ?? null)
      })
      .catch(() => live && setPlatforms([]))
    return () => {
      live = false
    }
  }, [ownPlatformId])

  const platform = useMemo(() => platforms?.find((p) => p.id === selected) ?? null, [platforms, selected])

  if (!platforms) return <Skeleton active />
  if (platforms.length === 0) {
    return (
      <Card title="计时平台接入">
        <Empty
          description={
            ownPlatformId === null && me?.user.role === 'operator'
              ? '本账号未关联计时平台，请联系省级监管部门在账号管理中关联'
              : '尚无计时平台：请先在「基础档案 → 计时平台」中新增'
          }
        />
      </Card>
    )
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="platform-access">
      <Card
        title="计时平台接入"
        extra={
          <Space>
            {!ownPlatformId && (
              <Select
                data-testid="platform-select"
                showSearch
                optionFilterProp="label"
                style={{ width: 320 }}
                value={selected ?? undefined}
                onChange={setSelected}
                options={platforms.map((p) => ({ value: p.id, label: `${p.name}（${p.platformNo}）` }))}
              />
            )}
            <Button icon={<ReloadOutlined />} title="刷新" onClick={() => setReloadKey((k) => k + 1)} />
          </Space>
        }
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="第三方计时平台用接入证书对每次请求签名，证书序列号即请求参数 user。签发的 PKCS#12 与口令只显示一次，平台不保存私钥；证书泄露或不再使用时请立即吊销。"
        />
        {platform && (
          <Descriptions
            size="small"
            column={{ xs: 1, md: 4 }}
            items={[
              { key: 'no', label: '平台编号', children: platform.platformNo },
              { key: 'name', label: '平台名称', children: platform.name },
              { key: 'operator', label: '运营单位', children: platform.operatorName ?? '—' },
              {
                key: 'status',
                label: '状态',
                children: (
                  <Space>
                    <Tag color={platformStatus(platform.status).color}>{platformStatus(platform.status).label}</Tag>
                    {platform.status !== 'active' && (
                      <Tag color="red">非运营中的平台，所有请求均被拒绝（errorcode 1102）</Tag>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {platform && (
        <>
          <Credentials key={`c-${platform.id}-${reloadKey}`} platform={platform} />
          <RequestLogCard key={`r-${platform.id}-${reloadKey}`} platformId={platform.id} />
        </>
      )}
    </Space>
  )
}
