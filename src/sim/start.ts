import type { SimConfig } from '../config/relay-config';
import { createSimulator, type Simulator } from './simulator';

/** The simulator built from configuration (SIM_* variables), listening on `port`. */
export async function startSimulator(config: SimConfig, port: number): Promise<{ sim: Simulator; url: string; authUrl: string; fhirUrl: string }> {
  const sim = createSimulator({ tokenTtlSeconds: config.tokenTtlSeconds, duplicateCheck: config.duplicateCheck, faults: config.faults });
  const url = await sim.listen(port, config.host);
  return { sim, url, authUrl: `${url}/oauth2/v1`, fhirUrl: `${url}/fhir-r4/v1` };
}
