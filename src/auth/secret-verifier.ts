import { hashSecret, verifySecret } from './secrets';

/**
 * scrypt is deliberately expensive (~30 MB and tens of ms per check), so unbounded checks let a
 * flood of token requests starve legitimate ones (issue #8: 200 parallel unknown ids held a real
 * request for 9.5 s). Real checks run at most `concurrency` at once with at most `maxQueue`
 * waiting; beyond that the caller is told to come back (429). Requests naming an unknown client
 * never enter that queue: they get equal-cost dummy work in one spare slot within a budget (a
 * quarter of one core), and otherwise wait as long as a real check takes, so the answer time does not reveal which client
 * ids exist and no amount of them delays a real client.
 */
export interface SecretVerifier {
  /** `busy` when the queue is full (nothing was checked). */
  verify(secret: string, hash: string): Promise<'match' | 'mismatch' | 'busy'>;
  /** What an unknown client id costs: as long as a check, without queueing behind real ones. */
  imitate(): Promise<void>;
}

/** A well-formed hash of nothing, so that dummy work has the exact cost of a real check. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface VerifierOptions {
  concurrency: number;
  maxQueue: number;
}

export function createSecretVerifier(opts: VerifierOptions): SecretVerifier {
  let active = 0;
  const waiting: (() => void)[] = [];
  let dummyBusy = false;
  let dummyNextAt = 0;
  // Exponentially weighted average of a check's duration, seeded by calibrate() below.
  let typicalMs = 50;
  const measured = (ms: number): void => { typicalMs = typicalMs * 0.8 + ms * 0.2; };

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };

  return {
    async verify(secret, hash) {
      if (active >= opts.concurrency) {
        if (waiting.length >= opts.maxQueue) return 'busy';
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active += 1;
      }
      const started = performance.now();
      try {
        return (await verifySecret(secret, hash)) ? 'match' : 'mismatch';
      } finally {
        measured(performance.now() - started);
        release();
      }
    },
    async imitate() {
      // The dummy slot's budget: one at a time, and idle three times as long as it last ran, so a
      // flood of unknown ids burns at most a quarter of one core; the rest only wait.
      if (!dummyBusy && performance.now() >= dummyNextAt) {
        dummyBusy = true;
        const started = performance.now();
        try {
          await verifySecret('', DUMMY_HASH);
        } finally {
          dummyBusy = false;
          const ran = performance.now() - started;
          dummyNextAt = performance.now() + 3 * ran;
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, typicalMs));
    },
  };
}

/** One real hash at start-up, so the first imitations already last as long as a real check. */
export async function calibrate(verifier: SecretVerifier): Promise<void> {
  await hashSecret('calibration');
  await verifier.verify('calibration', DUMMY_HASH);
}
