import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../kernel';
import type { ExportFile, ExportJob, ExportProgress, ExportStore } from '../store/fhir-ports';
import { NdjsonFiles } from './ndjson-files';

export interface ExportEngineDeps {
  store: ExportStore;
  /** Root directory; a job writes under `<dir>/<jobId>/`. */
  dir: string;
  maxPerFile: number;
  /** Rows read per query: memory use is bounded by this, not by the size of the export. */
  chunkSize: number;
  ttlHours: number;
  logger: Logger;
}

class Cancelled extends Error {}

interface Run {
  job: ExportJob;
  deps: ExportEngineDeps;
  dir: string;
  patients: string[] | undefined;
  progress: ExportProgress;
  lastLogged: number;
}

/** Reports progress after every chunk; the answer tells whether the client cancelled meanwhile. */
async function report(run: Run, type: string): Promise<void> {
  run.progress.type = type;
  const status = await run.deps.store.progress(run.job.id, run.progress);
  if (status !== 'in-progress') throw new Cancelled();
  const { exported, total } = run.progress;
  const decile = total > 0 ? Math.floor((exported * 10) / total) : 10;
  if (decile > run.lastLogged) {
    run.lastLogged = decile;
    run.deps.logger.info({ exportJob: run.job.id, exported, total, type }, `bulk export ${Math.min(100, decile * 10)}%`);
  }
}

async function exportType(run: Run, type: string): Promise<ExportFile[]> {
  const files = new NdjsonFiles(run.dir, type, run.deps.maxPerFile);
  let after = '';
  let written: ExportFile[] = [];
  try {
    for (;;) {
      const rows = await run.deps.store.chunk(run.job, type, run.patients, after, run.deps.chunkSize);
      for (const row of rows) await files.write(row.json);
      run.progress.exported += rows.length;
      await report(run, type);
      const last = rows[rows.length - 1];
      if (!last || rows.length < run.deps.chunkSize) break;
      after = last.id;
    }
  } finally {
    written = await files.close();
  }
  return written;
}

/** A failure whose message is meant for the client (it names no file, table or internal detail). */
class ExportProblem extends Error {}

/**
 * What the status URL may tell the client about a failure: an ExportProblem's own message, else
 * a pointer to the log. An I/O error's message names a server path (ENOENT: open '/var/…'), a
 * database error may quote row values; those stay in the log with the job id.
 */
export function clientMessage(err: unknown, jobId: string): string {
  return err instanceof ExportProblem ? err.message : `internal error; the gateway log has the details under exportJob ${jobId}`;
}

async function patientsOf(job: ExportJob, store: ExportStore): Promise<string[] | undefined> {
  if (job.params.level !== 'group') return undefined;
  const members = await store.groupMembers(job.params.groupId ?? '');
  if (!members) throw new ExportProblem(`Group/${job.params.groupId ?? ''} no longer exists`);
  return members;
}

/**
 * Runs one claimed job to the end: count, then stream each type from PostgreSQL into NDJSON files
 * by keyset chunks, then record the manifest. A cancellation stops it at the next chunk and removes
 * its files; any other failure is recorded on the job (the status URL answers 500 with it).
 */
export async function runExport(job: ExportJob, deps: ExportEngineDeps): Promise<void> {
  const dir = join(deps.dir, job.id);
  const started = Date.now();
  try {
    // A job taken over from a dead worker finds that worker's partial files: start from an empty directory.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const patients = await patientsOf(job, deps.store);
    let total = 0;
    for (const type of job.params.types) total += await deps.store.count(job, type, patients);
    const run: Run = { job, deps, dir, patients, progress: { exported: 0, total }, lastLogged: -1 };
    const output: ExportFile[] = [];
    for (const type of job.params.types) output.push(...(await exportType(run, type)));
    await deps.store.complete(job.id, output, [], deps.ttlHours);
    deps.logger.info({ exportJob: job.id, resources: run.progress.exported, files: output.length, ms: Date.now() - started }, 'bulk export completed');
  } catch (err) {
    if (err instanceof Cancelled) {
      await rm(dir, { recursive: true, force: true });
      deps.logger.info({ exportJob: job.id }, 'bulk export cancelled');
      return;
    }
    deps.logger.error({ err, exportJob: job.id }, 'bulk export failed');
    await deps.store.fail(job.id, clientMessage(err, job.id), deps.ttlHours);
  }
}
