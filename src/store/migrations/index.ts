import { Initial1732406400000 } from './0001-initial';
import { Relay1732492800000 } from './0002-relay';
import { SearchIndex1732579200000 } from './0003-search-index';
import { RelaySent1732665600000 } from './0004-relay-sent';
import { Ownership1732752000000 } from './0005-ownership';
import { ApiClients1732838400000 } from './0006-api-clients';
import { Audit1732924800000 } from './0007-audit';
import { Pws1733011200000 } from './0011-pws';
import { SearchSlim1733184000000 } from './0013-search-slim';
import { ConsoleUsers1733270400000 } from './0014-console-users';
import { ConsoleOps1733356800000 } from './0015-console-ops';
import { PwsJob1733443200000 } from './0016-pws-job';
import { PwsYear1733529600000 } from './0017-pws-year';
import { PwsCountShards1733616000000 } from './0018-pws-count-shards';
import { IntakeQueue1733702400000 } from './0019-intake-queue';
import { IntakeQueueClient1733788800000 } from './0020-intake-queue-client';

/** Every migration, oldest first. TypeORM records the applied ones in `schema_migration`. */
export const MIGRATIONS = [
  Initial1732406400000, Relay1732492800000, SearchIndex1732579200000, RelaySent1732665600000, Ownership1732752000000,
  ApiClients1732838400000, Audit1732924800000, Pws1733011200000, SearchSlim1733184000000, ConsoleUsers1733270400000,
  ConsoleOps1733356800000, PwsJob1733443200000, PwsYear1733529600000, PwsCountShards1733616000000,
  IntakeQueue1733702400000, IntakeQueueClient1733788800000,
];
