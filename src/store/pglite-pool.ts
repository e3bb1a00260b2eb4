import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

type PGliteModule = typeof import('@electric-sql/pglite');

/**
 * PGlite's CommonJS build loads its WebAssembly and some Node built-ins with dynamic import().
 * Node's own loader runs that fine; Jest's module sandbox refuses dynamic import() unless Node
 * was started with --experimental-vm-modules. So PGlite is always loaded through Node's real
 * require (process.getBuiltinModule reaches the real `module`, not the sandbox's stand-in):
 * the same module either way, and `npx jest` works without flags.
 */
export function loadPGlite(): PGliteModule['PGlite'] {
  const { createRequire } = process.getBuiltinModule('node:module');
  const mod = createRequire(__filename)('@electric-sql/pglite') as PGliteModule;
  return mod.PGlite;
}

/**
 * The part of node-postgres' Pool that TypeORM's postgres driver uses, over ONE PGlite instance.
 *
 * Why not typeorm-pglite's driver: its pool hands the same PGlite session to every TypeORM
 * QueryRunner at once, so two concurrent transactions interleave their statements in one
 * PostgreSQL session (the second BEGIN is ignored, the first COMMIT commits both, an error in one
 * aborts the other); and it keeps one process-wide PGlite singleton, so a second data directory
 * (or a second `memory://` database in the same test process) silently reuses the first.
 *
 * Here each pool is bound to one instance and lends its session to ONE holder at a time (FIFO): a
 * QueryRunner keeps it from its first query until release(), so a transaction is never shared.
 * Consequence: code holding a QueryRunner must not wait on a second one (it would wait forever);
 * the store always passes its transaction's runner down instead.
 */
type Done = (err?: unknown) => void;
type ConnectCallback = (err: unknown, session: PGliteSession | null, done: Done) => void;

export class PGliteSession extends EventEmitter {
  constructor(private readonly lite: PGlite) {
    super();
  }

  /** node-postgres' result shape: `rows`, `rowCount`, `command`. */
  async query(text: string, params?: unknown[]): Promise<Results> {
    if (params !== undefined && params.length > 0) return this.lite.query(text, params);
    // Without parameters TypeORM may send several statements at once (simple protocol);
    // node-postgres answers with the last statement's result, and so do we.
    const results = await this.lite.exec(text);
    return results[results.length - 1] ?? { rows: [], fields: [] };
  }
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

class ExclusivePool extends EventEmitter {
  private readonly session: PGliteSession;
  private held = false;
  private ended = false;
  private readonly waiting: Waiter[] = [];

  constructor(lite: PGlite) {
    super();
    this.session = new PGliteSession(lite);
  }

  connect(callback: ConnectCallback): void {
    this.acquire().then(
      () => callback(null, this.session, this.releaser()),
      (err: unknown) => callback(err, null, () => undefined),
    );
  }

  /** Refuses whoever still waits. The PGlite instance belongs to the Database that created it; closing it is its job. */
  end(callback?: (err?: unknown) => void): void {
    this.ended = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the embedded database is closed'));
    callback?.();
  }

  private acquire(): Promise<void> {
    if (this.ended) return Promise.reject(new Error('the embedded database is closed'));
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private releaser(): Done {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.resolve();
      else this.held = false;
    };
  }
}

/** A `driver` for TypeORM's postgres DataSource (it only calls `new driver.Pool(options)`). */
export function pgliteDriver(lite: PGlite): { Pool: new () => ExclusivePool } {
  return {
    Pool: class extends ExclusivePool {
      constructor() {
        super(lite);
      }
    },
  };
}
