import type { DataSource } from 'typeorm';
import type { ConsoleSession, ConsoleUser, ConsoleUserStore, NewConsoleUser, SessionLimits } from './console-ports';
import { isRace, iso, json, withConnection } from './sql';

interface UserRow {
  username: string;
  displayName: string | null;
  role: ConsoleUser['role'];
  regions: string[];
  organizations: string[];
  status: ConsoleUser['status'];
  createdAt: string;
  lastLoginAt: string | null;
  passwordHash: string;
}

// Arrays go through jsonb both ways: node-postgres and PGlite agree on JSON, not on text[] literals.
const COLUMNS = `u.username, u.display_name AS "displayName", u.role, to_jsonb(u.regions) AS regions,
  to_jsonb(u.organizations) AS organizations, u.status, ${iso('u.created_at')} AS "createdAt",
  ${iso('u.last_login_at')} AS "lastLoginAt", u.password_hash AS "passwordHash"`;
const TEXT_ARRAY = (n: number): string => `ARRAY(SELECT jsonb_array_elements_text($${n}::jsonb))`;

function toUser(r: UserRow): ConsoleUser {
  return {
    username: r.username,
    ...(r.displayName !== null ? { displayName: r.displayName } : {}),
    role: r.role, regions: r.regions, organizations: r.organizations, status: r.status, createdAt: r.createdAt,
    ...(r.lastLoginAt !== null ? { lastLoginAt: r.lastLoginAt } : {}),
  };
}

/**
 * A session within its limits ($2 idle seconds, $3 seconds since sign-in). The absolute lifetime
 * bounds what a stolen cookie is worth even while it is used (OWASP Session Management Cheat Sheet,
 * "Absolute Timeout").
 */
const LIVE = `s.last_seen_at > now() - make_interval(secs => $2) AND s.created_at > now() - make_interval(secs => $3)`;

/** Console users and sessions (src/store/console-ports.ts). */
export class SqlConsoleUserStore implements ConsoleUserStore {
  constructor(private readonly ds: DataSource) {}

  async create(u: NewConsoleUser): Promise<ConsoleUser | undefined> {
    try {
      const rows = await withConnection(this.ds, (sql) => sql.rows<UserRow>(
        `INSERT INTO console_user AS u (username, display_name, password_hash, role, regions, organizations)
         VALUES ($1, $2, $3, $4, ${TEXT_ARRAY(5)}, ${TEXT_ARRAY(6)})
         ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
        [u.username, u.displayName ?? null, u.passwordHash, u.role, json(u.regions), json(u.organizations)]));
      return rows[0] ? toUser(rows[0]) : undefined;
    } catch (err) {
      if (isRace(err)) return undefined;
      throw err;
    }
  }

  async list(): Promise<ConsoleUser[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<UserRow>(`SELECT ${COLUMNS} FROM console_user u ORDER BY u.username`));
    return rows.map(toUser);
  }

  async credentials(username: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<UserRow>(`SELECT ${COLUMNS} FROM console_user u WHERE u.username = $1`, [username]));
    return row ? { user: toUser(row), passwordHash: row.passwordHash } : undefined;
  }

  async disable(username: string): Promise<boolean> {
    return withConnection(this.ds, async (sql) => {
      const rows = await sql.rows<{ username: string }>(`UPDATE console_user SET status = 'disabled', updated_at = now() WHERE username = $1 RETURNING username`, [username]);
      await sql.rows(`DELETE FROM console_session WHERE username = $1`, [username]);
      return rows.length > 0;
    });
  }

  async openSession(idHash: string, username: string, csrfToken: string, limits: SessionLimits, replaces?: string): Promise<void> {
    await withConnection(this.ds, async (sql) => {
      // Sign-in is rare and the table small: clearing expired rows here keeps it so without a timer.
      await sql.rows(
        `DELETE FROM console_session s WHERE s.id_hash = $1 OR NOT (${LIVE})`,
        [replaces ?? null, limits.idleSeconds, limits.lifetimeSeconds]);
      await sql.rows(`INSERT INTO console_session (id_hash, username, csrf_token) VALUES ($1, $2, $3)`, [idHash, username, csrfToken]);
      await sql.rows(`UPDATE console_user SET last_login_at = now() WHERE username = $1`, [username]);
    });
  }

  async touchSession(idHash: string, limits: SessionLimits): Promise<ConsoleSession | undefined> {
    return withConnection(this.ds, async (sql) => {
      // One statement touches a live session of an active user; anything else is removed below.
      const [row] = await sql.rows<UserRow & { csrfToken: string }>(
        `UPDATE console_session s SET last_seen_at = now() FROM console_user u
         WHERE s.id_hash = $1 AND u.username = s.username AND u.status = 'active'
           AND ${LIVE}
         RETURNING ${COLUMNS}, s.csrf_token AS "csrfToken"`, [idHash, limits.idleSeconds, limits.lifetimeSeconds]);
      if (row) return { user: toUser(row), csrfToken: row.csrfToken };
      await sql.rows(`DELETE FROM console_session WHERE id_hash = $1`, [idHash]);
      return undefined;
    });
  }

  async closeSession(idHash: string): Promise<void> {
    await withConnection(this.ds, (sql) => sql.rows(`DELETE FROM console_session WHERE id_hash = $1`, [idHash]));
  }

}
