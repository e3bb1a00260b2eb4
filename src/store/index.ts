export * from './ports';
export * from './pws-ports';
export * from './client-ports';
export { openDatabase, type GatewayDatabase, type OpenDatabaseOptions } from './open-database';
