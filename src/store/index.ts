export * from './ports';
export * from './pws-ports';
export * from './pws-report-ports';
export * from './client-ports';
export * from './console-ports';
export * from './intake-queue-ports';
export { openDatabase, type GatewayDatabase, type OpenDatabaseOptions } from './open-database';
