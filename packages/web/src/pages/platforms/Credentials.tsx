import { DownloadOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Descriptions, Empty, Modal, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { request } from '../../api.ts'
import { formatTime } from '../training/types.ts'
import {
  base64Bytes,
  type Credential,
  credentialState,
  type IssuedCredential,
  type Platform,
  saveBytes,
  type Validity,
} from './types.ts'

/** 接入证书 of one platform: the list with validity and state, 签发 (shown once) and 吊销 (after a confirmation). */
export function Credentials({ platform }: { platform: Platform }) {
  const { message, modal } = App.useApp()
  const [items, setItems] = useState<Credential[] | null>(null)
  const [validity, setValidity] = useState<Map<number, Validity>>(new Map())
  const [issuing, setIssuing] = useState(false)
  const [issued, setIssued] = useState<IssuedCredential | null>(null)
  const [saved, setSaved] = useState(false)
  const [reloadKey, setReloadKey] = useState(0)

  useEffect(() => {
    let live = true
    void reloadKey
    const base = `/api/timing-platforms/${platform.id}`
    Promise.all([
      request<{ items: Credential[] }>(`${base}/exchange-credentials`),
      request<{ items: Validity[] }>(`${base}/exchange-credential-validity`),
    ])
      .then(([list, v]) => {
        if (!live) return
        setItems([...list.items].sort((a, b) => b.id - a.id))
        setValidity(new Map(v.items.map((x) => [x.id, x])))
      })
      .catch(() => live && setItems([]))
    return () => {
      live = false
    }
  }, [platform.id, reloadKey])

  async function issue() {
    setIssuing(true)
    try {
      const credential = await request<IssuedCredential>(`/api/timing-platforms/${platform.id}/exchange-credentials`, {
        method: 'POST',
      })
      setSaved(false)
      setIssued(credential)
      setReloadKey((k) => k + 1)
    } catch {
      // the error policy shows the server's reason (no permission, platform unknown)
    } finally {
      setIssuing(false)
    }
  }

  function revoke(c: Credential) {
    modal.confirm({
      title: `吊销接入证书 ${c.certSn}？`,
      content: `吊销后，${platform.name}以该证书签名的请求将全部被拒绝（errorcode 1102），且不能恢复；如平台仍需对接，请先签发新证书并完成替换。`,
      okText: '吊销',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await request(`/api/timing-platforms/${platform.id}/exchange-credentials/${c.id}/revoke`, { method: 'POST' })
          message.success(`证书 ${c.certSn} 已吊销`)
          setReloadKey((k) => k + 1)
        } catch {
          // shown by the error policy
        }
      },
    })
  }

  function download(c: IssuedCredential) {
    saveBytes(base64Bytes(c.pkcs12Base64), `${platform.platformNo}-${c.certSn}.p12`, 'application/x-pkcs12')
    setSaved(true)
  }

  function closeIssued() {
    if (saved || !issued) {
      setIssued(null)
      return
    }
    modal.confirm({
      title: '尚未下载 PKCS#12',
      content: '关闭后将无法再次查看私钥和口令，只能吊销该证书后重新签发。确定关闭吗？',
      okText: '仍然关闭',
      cancelText: '返回下载',
      onOk: () => setIssued(null),
    })
  }

  const active = (items ?? []).filter((c) => credentialState(c, validity.get(c.id)).key === 'valid').length

  return (
    <Card
      title={
        <Space>
          接入证书
          {items && <Tag color={active ? 'green' : 'default'}>有效 {active} 张</Tag>}
        </Space>
      }
      extra={
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={issuing} onClick={issue}>
          签发证书
        </Button>
      }
      data-testid="credentials"
    >
      <Table<Credential>
        size="small"
        rowKey="id"
        loading={!items}
        pagination={false}
        dataSource={items ?? []}
        locale={{
          emptyText: (
            <Empty description="该平台尚无接入证书：点击「签发证书」生成，并将 PKCS#12 与口令交给平台运营方" />
          ),
        }}
        columns={[
          {
            title: '证书序列号（user）',
            dataIndex: 'certSn',
            render: (v: string) => (
              <Typography.Text copyable code>
                {v}
              </Typography.Text>
            ),
          },
          { title: '签发时间', dataIndex: 'issuedAt', render: formatTime },
          {
            title: '有效期',
            key: 'validity',
            render: (_, c) => {
              const v = validity.get(c.id)
              return v?.notAfter ? `${formatTime(v.notBefore)} 至 ${formatTime(v.notAfter)}` : '—'
            },
          },
          {
            title: '状态',
            key: 'state',
            render: (_, c) => {
              const s = credentialState(c, validity.get(c.id))
              return (
                <Space size={4}>
                  <Tag color={s.color}>{s.label}</Tag>
                  {c.revokedAt && <Typography.Text type="secondary">{formatTime(c.revokedAt)}</Typography.Text>}
                </Space>
              )
            },
          },
          {
            title: '操作',
            key: 'actions',
            width: 100,
            render: (_, c) =>
              c.revokedAt ? null : (
                <Button size="small" danger icon={<StopOutlined />} onClick={() => revoke(c)}>
                  吊销
                </Button>
              ),
          },
        ]}
      />

      <Modal
        title="接入证书已签发"
        open={issued !== null}
        width={640}
        maskClosable={false}
        keyboard={false}
        onCancel={closeIssued}
        footer={[
          <Button key="close" onClick={closeIssued}>
            {saved ? '已保存，关闭' : '关闭'}
          </Button>,
        ]}
      >
        {issued && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="issued-credential">
            <Alert
              type="warning"
              showIcon
              title="私钥与口令只显示这一次"
              description="平台不保存私钥：请立即下载 PKCS#12 并把口令另行安全地交给平台运营方。关闭本窗口后无法再次查看；遗失时只能吊销该证书并重新签发。"
            />
            <Descriptions
              size="small"
              column={1}
              bordered
              items={[
                {
                  key: 'sn',
                  label: '证书序列号（user）',
                  children: (
                    <Typography.Text copyable code data-testid="issued-sn">
                      {issued.certSn}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'password',
                  label: 'PKCS#12 口令',
                  children: (
                    <Typography.Text copyable code data-testid="issued-password">
                      {issued.password}
                    </Typography.Text>
                  ),
                },
                { key: 'issued', label: '签发时间', children: formatTime(issued.issuedAt) },
              ]}
            />
            <Space>
              <Button type="primary" icon={<DownloadOutlined />} onClick={() => download(issued)}>
                下载 PKCS#12（.p12）
              </Button>
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  saveBytes(issued.certPem, `${platform.platformNo}-${issued.certSn}.pem`, 'application/x-pem-file')
                }
              >
                下载证书（PEM）
              </Button>
            </Space>
          </Space>
        )}
      </Modal>
    </Card>
  )
}
