import type { SaveOutcome } from '../store/ports';
import type { StoredVersion } from './types';

/** The versions writes created or changed; an unchanged re-send stored nothing new. */
export function storedVersions(saves: readonly SaveOutcome[]): StoredVersion[] {
  return saves.filter((s) => s.kind !== 'unchanged').map((s) => ({ submissionPk: s.submission.id, version: s.submission.version }));
}
