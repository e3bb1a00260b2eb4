export * from './ports';
export { openDatabase, type GatewayDatabase, type OpenDatabaseOptions } from './open-database';
