/**
 * `explain`: an annotated, field-by-field dump of a frame — Chinese field names, offsets (in the
 * unescaped frame), lengths, hex and readings — as a structure and as text. Bad frames explain as
 * far as they can be read, and the error says where reading stopped.
 */
import { parseHex, toHex } from './bytes/hex.ts'
import { ByteReader, type ExplainNode } from './bytes/reader.ts'
import { type DecodeOptions, decodeFrame } from './codec.ts'
import { CODEC_ERRORS, type CodecFailure } from './errors.ts'
import { FRAME_FLAG, unescapeFrame } from './frame/escape.ts'
import { detectLayout, type Header, layoutOf, readHeader } from './header.ts'
import { type MessageContext, readWhole } from './message.ts'
import { findMessage } from './registry.ts'

export type { ExplainNode } from './bytes/reader.ts'

export interface Explanation {
  ok: boolean
  error?: CodecFailure
  header?: Header
  specName?: string
  /** Top level: 消息头, 消息体, 校验码. */
  nodes: ExplainNode[]
}

const VERSION_NAMES: Record<string, string> = {
  jiapei: '驾培 (0x80 版本头)',
  '2011': 'JT/T 808-2011',
  '2013': 'JT/T 808-2013',
  '2019': 'JT/T 808-2019',
}

/** Explains one frame given as bytes or hex text (with or without 0x7E, spaces allowed). */
export function explain(input: Uint8Array | string, options: DecodeOptions = {}): Explanation {
  const bytes = typeof input === 'string' ? parseHex(input) : input
  if (!bytes)
    return { ok: false, error: { code: 'ERR_CODEC_HEX', offset: 0, message: CODEC_ERRORS.ERR_CODEC_HEX }, nodes: [] }
  const decoded = decodeFrame(bytes, options)
  let content = bytes
  if (bytes[0] === FRAME_FLAG && bytes.length >= 2 && bytes[bytes.length - 1] === FRAME_FLAG) {
    content = bytes.subarray(1, bytes.length - 1)
  }
  const unescaped = unescapeFrame(content)
  const error: CodecFailure | undefined = decoded.ok
    ? undefined
    : { code: decoded.code, offset: decoded.offset, message: decoded.message }
  if (!unescaped.ok || unescaped.bytes.length < 2) return withError({ ok: false, nodes: [] }, error)
  const raw = unescaped.bytes
  const body = raw.subarray(0, raw.length - 1)
  const nodes: ExplainNode[] = []
  const r = new ByteReader(body, 0, nodes)
  const version = decoded.ok ? decoded.frame.header.version : (options.version ?? detectLayout(body))
  const header = r.group('header', '消息头', VERSION_NAMES[version] ?? version, () =>
    readHeader(r, layoutOf(version) === 'jiapei' ? 'jiapei' : version),
  )
  const out: Explanation = { ok: decoded.ok, header: decoded.ok ? decoded.frame.header : header, nodes }
  const def = findMessage(header.msgId)
  if (def) out.specName = def.specName
  if (r.ok) {
    const title = `消息体（${hex4(header.msgId)} ${def?.specName ?? '未注册消息，原样保留'}${header.subpackage ? `，第 ${header.subpackage.index}/${header.subpackage.total} 包` : ''}）`
    if (def && !header.subpackage && header.bodyLength === r.remaining) {
      const ctx: MessageContext = { version, header }
      r.group(
        'body',
        title,
        `BYTE[${r.remaining}]`,
        () => readWhole(r, def.read, ctx),
        () => undefined,
      )
    } else {
      const data = r.bytesView(r.remaining)
      nodes.push({
        key: 'body',
        name: title,
        type: `BYTE[${data.length}]`,
        offset: body.length - data.length,
        length: data.length,
        hex: toHex(data),
        value: data,
        text: `${data.length} 字节 / bytes`,
      })
    }
  }
  const cs = raw[raw.length - 1] as number
  nodes.push({
    key: 'checksum',
    name: '校验码',
    type: 'BYTE',
    offset: raw.length - 1,
    length: 1,
    hex: toHex(raw, raw.length - 1),
    value: cs,
    text: error?.code === 'ERR_CODEC_CHECKSUM' ? `✗ ${error.message}` : '✓ 异或校验正确',
  })
  return withError(out, error ?? r.error)
}

function withError(e: Explanation, error: CodecFailure | undefined): Explanation {
  if (error) {
    e.ok = false
    e.error = error
  }
  return e
}

function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0').toUpperCase()}`
}

const HEX_LIMIT = 24

/** Renders an explanation as aligned text: offset, length, field, type, reading, hex. */
export function renderExplain(e: Explanation): string {
  const lines: string[] = []
  if (e.header) {
    const h = e.header
    const sub = h.subpackage ? ` · 分包 ${h.subpackage.index}/${h.subpackage.total}` : ''
    lines.push(
      `${hex4(h.msgId)} ${e.specName ?? '未注册消息'} · ${VERSION_NAMES[h.version] ?? h.version} · 手机号 ${h.phone} · 流水号 ${h.serial}${sub}`,
    )
  }
  lines.push('偏移  长度  字段                                      值')
  const walk = (nodes: ExplainNode[], depth: number) => {
    for (const n of nodes) {
      const label = `${'  '.repeat(depth)}${n.name} [${n.type}]`
      const reading = n.children ? (n.text ?? '') : (n.text ?? formatValue(n.value))
      lines.push(
        `${String(n.offset).padStart(4)}  ${String(n.length).padStart(4)}  ${pad(label, 40)}  ${reading}`.trimEnd(),
      )
      if (!n.children && n.length > 0) {
        const hexText = n.hex.length > HEX_LIMIT * 2 ? `${spaced(n.hex.slice(0, HEX_LIMIT * 2))} …` : spaced(n.hex)
        lines.push(`${' '.repeat(12)}${'  '.repeat(depth)}${hexText}`)
      }
      if (n.children) walk(n.children, depth + 1)
    }
  }
  walk(e.nodes, 0)
  if (e.error) lines.push(`✗ ${e.error.code} @${e.error.offset}: ${e.error.message}`)
  return `${lines.join('\n')}\n`
}

function spaced(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ').toUpperCase()
}

function formatValue(v: unknown): string {
  if (v instanceof Uint8Array) return `${v.length} 字节 / bytes`
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number') return String(v)
  return ''
}

/** Width-aware padding (CJK characters take two columns). */
function pad(text: string, width: number): string {
  let w = 0
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1
  return w >= width ? text : text + ' '.repeat(width - w)
}

/** JSON-safe copy of a decoded value: bytes become hex strings. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value)
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v)
    return out
  }
  return value
}
