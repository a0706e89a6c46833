export * from './access.ts'
export * from './registry.ts'
