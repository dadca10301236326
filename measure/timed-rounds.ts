/** Rounds of work repeated until a time budget is used up: how interleaved runs end near their budget. */
import { formatDuration } from './progress-line.js';

export interface RoundBudget {
  /** Measured seconds; the last round may run past them by up to half a round. */
  measureSeconds: number;
  /** Rounds run whatever the clock says, so even a slow machine gets a figure of something. */
  minRounds: number;
}

/**
 * Runs measured rounds until `measureSeconds` are used up, and at least `minRounds`. A new round
 * starts when at least half of it fits: the run ends as near the budget as it can. `round` gets a
 * label for the progress line (`round 3, ~1:20 left`).
 */
export async function runTimedRounds(
  budget: RoundBudget,
  round: (label: string, index: number) => Promise<void>,
): Promise<{ rounds: number; measuredMs: number }> {
  const started = performance.now();
  const budgetMs = budget.measureSeconds * 1000;
  let rounds = 0;
  let lastRoundMs = 0;
  while (rounds < budget.minRounds || performance.now() - started + lastRoundMs / 2 <= budgetMs) {
    const roundStarted = performance.now();
    const left = Math.max(0, budgetMs - (roundStarted - started));
    await round(`round ${rounds + 1}, ~${formatDuration(left)} left`, rounds);
    lastRoundMs = performance.now() - roundStarted;
    rounds += 1;
  }
  return { rounds, measuredMs: performance.now() - started };
}
