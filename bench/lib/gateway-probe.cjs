// Preloaded into a benchmarked gateway process (`node --require`): counts the SQL statements the
// process sends through `pg` and answers the benchmark's IPC probe with that count, its own CPU
// time, RSS and V8 heap. It changes nothing else.
'use strict';
const pg = require('pg');

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  return query.apply(this, args);
};

process.on('message', (msg) => {
  if (msg !== 'probe' || !process.send) return;
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  process.send({ statements, cpuMicros: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed });
});
