/**
 * Why the gateway refused an uplink frame. A refused frame is counted (`stats().framesRejected`),
 * kept (sent to the sink with `decodeError` set to one of these codes or the codec's own code) and,
 * where the spec calls for an answer, answered with 0x8001 失败 or 消息有误. The connection stays open.
 */
export const FRAME_REJECTIONS = {
  ERR_GW_NOT_AUTHENTICATED: '未鉴权的连接只能发送注册 (0x0100) 与鉴权 (0x0102)',
  ERR_GW_PHONE_MISMATCH: '消息头手机号与已鉴权会话不一致',
  ERR_GW_SIGNATURE: '校验串验证失败',
  ERR_GW_SUBPACKAGE: '分包信息无效（总包数或包序号越界）',
} as const

export type FrameRejection = keyof typeof FRAME_REJECTIONS
