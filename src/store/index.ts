export * from './ports';
export * from './pws-ports';
export * from './client-ports';
export * from './console-ports';
export { openDatabase, type GatewayDatabase, type OpenDatabaseOptions } from './open-database';
