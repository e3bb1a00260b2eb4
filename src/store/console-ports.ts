/**
 * Storage ports for people using the web console (migration 0014, docs/decisions/0020-console.md).
 * Plain data: src/console owns the meaning of roles and sessions.
 */
export type ConsoleRole = 'admin' | 'district' | 'vendor-support' | 'tester';
export type ConsoleUserStatus = 'active' | 'disabled';

export interface NewConsoleUser {
  username: string;
  displayName?: string;
  /** scrypt hash (src/auth/secrets.ts); the password itself never reaches the database. */
  passwordHash: string;
  role: ConsoleRole;
  /** Kemendagri code prefixes a district officer sees (2/4/6/10 digits). */
  regions: string[];
  /** SATUSEHAT organisation ids a vendor's support staff see. */
  organizations: string[];
}

/** A user as listed: never the hash. */
export interface ConsoleUser {
  username: string;
  displayName?: string;
  role: ConsoleRole;
  regions: string[];
  organizations: string[];
  status: ConsoleUserStatus;
  createdAt: string;
  lastLoginAt?: string;
}

export interface ConsoleSession {
  user: ConsoleUser;
  csrfToken: string;
}

/** How long a session lives: unused (`idleSeconds`) and at all since sign-in (`lifetimeSeconds`). */
export interface SessionLimits {
  idleSeconds: number;
  lifetimeSeconds: number;
}

export interface ConsoleUserStore {
  /** undefined when the username is taken. */
  create(user: NewConsoleUser): Promise<ConsoleUser | undefined>;
  list(): Promise<ConsoleUser[]>;
  /** The user and its hash, for a sign-in check (active or not: the caller decides). */
  credentials(username: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined>;
  /** Disables the user and ends its sessions; false when unknown. */
  disable(username: string): Promise<boolean>;
  /**
   * Stores a new session (by the SHA-256 of its id) and records the sign-in time. The browser's
   * previous session (`replaces`, the hash of the cookie it signed in with) ends, and every session
   * past its limits is deleted, so the table holds live sessions only.
   */
  openSession(idHash: string, username: string, csrfToken: string, limits: SessionLimits, replaces?: string): Promise<void>;
  /**
   * The session when it is within its limits and its user is active, touching it; an expired or
   * orphaned session is deleted and undefined returned.
   */
  touchSession(idHash: string, limits: SessionLimits): Promise<ConsoleSession | undefined>;
  closeSession(idHash: string): Promise<void>;
}
