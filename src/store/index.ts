export * from './ports';
export * from './pws-ports';
export { openDatabase, type GatewayDatabase, type OpenDatabaseOptions } from './open-database';
