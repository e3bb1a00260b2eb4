import { Initial1732406400000 } from './0001-initial';

/** Every migration, oldest first. TypeORM records the applied ones in `schema_migration`. */
export const MIGRATIONS = [Initial1732406400000];
