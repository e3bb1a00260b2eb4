/**
 * What the mapping needs from earlier visits, read by the pipeline through a store port
 * (WeighingHistory) and passed in, so mapping stays a pure function of its arguments.
 */
export interface Weighing {
  /** Observation.effectiveDateTime of the earlier weighing (UTC instant). */
  effectiveUtc: string;
  weightKg: number;
}

export interface VisitHistory {
  /**
   * The child's earlier weighings recorded by the same organisation, measured before this visit's
   * weighing, newest first; never the visit's own (a re-sent visit must give the same answer).
   */
  weighings: readonly Weighing[];
}

export const NO_HISTORY: VisitHistory = Object.freeze({ weighings: [] });
