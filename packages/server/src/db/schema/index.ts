export * from './access.ts'
export * from './registry.ts'
export * from './training.ts'
