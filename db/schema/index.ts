export * from './audit';
export * from './auth';
export * from './customers';
export * from './experiments';
export * from './flows';
export * from './interactions';
export * from './routing';
