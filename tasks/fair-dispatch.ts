/**
 * Fair turns between owners within one priority. Each pending task gets a round: an owner's next task
 * goes one round after its previous one, but never before the round being served now. Tasks are
 * taken lowest round first, first in first out within a round. So owners take turns: an owner who
 * queued 500 tasks holds rounds 1..500, another who then queues 5 gets the next 5 rounds from the
 * one being served, and every task of the second waits at most one task of the first per round.
 */
import type { TaskPriority } from './task.js';

/** Rounds of one priority. */
class OwnerRounds {
  /** The round of the last task taken: new arrivals start after it. */
  private serving = 0;
  private readonly lastRoundOf = new Map<string, number>();

  /** The round of a task of `owner` that arrives now. */
  arrive(owner: string): number {
    const round = Math.max(this.serving, this.lastRoundOf.get(owner) ?? 0) + 1;
    this.lastRoundOf.set(owner, round);
    return round;
  }

  taken(round: number): void {
    if (round <= this.serving) return;
    this.serving = round;
    // Owners whose last round is served start afresh anyway: forgetting them keeps the map small.
    if (this.lastRoundOf.size > 1000) {
      for (const [owner, last] of this.lastRoundOf) if (last <= this.serving) this.lastRoundOf.delete(owner);
    }
  }
}

/** Rounds of the waiting tasks of one queue, per priority. */
export class FairDispatch {
  private readonly rounds = new Map<TaskPriority, OwnerRounds>();
  private readonly roundOf = new Map<string, number>();

  private roundsOf(priority: TaskPriority): OwnerRounds {
    let rounds = this.rounds.get(priority);
    if (!rounds) this.rounds.set(priority, (rounds = new OwnerRounds()));
    return rounds;
  }

  /**
   * Gives a waiting task its round. A task given back (a retry, a worker that stopped) goes ahead
   * of every round, as it was taken once already.
   */
  arrive(task: { taskId: string; owner: string; priority: TaskPriority }, givenBack: boolean): void {
    this.roundOf.set(task.taskId, givenBack ? 0 : this.roundsOf(task.priority).arrive(task.owner));
  }

  /** The position in `waiting` (task ids of one priority, in arrival order) of the task to take next; -1 when empty. */
  nextIndex(waiting: readonly string[]): number {
    let best = -1;
    let bestRound = Infinity;
    for (let index = 0; index < waiting.length; index += 1) {
      const round = this.roundOf.get(waiting[index]!) ?? 0;
      if (round < bestRound) {
        best = index;
        bestRound = round;
      }
    }
    return best;
  }

  /** Records that `taskId` was taken from `priority`'s waiting tasks. */
  taken(taskId: string, priority: TaskPriority): void {
    const round = this.roundOf.get(taskId);
    this.roundOf.delete(taskId);
    if (round !== undefined) this.roundsOf(priority).taken(round);
  }

  /** A waiting task that left without being taken (cancelled, deleted). */
  forget(taskId: string): void {
    this.roundOf.delete(taskId);
  }
}
