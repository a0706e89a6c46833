/**
 * The one policy that turns a failed request into something the user sees.
 *
 * - `redirect` (401: not logged in, session expired) → back to the login page.
 * - `ERR_REG_IMPORT_INVALID` (422) → a dialog with the table of row errors.
 * - otherwise the server's Chinese `message`, as a warning/error message or a notification
 *   according to the server's `showType`.
 * Forms claim field errors first with `fieldErrorHandler` so they appear next to the field.
 */
import type { FormInstance } from 'antd'
import { Table, Typography } from 'antd'
import type { MessageInstance } from 'antd/es/message/interface'
import type { HookAPI as ModalApi } from 'antd/es/modal/useModal'
import type { NotificationInstance } from 'antd/es/notification/interface'
import { createElement } from 'react'
import type { ApiError } from './api.ts'

interface Feedback {
  message: MessageInstance
  notification: NotificationInstance
  modal: ModalApi
}

let feedback: Feedback | undefined
let onUnauthorized: (() => void) | undefined

/** Called once by the root component with antd's context-aware feedback APIs. */
export function bindFeedback(value: Feedback): void {
  feedback = value
}

/** Called once by the auth provider: what to do when the session is gone. */
export function bindUnauthorized(handler: () => void): void {
  onUnauthorized = handler
}

export interface ImportRowError {
  row: number
  column?: string
  field?: string
  message: string
}

function importErrors(error: ApiError): ImportRowError[] {
  const details = error.details as { errors?: ImportRowError[] } | undefined
  return Array.isArray(details?.errors) ? details.errors : []
}

function showImportErrors(error: ApiError): void {
  const rows = importErrors(error)
  feedback?.modal.error({
    title: '导入失败',
    width: 760,
    content: createElement(
      'div',
      null,
      createElement(Typography.Paragraph, null, error.message),
      createElement(Table<ImportRowError>, {
        size: 'small',
        rowKey: (r) => `${r.row}-${r.column ?? r.field ?? ''}-${r.message}`,
        dataSource: rows,
        pagination: rows.length > 10 ? { pageSize: 10, size: 'small' } : false,
        columns: [
          { title: '行号', dataIndex: 'row', width: 70 },
          { title: '列', dataIndex: 'column', width: 140, render: (v: string | undefined, r) => v ?? r.field ?? '' },
          { title: '错误说明', dataIndex: 'message' },
        ],
      }),
    ),
  })
}

export function reportError(error: ApiError): void {
  if (error.showType === 'redirect' || (error.status === 401 && error.code === 'HTTP_401')) {
    onUnauthorized?.()
    if (error.code === 'ERR_AUTH_SESSION_EXPIRED') feedback?.message.warning(error.message)
    return
  }
  if (error.code === 'ERR_REG_IMPORT_INVALID' && importErrors(error).length > 0) {
    showImportErrors(error)
    return
  }
  const text =
    error.requestId && error.status >= 500 ? `${error.message}（请求编号 ${error.requestId}）` : error.message
  switch (error.showType) {
    case 'silent':
      return
    case 'notification':
      feedback?.notification.error({ message: '操作失败', description: text })
      return
    case 'warning':
      feedback?.message.warning(text)
      return
    default:
      feedback?.message.error(text)
  }
}

/**
 * For create/edit forms: a server error that names one of the form's fields
 * (`details.field`, e.g. ERR_REG_INVALID_FIELD or ERR_REG_DUPLICATE) is shown under that field
 * instead of as a toast.
 */
export function fieldErrorHandler(
  form: FormInstance,
  fields: readonly string[],
  /** Server field → form field, e.g. countyCode → region. */
  aliases: Readonly<Record<string, string>> = {},
): (error: ApiError) => boolean {
  return (error) => {
    const raw = (error.details as { field?: string } | undefined)?.field
    const field = raw ? (aliases[raw] ?? raw) : undefined
    if (!field || !fields.includes(field)) return false
    form.setFields([{ name: field, errors: [error.message] }])
    form.scrollToField(field)
    return true
  }
}
