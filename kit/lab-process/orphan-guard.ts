/**
 * No orphans: every lab process group this process started is killed on any way out of this
 * process (normal exit, Ctrl-C, SIGTERM, SIGHUP, an uncaught exception). The probe also leaves by
 * itself when its IPC channel closes (kit/probe.ts), which covers a SIGKILL nobody can catch.
 *
 * Signals belong to the host (the CLI, the hub, a test runner), so the guard listens only while at
 * least one lab runs: it installs its listeners with the first lab and removes them with the last.
 */

/** The exit code a shell reports for a process ended by each signal (128 + its number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type GuardedSignal = keyof typeof SIGNAL_EXIT_CODES;

/** Kill a lab's whole process group (anything the learner's code spawned too); quiet if it is gone. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

class OrphanGuard {
  /** Process-group ids (the lab's pid: each lab leads its own group) of the labs still running. */
  private readonly groups = new Set<number>();
  private readonly signalListeners = new Map<GuardedSignal, () => void>();
  private readonly onExit = () => this.killAll();

  /** A lab started: kill its group if this process ends before the lab does. */
  adopt(pid: number): void {
    this.groups.add(pid);
    if (this.groups.size === 1) this.install();
  }

  /** A lab ended by itself or was stopped: nothing left to kill. */
  release(pid: number): void {
    if (this.groups.delete(pid) && this.groups.size === 0) this.uninstall();
  }

  killAll(): void {
    for (const pid of this.groups) killGroup(pid);
    this.groups.clear();
    this.uninstall();
  }

  private install(): void {
    process.on('exit', this.onExit);
    // A monitor sees the exception without changing what happens next (the process still dies).
    process.on('uncaughtExceptionMonitor', this.onExit);
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as GuardedSignal[]) {
      const listener = () => {
        // Listening to a signal replaces Node's default "die": keep that default unless someone else
        // (the CLI's `run`, the hub) listens too and will exit in its own way. Counted before
        // killAll, which removes this listener.
        const alone = process.listenerCount(signal) === 1;
        this.killAll();
        if (alone) process.exit(SIGNAL_EXIT_CODES[signal]);
      };
      this.signalListeners.set(signal, listener);
      process.on(signal, listener);
    }
  }

  private uninstall(): void {
    process.off('exit', this.onExit);
    process.off('uncaughtExceptionMonitor', this.onExit);
    for (const [signal, listener] of this.signalListeners) process.off(signal, listener);
    this.signalListeners.clear();
  }
}

/** The one guard of this process: signals and exit are per process, so there is exactly one. */
export const orphanGuard = new OrphanGuard();

/** Kill every lab process this process started (for shutdown paths the guard cannot see). */
export function stopAllLabs(): void {
  orphanGuard.killAll();
}
