/**
 * The 计时平台接入 and 检测规则 pages in a real browser (Debian chromium through playwright-core)
 * against the real server on a seeded PGlite province: a province account issues a 接入证书 (the
 * PKCS#12 downloaded once opens with the password shown once), revokes it, and sees a call signed
 * with the revoked certificate refused in the request log; an operator sees only its platform; a
 * detection policy change is refused with the server's reason next to the field, then published
 * and listed as the new version. Screenshots go to .test-artifacts/ at the repository root.
 *
 * The console must be built (scripts/test.mjs builds it before any test named *browser*).
 * Without /usr/bin/chromium the suite is skipped, except under CI where that is a failure.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { exchangeClient, openExchangeCredential } from '../../src/exchange/client.ts'
import { buildApp, WEB_DIST } from '../../src/http/app.ts'
import { DEMO_PASSWORD } from '../../src/seed/accounts.ts'
import { seedDemo } from '../../src/seed/seed.ts'
import { openTestPglite } from '../support/engines.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../.test-artifacts')
const hasChromium = fs.existsSync(CHROMIUM)
if (!hasChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is required under CI for the browser test`)
const skip = hasChromium ? false : `${CHROMIUM} not installed (apt-get install -y chromium fonts-noto-cjk)`

interface PublishedBody {
  rules: Record<string, { enabled: boolean; params: Record<string, unknown> }>
  windows: { default: Record<string, { from: string; to: string }[]> }
}

describe('计时平台接入 and 检测规则 in chromium', { skip, timeout: 600_000 }, () => {
  let database: Database
  let app: FastifyInstance
  let browser: Browser
  let base: string
  /** The credential issued in the browser, as the downloaded PKCS#12 and the password shown. */
  let issued: { certSn: string; pkcs12Base64: string; password: string } | undefined

  before(async () => {
    assert.ok(fs.existsSync(path.join(WEB_DIST, 'index.html')), 'the console is built (node scripts/build-web.mjs)')
    database = await openTestPglite()
    await seedDemo(database, { scale: 'tiny', seed: 11 })
    app = await buildApp({ config: loadConfig({ JIAPEI_LOG_LEVEL: 'silent' }), database })
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    fs.mkdirSync(ARTIFACTS, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    return { context, page, errors }
  }

  async function login(page: Page, username: string) {
    await page.goto(`${base}/login`)
    await page.locator('#username').fill(username)
    await page.locator('#password').fill(DEMO_PASSWORD)
    await page.locator('button[type=submit]').click()
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  }

  /** The operator account's platform: the one the page opens first for the province too (lowest number). */
  async function operatorPlatform() {
    const [row] = await database.query<{ id: number; platformNo: string; name: string }>(
      `SELECT p.id, p.platform_no AS "platformNo", p.name FROM app_user u JOIN timing_platform p ON p.id = u.timing_platform_id
        WHERE u.username = 'yunying'`,
    )
    assert.ok(row, 'the operator account runs a platform')
    return row
  }

  test('province: issue a credential (PKCS#12 and password once), see it valid in the list, revoke it', async () => {
    const platform = await operatorPlatform()
    const { context, page, errors } = await open()
    await login(page, 'sheng')
    await page.getByTestId('side-menu').getByText('系统管理', { exact: true }).click()
    await page.getByTestId('side-menu').getByText('计时平台接入', { exact: true }).click()
    await page.waitForURL(/\/system\/platforms$/)
    await page.getByTestId('platform-access').waitFor()
    // Pick the operator's platform in the selector.
    await page.getByTestId('platform-select').click()
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: `（${platform.platformNo}）` })
      .click()
    await page.getByTestId('platform-access').getByText(platform.name, { exact: true }).first().waitFor()

    await page.getByRole('button', { name: /签发证书/ }).click()
    const dialog = page.getByTestId('issued-credential')
    await dialog.waitFor()
    assert.match((await dialog.textContent()) ?? '', /只显示这一次/)
    const certSn = ((await page.getByTestId('issued-sn').textContent()) ?? '').trim()
    const password = ((await page.getByTestId('issued-password').textContent()) ?? '').trim()
    assert.match(certSn, /^[0-9A-F]{11}$/)
    assert.ok(password.length >= 8, 'a password is shown')
    const [row] = await database.query<{ id: number; revoked: boolean }>(
      'SELECT id, revoked_at IS NOT NULL AS revoked FROM exchange_credential WHERE cert_sn = $1 AND timing_platform_id = $2',
      [certSn, platform.id],
    )
    assert.ok(row && !row.revoked, 'the credential is stored for the platform, not revoked')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载 PKCS#12/ }).click(),
    ])
    assert.equal(download.suggestedFilename(), `${platform.platformNo}-${certSn}.p12`)
    const file = await download.path()
    const pkcs12Base64 = fs.readFileSync(file).toString('base64')
    const identity = openExchangeCredential(pkcs12Base64, password)
    assert.equal(identity.certSn, certSn, 'the downloaded PKCS#12 opens with the password shown')
    issued = { certSn, pkcs12Base64, password }
    await page.screenshot({ path: path.join(ARTIFACTS, 'platform-credential-issued.png') })
    await page.getByRole('button', { name: /已保存，关闭/ }).click()
    await dialog.waitFor({ state: 'hidden' })

    const listRow = page.getByTestId('credentials').locator('tr.ant-table-row').filter({ hasText: certSn })
    await listRow.getByText('有效', { exact: true }).waitFor()
    assert.match((await listRow.textContent()) ?? '', /\d{4}\/\d{1,2}\/\d{1,2}.*至.*\d{4}/, 'the validity is shown')

    await listRow.getByRole('button', { name: /吊\s*销/ }).click()
    const confirm = page.locator('.ant-modal-confirm:visible')
    await confirm
      .locator('.ant-modal-confirm-title')
      .filter({ hasText: `吊销接入证书 ${certSn}？` })
      .waitFor()
    await confirm.getByRole('button', { name: /吊\s*销/ }).click()
    await listRow.getByText('已吊销', { exact: true }).waitFor()
    assert.equal(await listRow.getByRole('button', { name: /吊\s*销/ }).count(), 0)
    const [after] = await database.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM exchange_credential WHERE id = $1',
      [row.id],
    )
    assert.equal(after?.revoked, true)
    await page.screenshot({ path: path.join(ARTIFACTS, 'platform-credentials.png'), fullPage: true })
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('the request log shows the call signed with the revoked certificate as refused (1102), filtered by errorcode; the operator sees only its platform', async () => {
    assert.ok(issued, 'the credential of the previous test')
    const client = exchangeClient(openExchangeCredential(issued.pkcs12Base64, issued.password))
    const reply = await client.send(base, client.post('student', { inscode: '0000000000000000' }))
    assert.equal(reply.errorcode, 1102, JSON.stringify(reply))

    const { context, page, errors } = await open()
    await login(page, 'yunying')
    await page.goto(`${base}/system/platforms`)
    await page.getByTestId('platform-access').waitFor()
    const platform = await operatorPlatform()
    await page.getByTestId('platform-access').getByText(platform.name, { exact: true }).first().waitFor()
    assert.equal(await page.getByTestId('platform-select').count(), 0, 'an operator has no platform selector')

    const log = page.getByTestId('request-log')
    const refused = log.locator('tr.ant-table-row').filter({ hasText: '1102' })
    await refused.first().waitFor()
    const text = (await refused.first().textContent()) ?? ''
    assert.match(text, /student/)
    assert.match(text, /吊销/, 'the meaning of 1102 is shown')
    assert.match(text, new RegExp(issued.certSn))
    await log.locator('[data-testid=errorcode-chart] canvas').waitFor()

    // Filter by 1102: only refused rows, as many as the database holds.
    await page.getByTestId('errorcode-filter').click()
    const answered = page.waitForResponse((r) => /exchange-requests\?.*errorcode=1102/.test(r.url()))
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^1102/ }).click()
    await answered
    const n = Number(
      (
        await database.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM exchange_request WHERE timing_platform_id = $1 AND errorcode = 1102',
          [platform.id],
        )
      )[0]?.n,
    )
    assert.ok(n >= 1)
    const rows = log.locator('tr.ant-table-row')
    for (let i = 0; i < 50 && (await rows.count()) !== Math.min(n, 20); i++) await page.waitForTimeout(100)
    assert.equal(await rows.count(), Math.min(n, 20))
    for (const r of await log.locator('tr.ant-table-row').all()) assert.match((await r.textContent()) ?? '', /1102/)
    await page.waitForTimeout(600) // chart animation
    await page.screenshot({ path: path.join(ARTIFACTS, 'platform-request-log.png'), fullPage: true })

    // The operator may not open another platform's log through the API either.
    const other = (
      await database.query<{ id: number }>('SELECT id FROM timing_platform WHERE id <> $1 ORDER BY id LIMIT 1', [
        platform.id,
      ])
    )[0]
    if (other) {
      const status = await page.evaluate(
        async (id) => (await fetch(`/api/timing-platforms/${id}/exchange-requests`)).status,
        other.id,
      )
      assert.equal(status, 403)
    }
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('a county account has no 计时平台接入 in its menu', async () => {
    const { context, page } = await open()
    await login(page, 'xihu')
    await page.getByTestId('side-menu').waitFor()
    await page.getByTestId('side-menu').getByText('系统管理').click()
    await page.getByTestId('side-menu').getByText('审计日志').waitFor()
    assert.equal(await page.getByTestId('side-menu').getByText('计时平台接入').count(), 0)
    await context.close()
  })

  test('检测规则: a bad window is refused next to its field; a rule switched off and a threshold changed are published as the next version', async () => {
    const { context, page, errors } = await open()
    await login(page, 'sheng')
    await page.goto(`${base}/supervision/rules`)
    const root = page.getByTestId('detection-policy')
    await root.waitFor()
    const before = await database.query<{ version: number }>(
      "SELECT version FROM policy_version WHERE kind = 'detection' ORDER BY version DESC LIMIT 1",
    )
    const currentVersion = Number(
      (await page.getByTestId('detection-current-version').textContent())?.replace(/\D/g, ''),
    )
    if (before[0]) assert.equal(currentVersion, before[0].version)

    await page.getByRole('button', { name: /修\s*订/ }).click()
    // 1. Switch off late-backfill, change a gnss-jump threshold.
    await page.getByTestId('rule-switch-late-backfill').click()
    const catalogue = (await (
      await fetch(`${base}/api/detection/rules`, { headers: await cookieOf(context) })
    ).json()) as {
      rules: { id: string; params: { name: string; default: unknown }[] }[]
    }
    const jump = catalogue.rules.find((r) => r.id === 'gnss-jump')?.params.find((p) => typeof p.default === 'number')
    assert.ok(jump, 'gnss-jump has a numeric parameter')
    const newValue = Number(jump.default) + 7
    const testId = `param-gnss-jump-${jump.name}`
    const input = page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
    await input.fill(String(newValue))
    await input.blur()

    // 2. A practical window ending at 25:00 is refused by the server, shown under that field.
    const to = page.getByTestId('window-/windows/default/1-0-to')
    await to.fill('25:00')
    await page.getByRole('button', { name: /发布新版本/ }).click()
    await page
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /发\s*布/ })
      .click()
    const fieldError = root.getByTestId('policy-field-error')
    await fieldError.waitFor()
    assert.match((await fieldError.textContent()) ?? '', /25:00/)
    assert.match((await to.getAttribute('class')) ?? '', /status-error/)
    const afterRefusal = await database.query<{ version: number }>(
      "SELECT version FROM policy_version WHERE kind = 'detection' ORDER BY version DESC LIMIT 1",
    )
    assert.deepEqual(afterRefusal, before, 'nothing was published')
    await page.screenshot({ path: path.join(ARTIFACTS, 'detection-policy-error.png'), fullPage: true })

    // 3. Fixed, with a note: published.
    await to.fill('21:30')
    await page.getByRole('button', { name: /发布新版本/ }).click()
    await page.getByTestId('detection-note').fill('停用补传过迟规则试运行')
    await page
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /发\s*布/ })
      .click()
    const next = currentVersion + 1
    await page
      .getByTestId('detection-current-version')
      .filter({ hasText: `v${next}` })
      .waitFor()
    const [published] = await database.query<{ version: number; body: PublishedBody; note: string }>(
      "SELECT version, body, note FROM policy_version WHERE kind = 'detection' ORDER BY version DESC LIMIT 1",
    )
    assert.equal(published?.version, next)
    assert.equal(published?.note, '停用补传过迟规则试运行')
    assert.equal(published?.body.rules['late-backfill']?.enabled, false)
    assert.equal(published?.body.rules['gnss-jump']?.params[jump.name], newValue)
    assert.deepEqual(published?.body.windows.default['1'], [{ from: '06:00', to: '21:30' }])
    const history = page.getByTestId('detection-versions').locator('tr.ant-table-row').first()
    assert.match(
      (await history.textContent()) ?? '',
      new RegExp(`v${next}.*生效中.*late-backfill.*停用补传过迟规则试运行`),
    )
    // The catalogue now answers from the new version.
    const lateRow = root.locator('tr.ant-table-row').filter({ hasText: 'late-backfill' })
    await lateRow.getByText('停用', { exact: true }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'detection-policy.png'), fullPage: true })
    assert.deepEqual(errors, [])
    await context.close()
  })

  async function cookieOf(context: BrowserContext): Promise<Record<string, string>> {
    const cookies = await context.cookies(base)
    return { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') }
  }
})
