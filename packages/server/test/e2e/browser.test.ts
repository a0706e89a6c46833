/**
 * The web console in a real browser (Debian chromium through playwright-core) against the real
 * server on a seeded PGlite province: login, the dashboard's figures against SQL counts, the
 * institution list and detail with its field map, jurisdiction in the UI, a server field error
 * shown next to its form field, a student transfer by a city account (a refusal first) and the
 * narrow menu of a coach. Screenshots go to .test-artifacts/ at the repository root.
 *
 * The console must be built (scripts/test.mjs builds it before any test named *browser*).
 * Without /usr/bin/chromium the suite is skipped, except under CI where that is a failure.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { runFleet } from '@jiapei/simulator'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config/load.ts'
import type { Database } from '../../src/db/client.ts'
import { idCardCheckChar } from '../../src/domain/identity.ts'
import { startGatewayServer } from '../../src/gateway/index.ts'
import { buildApp, WEB_DIST } from '../../src/http/app.ts'
import { openIngestBus } from '../../src/ingestion/bus.ts'
import { DEMO_PASSWORD } from '../../src/seed/accounts.ts'
import { seedDemo } from '../../src/seed/seed.ts'
import { openTestPglite } from '../support/engines.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../.test-artifacts')
const hasChromium = fs.existsSync(CHROMIUM)
if (!hasChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is required under CI for the browser test`)
const skip = hasChromium ? false : `${CHROMIUM} not installed (apt-get install -y chromium fonts-noto-cjk)`

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe('web console in chromium', { skip, timeout: 600_000 }, () => {
  let database: Database
  let app: FastifyInstance
  let browser: Browser
  let base: string

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

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await database.query<{ n: number }>(sql, params))[0]?.n)

  async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    return { context, page, errors }
  }

  async function login(page: Page, username: string, password = DEMO_PASSWORD) {
    await page.goto(`${base}/login`)
    await page.locator('#username').fill(username)
    await page.locator('#password').fill(password)
    await page.locator('button[type=submit]').click()
  }

  async function screenshot(page: Page, name: string, fullPage = true) {
    const file = path.join(ARTIFACTS, `${name}.png`)
    await page.screenshot({ path: file, fullPage })
    const bytes = fs.readFileSync(file)
    assert.ok(bytes.length > 10_000, `${name}.png has content`)
    assert.deepEqual(bytes.subarray(0, 8), PNG_MAGIC)
  }

  const digits = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''))

  /** Options of the open select dropdown once its opening animation is over (a click during it is lost). */
  const options = (page: Page, filter = '') =>
    page.locator(
      `.ant-select-dropdown:visible:not([class*="-appear"]):not([class*="-enter"]) .ant-select-item-option${filter}`,
    )

  test('a wrong password keeps the user on the login page with an error; an unknown page needs a login', async () => {
    const { context, page } = await open()
    await page.goto(`${base}/registry/coaches`)
    await page.waitForURL(/\/login\?redirect=/)
    await login(page, 'sheng', 'wrong-password-1')
    await page.getByTestId('login-error').waitFor()
    assert.match(page.url(), /\/login/)
    await context.close()
  })

  test('province: dashboard figures equal the database, institution list and detail with its field map', async () => {
    const { context, page, errors } = await open()
    await login(page, 'sheng')
    await page.getByTestId('dashboard').waitFor()

    const institutions = await count('select count(*)::int as n from institution')
    const students = await count('select count(*)::int as n from student')
    assert.ok(institutions > 0)
    assert.equal(
      digits(await page.getByTestId('total-institutions').locator('.ant-statistic-content').textContent()),
      institutions,
    )
    assert.equal(
      digits(await page.getByTestId('total-students').locator('.ant-statistic-content').textContent()),
      students,
    )
    await page.locator('[data-testid=province-map] canvas').waitFor()
    await page.locator('[data-testid=city-bars] canvas').waitFor()
    const displayName = (
      await database.query<{ display_name: string }>("select display_name from app_user where username = 'sheng'")
    )[0]
    assert.ok(displayName)
    assert.match((await page.getByTestId('user-box').textContent()) ?? '', new RegExp(displayName.display_name))
    await page.waitForTimeout(800) // chart animation
    await screenshot(page, 'dashboard')

    // 驾培机构 from the side menu: the first page of rows and the server's total.
    await page.getByTestId('side-menu').getByText('驾培机构', { exact: true }).click()
    await page.waitForURL(/\/registry\/institutions$/)
    const rows = page.locator('.ant-table-tbody tr.ant-table-row')
    await rows.first().waitFor()
    assert.equal(await rows.count(), Math.min(20, institutions))
    assert.equal(digits(await page.locator('.ant-pagination-total-text').textContent()), institutions)
    const first = (
      await database.query<{ id: number; name: string }>('select id, name from institution order by id limit 1')
    )[0]!
    assert.equal(await rows.first().getByRole('link').textContent(), first.name)
    await screenshot(page, 'institutions')

    // Its detail: the name, the number of coaches and the training fields drawn on a map.
    await rows.first().getByRole('link').click()
    await page.waitForURL(new RegExp(`/registry/institutions/${first.id}$`))
    const detail = page.getByTestId('institution-detail')
    await detail.waitFor()
    assert.equal(await detail.locator('h4').textContent(), first.name)
    const fields = await count(
      'select count(*)::int as n from training_field where institution_id = $1 and polygon is not null',
      [first.id],
    )
    assert.ok(fields > 0, 'the seeded institution has mapped training fields')
    await page.locator('[data-testid=field-map] canvas').waitFor()
    const coaches = await count('select count(*)::int as n from coach where institution_id = $1', [first.id])
    const coachCard = detail.locator('.ant-statistic').filter({ hasText: '教练员' })
    // The counts arrive after the page; wait until the coach card shows a number.
    await coachCard.filter({ hasText: /\d/ }).waitFor()
    assert.equal(digits(await coachCard.locator('.ant-statistic-content').textContent()), coaches)
    await page.waitForTimeout(800)
    await screenshot(page, 'institution-detail')
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('a county account sees only its county and no province-only buttons', async () => {
    const { context, page } = await open()
    await login(page, 'xihu')
    await page.getByTestId('dashboard').waitFor()
    const own = await count("select count(*)::int as n from institution where county_code = '330106'")
    assert.equal(
      digits(await page.getByTestId('total-institutions').locator('.ant-statistic-content').textContent()),
      own,
    )
    await page.goto(`${base}/registry/platforms`)
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor()
    // platform:write belongs to the province: no 新增 and no 编辑 for a county.
    assert.equal(await page.getByRole('button', { name: /新\s*增/ }).count(), 0)
    assert.equal(await page.getByRole('button', { name: /编\s*辑/ }).count(), 0)
    await context.close()
  })

  test('an institution account: client hint for a bad ID card, the server duplicate error under its field', async () => {
    const { context, page } = await open()
    await login(page, 'jigou')
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
    const institutionId = (
      await database.query<{ institution_id: number }>("select institution_id from app_user where username = 'jigou'")
    )[0]!.institution_id
    const existing = (
      await database.query<{ coach_no: string }>('select coach_no from coach where institution_id = $1 limit 1', [
        institutionId,
      ])
    )[0]!
    await page.goto(`${base}/registry/coaches`)
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor()
    await page.getByRole('button', { name: /新\s*增/ }).click()
    const dialog = page.locator('.ant-modal')
    await dialog.locator('#coachNo').waitFor()

    // Client-side hint: a wrong check digit is flagged before anything is sent.
    await dialog.locator('#idCard').fill('330106199001010000')
    await dialog.locator('#idCard').blur()
    await dialog.locator('.ant-form-item-has-error #idCard').waitFor()

    const first17 = '33010619900101123'
    await dialog.locator('#idCard').fill(first17 + idCardCheckChar(first17))
    await dialog.locator('#coachNo').fill(existing.coach_no)
    await dialog.locator('#name').fill('测试教练')
    await dialog.locator('#sex').click()
    await options(page, '[title="男"]').click()
    await dialog.locator('#teachPermitted').click()
    await options(page, '[title="C1"]').click()
    const response = page.waitForResponse(
      (r) => r.url().endsWith('/api/registry/coaches') && r.request().method() === 'POST',
    )
    await dialog.getByRole('button', { name: /保\s*存/ }).click()
    const res = await response
    assert.equal(res.status(), 409)
    assert.equal((await res.json()).code, 'ERR_REG_DUPLICATE')
    await dialog.locator('.ant-form-item-has-error #coachNo').waitFor()
    await screenshot(page, 'coach-form-error', false)
    assert.equal(await count('select count(*)::int as n from coach where coach_no = $1', [existing.coach_no]), 1)
    await context.close()
  })
  test('a city account transfers a student between two of its counties; a target outside is refused', async () => {
    const { context, page, errors } = await open()
    await login(page, 'hangzhou')
    await page.getByTestId('dashboard').waitFor()
    const student = (
      await database.query<{ id: number; stu_no: string; institution_id: number }>(
        `select s.id, s.stu_no, s.institution_id from student s
          where s.city_code = '330100' and s.county_code = '330106' order by s.id limit 1`,
      )
    )[0]!
    const target = (
      await database.query<{ id: number; name: string; county_code: string }>(
        `select id, name, county_code from institution
          where city_code = '330100' and county_code <> '330106' order by id limit 1`,
      )
    )[0]!
    const outside = (
      await database.query<{ id: number }>("select id from institution where city_code <> '330100' order by id limit 1")
    )[0]!
    assert.ok(student && target && outside, 'the seed has a 西湖区 student, another 杭州 county and another city')

    await page.goto(`${base}/registry/students`)
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor()
    await page.getByPlaceholder('姓名、学员编号').fill(student.stu_no)
    await page.getByPlaceholder('姓名、学员编号').press('Enter')
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: student.stu_no })
    await row.waitFor()
    await row.getByRole('button', { name: /详\s*情/ }).click()
    const drawer = page.locator('.ant-drawer')
    const institutionCell = drawer
      .locator('tr')
      .filter({ has: page.locator('th', { hasText: /^所属机构$/ }) })
      .locator('td')
    await institutionCell.waitFor()
    await drawer.getByRole('button', { name: /转\s*学/ }).click()

    const dialog = page.locator('.ant-modal').filter({ hasText: '学员转学' })
    await dialog.locator('#toInstitutionId').click()
    await options(page).filter({ hasText: target.name }).click()
    await dialog.locator('#reason').fill('学员搬家，就近培训')

    // The same request with a target in another city: the server refuses, the dialog says why.
    await page.route('**/api/registry/students/*/transfer', (route) =>
      route.continue({ postData: JSON.stringify({ toInstitutionId: outside.id, reason: '越权' }) }),
    )
    const refused = page.waitForResponse((r) => r.url().endsWith('/transfer'))
    await dialog.getByRole('button', { name: /确认转学/ }).click()
    assert.equal((await (await refused).json()).code, 'ERR_AUTH_OUT_OF_SCOPE')
    await dialog.locator('.ant-alert').filter({ hasText: '目标不在您的管辖范围内' }).waitFor()
    await screenshot(page, 'student-transfer-refused', false)
    await page.unroute('**/api/registry/students/*/transfer')
    const unchanged = await count('select institution_id as n from student where id = $1', [student.id])
    assert.equal(unchanged, student.institution_id)

    const moved = page.waitForResponse((r) => r.url().endsWith('/transfer'))
    await dialog.getByRole('button', { name: /确认转学/ }).click()
    assert.equal((await moved).status(), 200)
    await dialog.waitFor({ state: 'hidden' })
    await institutionCell.filter({ hasText: target.name }).waitFor()
    const after = (
      await database.query<{ institution_id: number; county_code: string }>(
        'select institution_id, county_code from student where id = $1',
        [student.id],
      )
    )[0]!
    assert.deepEqual(after, { institution_id: target.id, county_code: target.county_code })
    assert.equal(
      await count(
        'select count(*)::int as n from student_transfer where student_id = $1 and from_institution_id = $2 and to_institution_id = $3 and reason = $4',
        [student.id, student.institution_id, target.id, '学员搬家，就近培训'],
      ),
      1,
    )
    await screenshot(page, 'student-transfer', false)
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('a coach account sees only its own record in the menu and the list', async () => {
    const { context, page } = await open()
    await login(page, 'jiaolian')
    await page.waitForURL(/\/registry\/coaches$/)
    const rows = page.locator('.ant-table-tbody tr.ant-table-row')
    await rows.first().waitFor()
    const menu = page.getByTestId('side-menu')
    assert.deepEqual(await menu.locator('.ant-menu-submenu-title, .ant-menu-item').allInnerTexts(), [
      '基础档案',
      '教练员',
      '培训监管',
      '系统管理',
      '工具',
    ])
    const own = (
      await database.query<{ coach_no: string }>(
        "select c.coach_no from app_user u join coach c on c.id = u.subject_id where u.username = 'jiaolian'",
      )
    )[0]!
    assert.equal(await rows.count(), 1)
    assert.match((await rows.first().textContent()) ?? '', new RegExp(own.coach_no))
    await context.close()
  })

  test('报文解析: the example 0x0200 frame explained field by field', async () => {
    const { context, page, errors } = await open()
    await login(page, 'sheng')
    await page.getByTestId('dashboard').waitFor()
    await page.goto(`${base}/tools/explain`)
    await page.getByTestId('frame-explain').waitFor()
    await page.getByRole('button', { name: /示\s*例/ }).click()
    await page.getByRole('button', { name: /解\s*析/ }).click()
    const msgId = page.getByTestId('frame-msg-id')
    await msgId.waitFor()
    assert.equal(await msgId.textContent(), '0x0200')
    assert.match((await page.getByTestId('frame-header').textContent()) ?? '', /位置信息汇报/)
    await page.getByTestId('frame-fields').locator('tr').filter({ hasText: '纬度' }).first().waitFor()
    assert.match((await page.getByTestId('frame-text').textContent()) ?? '', /30\.274085°/)
    await screenshot(page, 'explain')
    assert.deepEqual(errors, [])
    await context.close()
  })
  test('培训记录 and 课堂回放: a session inserted with SQL, its row and its minute records', async () => {
    const t = (
      await database.query<{ id: number; institution_id: number }>(
        `select t.id, t.institution_id from terminal t join institution i on i.id = t.institution_id
          where i.county_code = '330106' order by t.id limit 1`,
      )
    )[0]!
    const who = (
      await database.query<{
        student_id: number
        student_name: string
        coach_id: number | null
        vehicle_id: number | null
      }>(
        `select s.id as student_id, s.name as student_name,
                (select id from coach where institution_id = $1 order by id limit 1) as coach_id,
                (select id from vehicle where institution_id = $1 order by id limit 1) as vehicle_id
           from student s where s.institution_id = $1 order by s.id limit 1`,
        [t.institution_id],
      )
    )[0]!
    assert.ok(t && who, 'the seed has a 西湖区 terminal with students')
    const session = (
      await database.query<{ id: number }>(
        `insert into training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
                                       coach_id, vehicle_id, course_code, started_at, ended_at)
         values ($1, 990001, $2, '330100', '330106', $3, $4, $5, '1212110000', '2026-05-01T08:00:00Z', '2026-05-01T08:03:00Z')
         returning id`,
        [t.id, t.institution_id, who.student_id, who.coach_id, who.vehicle_id],
      )
    )[0]!
    for (let m = 0; m < 3; m++) {
      await database.query(
        `insert into minute_record (minute_at, record_no, session_id, terminal_id, student_id, coach_id, institution_id,
                                    county_code, course_code, max_speed_kmh, mileage_m, is_backfill, valid)
         values ($1, $2, $3, $4, $5, $6, $7, '330106', '1212110000', $8, $9, $10, true)`,
        [
          `2026-05-01T08:0${m}:00Z`,
          `REC-990001-${m}`,
          session.id,
          t.id,
          who.student_id,
          who.coach_id,
          t.institution_id,
          20 + m,
          300 * (m + 1),
          m === 2,
        ],
      )
    }
    for (const [i, [lng, lat]] of [
      [120.1301, 30.2601],
      [120.1312, 30.2608],
    ].entries()) {
      await database.query(
        `insert into position (fixed_at, terminal_id, session_id, lng, lat, speed_kmh, mileage_m)
         values ($1, $2, $3, $4, $5, 20, $6)`,
        [`2026-05-01T08:0${i}:30Z`, t.id, session.id, lng, lat, 300 * i],
      )
    }

    const { context, page, errors } = await open()
    await login(page, 'sheng')
    await page.getByTestId('dashboard').waitFor()
    await page.goto(`${base}/training/sessions`)
    await page.getByTestId('training-sessions').waitFor()
    const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: who.student_name })
    await row.first().waitFor()
    // Filters from the address reach the server: the ended session with one 补传 minute, not as 进行中.
    const rows = page.locator('.ant-table-tbody tr.ant-table-row')
    const person = encodeURIComponent(who.student_name)
    const answered = page.waitForResponse((r) => /\/api\/training\/sessions\?.*status=open/.test(r.url()))
    await page.goto(`${base}/training/sessions?person=${person}&status=open`)
    assert.equal((await (await answered).json()).total, 0)
    await page.getByTestId('session-filters').getByText('进行中').waitFor()
    await page.locator('.ant-table-tbody .ant-empty').waitFor()
    assert.equal(await rows.count(), 0)
    await page.goto(`${base}/training/sessions?person=${person}&backfill=true&fromDate=2026-05-01&toDate=2026-05-01`)
    await row.first().waitFor()
    assert.equal(await rows.count(), 1)
    assert.match((await row.first().textContent()) ?? '', /补传 1/)
    await row.first().getByRole('link', { name: '回放' }).click()
    await page.waitForURL(new RegExp(`/training/sessions/${session.id}$`))
    await page.getByTestId('session-replay').waitFor()
    const minutes = page.getByTestId('session-minutes').locator('.ant-table-tbody tr.ant-table-row')
    await minutes.first().waitFor()
    assert.equal(await minutes.count(), 3)
    assert.deepEqual(
      (await minutes.allInnerTexts()).map((text) => /REC-990001-\d/.exec(text)?.[0]),
      ['REC-990001-0', 'REC-990001-1', 'REC-990001-2'],
    )
    await page.locator('[data-testid=session-track] canvas').waitFor()
    await screenshot(page, 'replay')
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('疑点线索 and 疑点详情: a finding inserted with SQL, its list row, evidence, and a review by an officer', async () => {
    const t = (
      await database.query<{ id: number; institution_id: number; phone: string }>(
        `select t.id, t.institution_id, t.phone from terminal t join institution i on i.id = t.institution_id
          where i.county_code = '330106' order by t.id limit 1`,
      )
    )[0]!
    const who = (
      await database.query<{ student_id: number; student_name: string; coach_id: number | null }>(
        `select s.id as student_id, s.name as student_name,
                (select id from coach where institution_id = $1 order by id limit 1) as coach_id
           from student s where s.institution_id = $1 order by s.id limit 1`,
        [t.institution_id],
      )
    )[0]!
    const session = (
      await database.query<{ id: number }>(
        `insert into training_session (terminal_id, class_id, institution_id, city_code, county_code, student_id,
                                       coach_id, course_code, started_at, ended_at)
         values ($1, 990002, $2, '330100', '330106', $3, $4, '1212110000', '2026-05-02T08:00:00Z', '2026-05-02T08:05:00Z')
         returning id`,
        [t.id, t.institution_id, who.student_id, who.coach_id],
      )
    )[0]!
    const stopped = [2, 3, 4]
    for (let m = 0; m < 5; m++) {
      const still = stopped.includes(m)
      await database.query(
        `insert into minute_record (minute_at, record_no, session_id, terminal_id, student_id, coach_id, institution_id,
                                    county_code, course_code, max_speed_kmh, mileage_m, lng, lat, is_backfill, valid, reasons)
         values ($1, $2, $3, $4, $5, $6, $7, '330106', '1212110000', $8, $9, $10, $11, false, $12, $13)`,
        [
          `2026-05-02T08:0${m}:00Z`,
          `REC-990002-${m}`,
          session.id,
          t.id,
          who.student_id,
          who.coach_id,
          t.institution_id,
          still ? 0 : 25,
          still ? 0 : 350,
          120.13 + (still ? 0.002 : m * 0.001),
          30.26 + (still ? 0.001 : m * 0.0005),
          !still,
          still ? ['stationary'] : [],
        ],
      )
      await database.query(
        `insert into position (fixed_at, terminal_id, session_id, lng, lat, speed_kmh, mileage_m)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [
          `2026-05-02T08:0${m}:30Z`,
          t.id,
          session.id,
          120.13 + (still ? 0.002 : m * 0.001),
          30.26 + (still ? 0.001 : m * 0.0005),
          still ? 0 : 25,
          350 * m,
        ],
      )
    }
    const shot = (
      await database.query<{ id: number }>(
        `insert into photo (terminal_id, photo_no, institution_id, county_code, session_id, student_id, event_type,
                            taken_at, face_confidence, size_bytes, sha256, face_count, face_distance)
         values ($1, 'E2E-P1', $2, '330106', $3, $4, 19, '2026-05-02T08:03:00Z', 38, 1000, $5, 1, 0.68)
         returning id`,
        [t.id, t.institution_id, session.id, who.student_id, 'c'.repeat(64)],
      )
    )[0]!
    const evidence = {
      sessions: [session.id],
      minutes: stopped.map((m) => ({ recordNo: `REC-990002-${m}`, minuteAt: `2026-05-02T08:0${m}:00.000Z` })),
      photos: [shot.id],
      frames: [{ terminalPhone: t.phone, receivedAt: '2026-05-02T08:03:01.000Z', msgId: 0x0900, serialNo: 7 }],
      details: { runs: 1, longestRunMinutes: 3, maxStopMinutes: 2 },
    }
    const found = (
      await database.query<{ id: number }>(
        `insert into finding (rule_id, rule_version, policy_version, severity, subject_kind, subject_id, session_id,
                              student_id, coach_id, institution_id, city_code, county_code, occurred_at, summary,
                              params, evidence, detected_by, dedupe_key)
         values ('stationary', 1, 1, 'medium', 'session', $1, $2, $3, $4, $5, '330100', '330106', '2026-05-02T08:02:00Z',
                 '1 段连续停车共 3 分钟，最长 3 分钟（阈值 2 分钟）', '{"maxStopMinutes":2}', $6, 'stream', $7)
         returning id`,
        [
          String(session.id),
          session.id,
          who.student_id,
          who.coach_id,
          t.institution_id,
          JSON.stringify(evidence),
          `stationary:session:${session.id}:e2e`,
        ],
      )
    )[0]!

    const { context, page, errors } = await open()
    await login(page, 'zhifa')
    await page.getByTestId('dashboard').waitFor()
    // The menu's 监管 group holds 疑点线索.
    await page.locator('.ant-menu-submenu-title[data-menu-id$="-/supervision"]').click()
    await page.getByRole('menuitem', { name: '疑点线索' }).click()
    await page.waitForURL(/\/supervision\/findings$/)
    await page.getByTestId('findings').waitFor()
    const row = page
      .getByTestId('findings-table')
      .locator('.ant-table-tbody tr.ant-table-row')
      .filter({ hasText: '连续停车' })
      .filter({ hasText: who.student_name })
    await row.first().waitFor()
    assert.match((await row.first().textContent()) ?? '', /中[\s\S]*待处理/)
    await page.locator('[data-testid=findings-by-rule] canvas').waitFor()
    await page.waitForTimeout(500)
    await screenshot(page, 'findings')

    await row.first().getByRole('link', { name: '查看' }).click()
    await page.waitForURL(new RegExp(`/supervision/findings/${found.id}$`))
    await page.getByTestId('finding-detail').waitFor()
    assert.match((await page.getByTestId('finding-rule').textContent()) ?? '', /maxStopMinutes[\s\S]*最大允许停车时间/)
    const minutes = page.getByTestId('finding-minutes').locator('.ant-table-tbody tr.ant-table-row')
    await minutes.first().waitFor()
    assert.equal(await minutes.count(), 5)
    assert.equal(await page.getByTestId('finding-minutes').locator('tr[data-flagged=true]').count(), 3)
    await page.locator('[data-testid=finding-track] canvas').waitFor()
    assert.match((await page.getByTestId('finding-photos').textContent()) ?? '', /人脸距离 0\.68[\s\S]*学员备案照片/)
    assert.match(
      (await page.getByTestId('finding-replay-link').getAttribute('href')) ?? '',
      new RegExp(`/training/sessions/${session.id}\\?highlight=REC-990002-2,REC-990002-3,REC-990002-4`),
    )

    await page.getByTestId('finding-note').fill('回放核实：车辆停驶 3 分钟')
    await page.getByTestId('finding-action-confirmed').click()
    await page.getByTestId('finding-status').filter({ hasText: '已确认' }).waitFor()
    const [stored] = await database.query<{ status: string; review_note: string }>(
      'select status, review_note from finding where id = $1',
      [found.id],
    )
    assert.deepEqual(stored, { status: 'confirmed', review_note: '回放核实：车辆停驶 3 分钟' })
    await page.getByTestId('finding-history').filter({ hasText: '待处理 → 已确认' }).waitFor()
    await page.waitForTimeout(500)
    await screenshot(page, 'finding-detail')

    // The replay opened from the finding marks the flagged minutes.
    await page.getByTestId('finding-replay-link').click()
    await page.getByTestId('session-replay').waitFor()
    const marked = page.getByTestId('session-minutes').locator('tr[data-highlight=true]')
    await marked.first().waitFor()
    assert.deepEqual(
      (await marked.allInnerTexts()).map((text) => /REC-990002-\d/.exec(text)?.[0]),
      ['REC-990002-2', 'REC-990002-3', 'REC-990002-4'],
    )
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('学时台账: an institution opens a student without hours; the certificate is refused with the coded reason', async () => {
    const { context, page, errors } = await open()
    const institutionId = (
      await database.query<{ institution_id: number }>("select institution_id from app_user where username = 'jigou'")
    )[0]!.institution_id
    const student = (
      await database.query<{ id: number; name: string }>(
        `select s.id, s.name from student s
          where s.institution_id = $1
            and not exists (select 1 from session_credit c where c.student_id = s.id and c.final_minutes > 0)
          order by s.id limit 1`,
        [institutionId],
      )
    )[0]!
    await login(page, 'jigou')
    await page.getByTestId('dashboard').waitFor()
    await page.goto(`${base}/hours/students/${student.id}`)
    await page.getByText(`学时台账 · ${student.name}`).waitFor()
    await page.getByText('学时未达标').waitFor()
    await page.getByRole('button', { name: /申请结业证书/ }).click()
    const refusal = page.locator('.ant-alert-warning').filter({ hasText: '学时未达到大纲要求' })
    await refusal.waitFor()
    assert.match((await refusal.textContent()) ?? '', /ERR_HOURS_INCOMPLETE/)
    assert.equal(
      await count('select count(*)::int as n from completion_certificate where student_id = $1', [student.id]),
      0,
    )
    await screenshot(page, 'hours-ledger')
    assert.deepEqual(errors, [])
    await context.close()
  })

  test('实时监控: empty while no terminal is online; a simulated terminal through the gateway shows on the map and in the table; its row opens the replay', async () => {
    // This test's own platform on the same database: gateway, ingestion and an API that knows the gateway.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiapei-live-'))
    const config = loadConfig({ JIAPEI_LOG_LEVEL: 'silent', JIAPEI_GATEWAY_PORT: '0', JIAPEI_DATA_DIR: dir })
    const bus = await openIngestBus({ config, database })
    const gateway = await startGatewayServer({ config, database, sink: bus.sink, host: '127.0.0.1' })
    const live = await buildApp({ config, database, gateway: gateway.gateway })
    await live.listen({ port: 0, host: '127.0.0.1' })
    const origin = `http://127.0.0.1:${(live.server.address() as AddressInfo).port}`
    const stop = new AbortController()
    let fleet: Promise<unknown> | undefined
    const { context, page, errors } = await open()
    try {
      await page.goto(`${origin}/login`)
      await page.locator('#username').fill('sheng')
      await page.locator('#password').fill(DEMO_PASSWORD)
      await page.locator('button[type=submit]').click()
      await page.getByTestId('dashboard').waitFor()
      await page.goto(`${origin}/training/live`)
      await page.getByTestId('live-empty').waitFor()
      assert.match((await page.getByTestId('live-empty').textContent()) ?? '', /没有在线的计时终端/)
      assert.equal(digits(await page.getByTestId('live-count-online').textContent()), 0)

      fleet = runFleet({
        host: '127.0.0.1',
        port: gateway.port,
        terminals: 1,
        // A student logs in within two simulated minutes, and the lesson stays open for minutes of real time.
        speedup: 60,
        lessonMinutes: 240,
        seed: 11,
        database,
        durationSeconds: 900,
        signal: stop.signal,
      })
      // The page asks again every 10 s; the terminal registers, authenticates and logs a student in.
      const row = page
        .getByTestId('live-table')
        .locator('.ant-table-tbody tr.ant-table-row')
        .filter({ hasText: '培训中' })
      await row.first().waitFor({ timeout: 90_000 })
      const [online] = gateway.gateway.onlineSessions()
      assert.ok(online, 'the simulated terminal is online')
      const [car] = await database.query<{ plate: string; device_no: string }>(
        'select v.plate, t.device_no from terminal t join vehicle v on v.id = t.vehicle_id where t.id = $1',
        [online.terminalId],
      )
      assert.ok(car)
      assert.match((await row.first().textContent()) ?? '', new RegExp(`${car.plate}[\\s\\S]*${car.device_no}`))
      assert.equal(await row.count(), 1)
      assert.equal(digits(await page.getByTestId('live-count-online').textContent()), 1)
      assert.equal(digits(await page.getByTestId('live-count-training').textContent()), 1)
      assert.match((await page.getByTestId('live-updated-at').textContent()) ?? '', /更新于 \d{1,2}:\d{2}:\d{2}/)
      await page.locator('[data-testid=live-map] canvas').waitFor()
      await screenshot(page, 'live')

      // A search that matches nothing says so; the plate finds the row again.
      const search = page.getByTestId('live-search').locator('input')
      await search.fill('无此车牌')
      await search.press('Enter')
      await page.getByText('没有符合条件的在线终端').waitFor()
      await search.fill(car.plate.slice(-4))
      await search.press('Enter')
      await row.first().waitFor()

      await row.first().click()
      await page.waitForURL(/\/training\/sessions\/\d+$/)
      await page.getByTestId('session-replay').waitFor()
      assert.match((await page.getByTestId('session-header').textContent()) ?? '', new RegExp(car.plate))
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
      stop.abort()
      await fleet?.catch(() => {})
      await gateway.close()
      await live.close()
      await bus.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
