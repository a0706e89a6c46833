export * from './access.ts'
export * from './registry.ts'
export * from './supervision.ts'
export * from './training.ts'
